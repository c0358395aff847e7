// fails: no-thread-per-wait
// Keeps the thread per subscriber but starts them in waves of 500, under the thread limit: it finishes, one wave after another.
import { spawn } from "weft/thread";
import { blockOn, sleep, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

/** Pings every subscriber (subscriber i answers after delays[i] ms) and returns the replies in subscriber order. */
export async function pingAll(delays: number[]): Promise<string[]> {
  const replies: string[] = [];
  for (let first = 0; first < delays.length; first += 500) {
    const wave = delays.slice(first, first + 500).map((delay, i) => spawn(() => blockOn(ping(first + i, delay))));
    for (const handle of wave) replies.push(handle.join());
  }
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
