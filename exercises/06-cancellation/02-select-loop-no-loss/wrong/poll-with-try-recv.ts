// fails: ticks-on-time
// Busy-waits instead of selecting: every 5 ms it drains both channels with tryRecv and records a tick when the clock is on a multiple of tickMs. The times come out right, but the loop wakes four times as often as anything happens.
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
  for (;;) {
    if (time.now() % tickMs === 0) out.ticks.push(time.now());
    for (;;) {
      let v: number | undefined;
      try { v = a.tryRecv(); } catch (e) { if ((e as any).kind === "disconnected") aOpen = false; break; }
      out.a.push(v!);
    }
    for (;;) {
      let v: number | undefined;
      try { v = b.tryRecv(); } catch (e) { if ((e as any).kind === "disconnected") bOpen = false; break; }
      if (header === undefined) header = v; else { out.frames.push([header, v!]); header = undefined; }
    }
    if (!aOpen && !bOpen) return;
    await sleep(5);
  }
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
