/**
 * Tokio's `handle.await` is a `Result<T, JoinError>`: `is_panic()`,
 * `is_cancelled()`, `into_panic()`, and a Display of "task 1 was cancelled" /
 * "task 1 panicked with message \"…\"", task ids counting from 1. weft's
 * `await handle` stays `handle.await.unwrap()` (the panic rethrown), and
 * `await handle.result()` gives the Result. A task aborted while its cleanup
 * panics ends as a panic, as Tokio's `cancel_task` stores it.
 * https://docs.rs/tokio/latest/tokio/task/struct.JoinError.html
 * Upstream: tokio/tests/task_abort.rs `test_abort_task_that_panics_on_drop_returned`,
 * `test_abort_task_that_panics_on_drop_contained`, tokio/tests/task_join_set.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { run } = programsWith(`import { spawn, sleep, JoinSet, JoinError } from "weft/task";
`);

describe('JoinError', () => {
  it('await handle.result() gives the Result; await handle still rethrows the panic', async () => {
    const result = await run(`
async function main() {
  const ok = spawn(async () => 5);
  console.log(JSON.stringify(await ok.result()));
  const boom = spawn(async () => { throw new Error("boom"); });
  const r = await boom.result();
  console.log(r.ok, r.value instanceof JoinError, r.value.isPanic(), r.value.isCancelled(), r.value.intoPanic().message, r.value.id());
  console.log(r.value.message);
  const slow = spawn(async () => { await sleep(1000); });
  slow.abort();
  const c = await slow.result();
  console.log(c.ok, c.value.isCancelled(), c.value.isPanic(), c.value.message);
  try { c.value.intoPanic(); } catch (e) { console.log("intoPanic:", e.message.split(":")[0]); }
  const again = spawn(async () => { throw new TypeError("rethrown as it was"); });
  try { await again; } catch (e) { console.log("await rethrows:", e.name, e.message); }
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual([
      '{"ok":true,"value":5}',
      'false true true false boom 2',
      'task 2 panicked with message "boom"',
      'false true false task 3 was cancelled',
      'intoPanic: `JoinError` reason is not a panic',
      'await rethrows: TypeError rethrown as it was',
    ]);
  });

  it('test_abort_task_that_panics_on_drop_returned: an aborted task whose cleanup panics ends as a panic, reported once', async () => {
    // Paused time: the task is polled (and waits in its sleep) before main's sleep(1) ends, however loaded the machine.
    // On the real clock, a stall of a second let the abort come before the task's first poll: a task aborted before it
    // ever ran is only cancelled (its body never started, so no cleanup ran), as Tokio's is.
    const result = await run(`
import { time } from "weft/task";
async function main() {
  time.pause();
  const h = spawn(async () => {
    try { await sleep(1000); } finally { throw new Error("cleanup failed"); }
  });
  await sleep(1);
  h.abort();
  const r = await h.result();
  console.log(r.ok, r.value.isPanic(), r.value.isCancelled(), r.value.intoPanic().message);
  const set = new JoinSet<void>();
  set.spawn(async () => { try { await sleep(1000); } finally { throw new Error("set cleanup failed"); } });
  await sleep(1);
  set.abortAll();
  const next = await set.joinNext();
  console.log(next.ok, next.value.isPanic(), next.value.intoPanic().message);
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['false true false cleanup failed', 'false true set cleanup failed']);
    expect(result.errors.map((e) => e.message)).toEqual([
      "thread 'main' panicked in task 1: cleanup failed",
      "thread 'main' panicked in task 2: set cleanup failed",
    ]);
  });
});

it("a task's panic rethrown by `await handle` is reported where main awaits the handle, as a thread's is at its join()", async () => {
  // The task's own report names the task's line; main's names its await (Tokio's unwrap panics at the unwrap).
  const result = await run(`
async function main() {
  const t = spawn(async () => {
    throw new Error("boom in task");
  });
  console.log("before");
  await t;
}
`);
  expect(result.outcome.status).toBe('panic');
  expect(result.errors.map((e) => `${e.thread}:${e.location?.line}`)).toEqual(['main:5', 'main:8']);
  expect(result.errors.map((e) => e.message)).toEqual(["thread 'main' panicked in task 1: boom in task", "thread 'main' panicked: boom in task"]);
});
