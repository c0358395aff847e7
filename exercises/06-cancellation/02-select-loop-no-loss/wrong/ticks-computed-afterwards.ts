// fails: ticks-on-time
// Never waits for a tick: once both channels are closed it fills out.ticks with 0, tickMs, 2 × tickMs, … up to the time, as if each had been handled when due.
import { interval, mpsc, select, sleep, sleepUntil, spawn, time } from "weft/task";

/** What mergeFeeds collects. */
interface Merged {
  a: number[];
  frames: [id: number, value: number][];
  ticks: number[];
}

/** Reads one frame from `b`: its header, then its body. Not cancellation safe: dropped between the two, it loses the header. */
async function readFrame(b: mpsc.Receiver<number>): Promise<[number, number] | undefined> {
  const id = await b.recv();
  if (id === undefined) return undefined;
  const value = await b.recv();
  if (value === undefined) return undefined;
  return [id, value];
}

async function mergeFeeds(a: mpsc.Receiver<number>, b: mpsc.Receiver<number>, tickMs: number, out: Merged): Promise<void> {
  let aOpen = true, bOpen = true;
  let header: number | undefined;
  while (aOpen || bOpen) {
    const ev = await select({ a: aOpen && a.recv(), b: bOpen && b.recv() });
    if (ev.key === "a") { if (ev.value === undefined) aOpen = false; else out.a.push(ev.value); }
    else if (ev.value === undefined) bOpen = false;
    else if (header === undefined) header = ev.value;
    else { out.frames.push([header, ev.value]); header = undefined; }
  }
  for (let t = 0; t < time.now(); t += tickMs) out.ticks.push(t);
}
// ---- the test bench: keep it as it is ----

/**
 * Sends feed `a` (`[at, value]`: value at `at` ms) and the frames of feed `b` (`[at, id, value]`: the header at
 * `at` ms, the body `bodyDelay` ms later), runs mergeFeeds, and gives up if it hasn't ended long after both are done.
 */
export async function runMerge(aFeed: [number, number][], bFeed: [number, number, number][], bodyDelay: number, tickMs: number) {
  const [aTx, aRx] = mpsc.channel<number>(4);
  const [bTx, bRx] = mpsc.channel<number>(4);
  spawn(async () => {
    for (const [at, value] of aFeed) {
      await sleepUntil(at);
      await aTx.send(value);
    }
  });
  spawn(async () => {
    for (const [at, id, value] of bFeed) {
      await sleepUntil(at);
      await bTx.send(id);
      await sleep(bodyDelay);
      await bTx.send(value);
    }
  });
  const out: Merged = { a: [], frames: [], ticks: [] };
  const limit = Math.max(...aFeed.map(([at]) => at), ...bFeed.map(([at]) => at + bodyDelay)) + 20 * tickMs;
  const first = await select({ ended: mergeFeeds(aRx, bRx, tickMs, out), gaveUp: sleepUntil(limit) }, { biased: true });
  return { ...out, ended: first.key === "ended", at: time.now() };
}

async function main() {
  time.pause();
  const result = await runMerge([[30, 1], [90, 2], [130, 3]], [[20, 100, 7], [70, 101, 8]], 40, 50);
  console.log(JSON.stringify(result));
}
