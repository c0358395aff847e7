/**
 * Writing futures by hand: a `Delay` with `poll`, `Poll` and the waker,
 * run by blockOn; and a tiny executor of the reader's own that polls an
 * async function with its own Waker.
 */
import { expect, it } from 'vitest';
import { runProgram } from '../support/run-program.ts';

it('a hand-written Delay future runs under blockOn and is polled again after each wake', async () => {
  const run = await runProgram(`import { blockOn, Poll, Context, Waker, time, yieldNow } from "weft/task";
class Delay {
  polls = 0;
  when: number;
  constructor(ms: number) { this.when = -1; this.ms = ms; }
  ms: number;
  poll(cx: Context): Poll<string> {
    this.polls++;
    if (this.when < 0) this.when = time.now() + this.ms;
    if (time.now() >= this.when) return Poll.ready("done");
    cx.waker().wakeByRef(); // not ready: ask to be polled again
    return Poll.pending();
  }
}
function main() {
  const delay = new Delay(20);
  const started = performance.now();
  console.log(blockOn(delay), delay.polls > 1, performance.now() - started >= 19);
  // A tiny executor of our own: poll an async function with our own Waker.
  const fut = (async () => { await yieldNow(); return 5; })() as unknown as { poll(cx: Context): Poll<number> };
  let wakes = 0;
  const cx = Context.fromWaker(Waker.from(() => { wakes++; }));
  let polls = 1;
  let p = fut.poll(cx);
  while (!p.ready) { polls++; p = fut.poll(cx); }
  console.log(p.value, polls, wakes, Waker.noop().willWake(Waker.noop()));
}`);
  expect(run.errors).toEqual([]);
  expect(run.lines).toEqual(['done true true', '5 2 1 true']);
});

it('an async function that returns another future without await completes with its value, as TypeScript types it; cancelling it drops that future', async () => {
  const run = await runProgram(`import { spawn, sleep, timeout, time } from "weft/task";
async function attempt(n: number): Promise<string> {
  await sleep(10);
  if (n === 0) throw new Error("attempt failed");
  return \`reply \${n}\`;
}
async function retry(n: number): Promise<string> {
  return attempt(n); // no await
}
async function slow(): Promise<string> {
  try { await sleep(1000); return "late"; } finally { console.log("slow dropped"); }
}
async function viaSlow(): Promise<string> {
  return slow();
}
async function main() {
  time.pause();
  console.log(await retry(2));
  try { await retry(0); } catch (error) { console.log("caught:", (error as Error).message); }
  console.log(await spawn(retry(3)));
  try { await timeout(50, viaSlow()); } catch { console.log("timed out at", time.now() >= 50); }
}`);
  expect(run.errors).toEqual([]);
  expect(run.lines).toEqual(['reply 2', 'caught: attempt failed', 'reply 3', 'slow dropped', 'timed out at true']);
});
