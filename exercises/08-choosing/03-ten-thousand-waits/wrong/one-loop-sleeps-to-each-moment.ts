// fails: waits-overlap
// One loop, no pings: it sorts the subscribers by delay, sleeps until each moment a subscriber would answer, and writes that subscriber's reply itself. The clock and the wake-ups look right, but nobody was pinged.
import { sleep, sleepUntil, spawn, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

/** Pings every subscriber (subscriber i answers after delays[i] ms) and returns the replies in subscriber order. */
export async function pingAll(delays: number[]): Promise<string[]> {
  const start = time.now();
  const order = delays.map((_, id) => id).sort((a, b) => delays[a]! - delays[b]!);
  const replies: string[] = new Array(delays.length);
  for (const id of order) {
    await sleepUntil(start + delays[id]!);
    replies[id] = `${id}:${(id * 7919 + delays[id]! * 31) % 1000}`;
  }
  return replies;
}

async function main() {
  const replies = await pingAll([30, 10, 20]);
  console.log(replies);
}
