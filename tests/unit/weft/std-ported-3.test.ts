/**
 * A third round of Rust std tests ported to weft: only the cases weft
 * failed before the fix that came with them. Each case names the upstream
 * test (or documented behaviour) it ports. Upstream: library/std/src/thread/scoped.rs
 * (the `scope` function's contract) and library/std/src/thread/tests.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { run } = programsWith(`import { spawn, scope, sleep, ThreadPanic } from "weft/thread";
`);

describe('std thread/scoped.rs: what scope panics with', () => {
  it("scope: f's own panic wins over a scoped thread's; an unjoined thread's panic is 'a scoped thread panicked'; one joined by hand is not rethrown", async () => {
    const result = await run(`
function main() {
  try {
    scope((s) => { s.spawn(() => { throw new Error("thread boom"); }); sleep(30); throw new Error("f boom"); });
  } catch (e: any) { console.log("1", e.message); }
  try {
    scope((s) => { s.spawn(() => { throw new Error("thread boom"); }); });
  } catch (e: any) { console.log("2", e instanceof ThreadPanic, e.message); }
  const r = scope((s) => { const h = s.spawn(() => { throw new Error("oh no"); }); try { h.join(); return "joined ok"; } catch { return "join err"; } });
  console.log("3", r);
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.errors.map((e) => e.message)).toEqual(["thread 'thread 2' panicked: thread boom", "thread 'thread 3' panicked: thread boom", "thread 'thread 4' panicked: oh no"]);
    expect(result.lines).toEqual(['1 f boom', '2 true a scoped thread panicked: thread boom', '3 join err']);
  });
});
