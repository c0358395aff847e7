// A spawned task per user page (an async closure called at once), awaited in order; each page joins its orders and friends.
import { JoinSet, join, spawn, sleep, time } from "weft/task";

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

/** Two passes of join: first every user record at once, then each user's details as soon as its own record is in. */
export async function profiles(ids: number[], userMs: number[], ordersMs: number[], friendsMs: number[]): Promise<string[]> {
  const details = async (user: User, i: number) => {
    const [orders, friends] = await join(getOrders(user, ordersMs[i]!), getFriends(user, friendsMs[i]!));
    return profileLine(user, orders, friends);
  };
  const pages = ids.map((id, i) => spawn((async () => details(await getUser(id, userMs[i]!), i))()));
  const lines: string[] = [];
  for (const page of pages) lines.push(await page);
  return lines;
}

async function main() {
  const start = time.now();
  const lines = await profiles([4, 9, 2], [100, 60, 80], [70, 120, 40], [50, 30, 90]);
  for (const line of lines) console.log(line);
  console.log(`took ${time.now() - start} ms`);
}
