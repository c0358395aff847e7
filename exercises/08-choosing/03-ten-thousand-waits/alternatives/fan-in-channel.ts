// Fan-in: a task per subscriber sends its reply, tagged with its id, on one unbounded mpsc channel; pingAll receives until every Sender is dropped and puts each reply in its place.
import { mpsc, sleep, spawn, time } from "weft/task";

/** One subscriber: it answers `delay` ms after it is pinged. Keep it as it is. */
async function ping(id: number, delay: number): Promise<string> {
  await sleep(delay);
  return `${id}:${(id * 7919 + delay * 31) % 1000}`;
}

/** Pings every subscriber (subscriber i answers after delays[i] ms) and returns the replies in subscriber order. */
export async function pingAll(delays: number[]): Promise<string[]> {
  // Fan-in: a task per subscriber sends its reply, tagged with its id, on one channel; replies are put in place as they come.
  const [tx, rx] = mpsc.unboundedChannel<[number, string]>();
  delays.forEach((delay, id) => {
    const out = tx.clone();
    spawn(async () => {
      out.send([id, await ping(id, delay)]);
      out.drop();
    });
  });
  tx.drop();
  const replies: string[] = new Array(delays.length);
  for (let got = await rx.recv(); got !== undefined; got = await rx.recv()) replies[got[0]] = got[1];
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
