// fails: waits-overlap
// Spawns a task per subscriber but awaits each one before spawning the next: tasks, one at a time.
import { sleep, spawn, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

/** Pings every subscriber (subscriber i answers after delays[i] ms) and returns the replies in subscriber order. */
export async function pingAll(delays: number[]): Promise<string[]> {
  const replies: string[] = [];
  for (let id = 0; id < delays.length; id++) replies.push(await spawn(ping(id, delays[id]!)));
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
