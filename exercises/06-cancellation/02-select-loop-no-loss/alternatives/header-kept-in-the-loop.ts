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
  const ticks = interval(tickMs);
  let aOpen = true, bOpen = true;
  let header: number | undefined;
  while (aOpen || bOpen) {
    const ev = await select({ a: aOpen && a.recv(), b: bOpen && b.recv(), tick: ticks.tick() });
    switch (ev.key) {
      case "tick": out.ticks.push(time.now()); break;
      case "a": if (ev.value === undefined) aOpen = false; else out.a.push(ev.value); break;
      case "b":
        if (ev.value === undefined) { bOpen = false; break; }
        if (header === undefined) header = ev.value;
        else { out.frames.push([header, ev.value]); header = undefined; }
        break;
    }
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
