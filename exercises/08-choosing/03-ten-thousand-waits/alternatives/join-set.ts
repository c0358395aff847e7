// A JoinSet of tasks, each answering with its subscriber's id: replies come back in the order they arrive and go to their place.
import { JoinSet, sleep, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

/** Pings every subscriber (subscriber i answers after delays[i] ms) and returns the replies in subscriber order. */
export async function pingAll(delays: number[]): Promise<string[]> {
  const set = new JoinSet<[number, string]>();
  delays.forEach((delay, id) => set.spawn(async () => [id, await ping(id, delay)] as [number, string]));
  const replies = new Array<string>(delays.length);
  for (let next = await set.joinNext(); next !== undefined; next = await set.joinNext()) {
    if (!next.ok) throw next.value; // a ping that panicked
    const [id, reply] = next.value;
    replies[id] = reply;
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
