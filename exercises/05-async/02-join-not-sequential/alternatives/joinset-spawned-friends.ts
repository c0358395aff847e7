// A JoinSet task per user, its friends fetched by a spawned task while it awaits the orders; results placed by index.
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

/** One profile line per user, in the order of `ids`; a JoinSet of tasks, one per user, each with a spawned task for its friends. */
export async function profiles(ids: number[], userMs: number[], ordersMs: number[], friendsMs: number[]): Promise<string[]> {
  const set = new JoinSet<[number, string]>();
  ids.forEach((id, i) => {
    set.spawn(async () => {
      const user = await getUser(id, userMs[i]!);
      const friends = spawn(getFriends(user, friendsMs[i]!));
      const orders = await getOrders(user, ordersMs[i]!);
      return [i, profileLine(user, orders, await friends)] as [number, string];
    });
  });
  const lines = new Array<string>(ids.length);
  for (;;) {
    const next = await set.joinNext();
    if (next === undefined) break;
    if (!next.ok) throw next.value;
    const [i, line] = next.value;
    lines[i] = line;
  }
  return lines;
}

async function main() {
  const start = time.now();
  const lines = await profiles([4, 9, 2], [100, 60, 80], [70, 120, 40], [50, 30, 90]);
  for (const line of lines) console.log(line);
  console.log(`took ${time.now() - start} ms`);
}
