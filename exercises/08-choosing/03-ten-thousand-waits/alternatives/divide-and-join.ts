
import { blockOn, sleep, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

import { join } from "weft/task";
async function pingRange(delays: number[], lo: number, hi: number): Promise<string[]> {
  if (hi - lo === 1) return [await ping(lo, delays[lo]!)];
  if (hi <= lo) return [];
  const mid = (lo + hi) >> 1;
  const [a, b] = await join(pingRange(delays, lo, mid), pingRange(delays, mid, hi));
  return [...a, ...b];
}
export async function pingAll(delays: number[]): Promise<string[]> {
  return pingRange(delays, 0, delays.length);
}
async function main() {
  for (const subscribers of [10, 10_000]) {
    const delays = Array.from({ length: subscribers }, (_, i) => 20 + ((i * 37) % 180));
    const start = time.now();
    const replies = await pingAll(delays);
    console.log(`${replies.length} subscribers answered in ${Math.round(time.now() - start)} ms; the last said ${replies.at(-1)}`);
  }
}
