// fails: details-wait-for-the-user
// Fetches orders and then friends one after the other, but passes the orders fetch the slower of the two latencies and the friends fetch none: the total time is what joining them would take, while the fetches wait in line.
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

/** One profile line per user, in the order of `ids`. */
export async function profiles(ids: number[], userMs: number[], ordersMs: number[], friendsMs: number[]): Promise<string[]> {
  return await join(
    ...ids.map(async (id, i) => {
      const user = await getUser(id, userMs[i]!);
      // One after the other, but the first waits as long as the slower of the two, and the second not at all: same total time.
      const orders = await getOrders(user, Math.max(ordersMs[i]!, friendsMs[i]!));
      const friends = await getFriends(user, 0);
      return profileLine(user, orders, friends);
    }),
  );
}

async function main() {
  const start = time.now();
  const lines = await profiles([4, 9, 2], [100, 60, 80], [70, 120, 40], [50, 30, 90]);
  for (const line of lines) console.log(line);
  console.log(`took ${time.now() - start} ms`);
}
