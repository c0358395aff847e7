// fails: waits-overlap
// Calls ping for every subscriber first, as if that started them, sleeps as long as the slowest, then joins them: a weft future is lazy (as a Rust one), so the pings only start at the join, and the batch takes twice as long.

import { blockOn, sleep, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

import { join, sleep as nap } from "weft/task";
export async function pingAll(delays: number[]): Promise<string[]> {
  const futures = delays.map((d, i) => ping(i, d));
  await nap(Math.max(0, ...delays));
  return await join(...futures);
}
async function main() {
  for (const subscribers of [10, 10_000]) {
    const delays = Array.from({ length: subscribers }, (_, i) => 20 + ((i * 37) % 180));
    const start = time.now();
    const replies = await pingAll(delays);
    console.log(`${replies.length} subscribers answered in ${Math.round(time.now() - start)} ms; the last said ${replies.at(-1)}`);
  }
}
