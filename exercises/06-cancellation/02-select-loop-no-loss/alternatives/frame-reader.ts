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

/**
 * A cancellation-safe frame reader: the header it has taken is kept in the reader, not in the future,
 * so a next() dropped between header and body loses nothing; the next call picks up where it stopped.
 */
class FrameReader {
  readonly #rx: mpsc.Receiver<number>;
  #header: number | undefined;
  constructor(rx: mpsc.Receiver<number>) {
    this.#rx = rx;
  }
  async next(): Promise<[number, number] | undefined> {
    if (this.#header === undefined) {
      const id = await this.#rx.recv();
      if (id === undefined) return undefined;
      this.#header = id;
    }
    const value = await this.#rx.recv();
    if (value === undefined) return undefined;
    const frame: [number, number] = [this.#header, value];
    this.#header = undefined;
    return frame;
  }
}

/** Receives from `a` and `b` and handles ticks, in one loop, until both channels are closed. */
async function mergeFeeds(a: mpsc.Receiver<number>, b: mpsc.Receiver<number>, tickMs: number, out: Merged): Promise<void> {
  const ticks = interval(tickMs);
  const frames = new FrameReader(b);
  let aOpen = true;
  let bOpen = true;
  while (aOpen || bOpen) {
    const branches: Record<string, unknown> = { tick: ticks.tick() };
    if (aOpen) branches.a = a.recv();
    if (bOpen) branches.frame = frames.next();
    const event = (await select(branches as never)) as { key: string; value: unknown };
    if (event.key === "tick") out.ticks.push(time.now());
    else if (event.key === "a") {
      if (event.value === undefined) aOpen = false;
      else out.a.push(event.value as number);
    } else if (event.value === undefined) bOpen = false;
    else out.frames.push(event.value as [number, number]);
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
