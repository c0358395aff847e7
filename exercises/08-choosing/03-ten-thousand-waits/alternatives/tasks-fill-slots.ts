
import { blockOn, sleep, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

import { spawn as spawnTask } from "weft/task";
export async function pingAll(delays: number[]): Promise<string[]> {
  const replies: string[] = new Array(delays.length);
  const tasks = delays.map((delay, id) => spawnTask(async () => { replies[id] = await ping(id, delay); }));
  for (const task of tasks) await task;
  return replies;
}
async function main() {
  for (const subscribers of [10, 10_000]) {
    const delays = Array.from({ length: subscribers }, (_, i) => 20 + ((i * 37) % 180));
    const start = time.now();
    const replies = await pingAll(delays);
    console.log(`${replies.length} subscribers answered in ${Math.round(time.now() - start)} ms; the last said ${replies.at(-1)}`);
  }
}
