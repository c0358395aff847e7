// fails: users-together
// Fetches every user record at once, then every user's orders and friends at once: a fast user's details wait for the slowest user's record, a barrier no user needs.
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
  // Phase 1: every record at once; phase 2: every user's details at once.
  const users = await join(...ids.map((id, i) => getUser(id, userMs[i]!)));
  const details = await join(...users.map((u, i) => join(getOrders(u, ordersMs[i]!), getFriends(u, friendsMs[i]!))));
  return users.map((u, i) => profileLine(u, details[i]![0], details[i]![1]));
}

async function main() {
  const start = time.now();
  const lines = await profiles([4, 9, 2], [100, 60, 80], [70, 120, 40], [50, 30, 90]);
  for (const line of lines) console.log(line);
  console.log(`took ${time.now() - start} ms`);
}
