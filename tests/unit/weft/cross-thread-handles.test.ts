/**
 * Handles Rust sends across threads cross in weft too: a `Thread` from
 * `current()` goes into a spawned closure, so a child can `unpark` its
 * parent (std's park/unpark example); a task's `AbortHandle` goes to another
 * thread, which can abort the task there (Tokio's AbortHandle is Send). A
 * task's JoinHandle stays on its executor's thread: sending it is refused
 * with what to do instead.
 * https://doc.rust-lang.org/std/thread/fn.park.html
 * https://docs.rs/tokio/latest/tokio/task/struct.AbortHandle.html
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';
import { schedules } from '../support/schedules.ts';

const { run } = programsWith(`import { spawn as spawnThread, current, park, sleep as threadSleep } from "weft/thread";
import { Arc, AtomicBool, Ordering } from "weft/sync";
import { spawn, sleep, oneshot } from "weft/task";
`);

const SCHEDULES = schedules([1, 2]);

describe('handles that cross threads', () => {
  for (const { label, options } of SCHEDULES) {
    it(`a child unparks its parent through the Thread it captured (${label})`, async () => {
      const result = await run(
        `
function main() {
  const parent = current();
  const flag = new Arc(new AtomicBool(false));
  const f = flag.clone();
  const child = spawnThread(() => {
    f.store(true, Ordering.Release);
    parent.unpark();
    return parent.name();
  });
  while (!flag.load(Ordering.Acquire)) park();
  console.log("parent unparked; the child saw", child.join());
  console.log("the parent's Thread is still usable:", parent.name());
}`,
        options,
      );
      expect(result.errors, JSON.stringify(result.errors)).toEqual([]);
      expect(result.lines).toEqual(['parent unparked; the child saw main', "the parent's Thread is still usable: main"]);
    });

    it(`another thread aborts a task through its AbortHandle; the task's cleanup runs (${label})`, async () => {
      const result = await run(
        `
async function main() {
  const [tx, rx] = oneshot.channel<string>();
  const task = spawn(async () => {
    try { return await rx; } finally { console.log("task cleanup"); }
  });
  const abort = task.abortHandle();
  const aborter = spawnThread(() => {
    threadSleep(5);
    abort.abort();
    return abort.id();
  });
  const r = await task.result();
  console.log("cancelled:", r.ok === false && r.value.isCancelled(), "finished:", abort.isFinished());
  console.log("the cancelled task dropped its receiver:", tx.isClosed());
}`,
        options,
      );
      expect(result.errors, JSON.stringify(result.errors)).toEqual([]);
      expect(result.lines).toEqual(['task cleanup', 'cancelled: true finished: true', 'the cancelled task dropped its receiver: true']);
    });
  }

  it("sending a task's JoinHandle to another thread is refused, saying to send an AbortHandle or a channel's end", async () => {
    const result = await run(`
async function main() {
  const task = spawn(async () => 1);
  spawnThread(() => { task.abort(); });
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain("cannot move `task` into a thread: a task's JoinHandle cannot leave the thread");
    expect(result.errors[0]!.message).toContain('handle.abortHandle()');
  });
});
