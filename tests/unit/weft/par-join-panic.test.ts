/**
 * Rayon's `join` runs both closures whatever happens: when `a` panics, `b`
 * still runs (on this thread if no worker stole it), then `a`'s panic
 * propagates; when both panic, `a`'s wins.
 * https://docs.rs/rayon/latest/rayon/fn.join.html#panics
 * Upstream: rayon-core/src/join/test.rs `panic_propagate_a`, `panic_propagate_both`, `panic_b_still_executes`.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../support/run-program.ts';
import { schedules } from '../support/schedules.ts';

const PROGRAM = `import { join, ThreadPoolBuilder } from "weft/par";
import { AtomicBool, Ordering } from "weft/sync";

function main() {
  const bRan = new AtomicBool(false);
  try {
    join(() => { throw new Error("a panics"); }, () => { bRan.store(true, Ordering.SeqCst); });
    console.log("join returned");
  } catch (e) {
    console.log("caught:", e.message, "b ran:", bRan.load(Ordering.SeqCst));
  }
  try {
    join(() => { throw new Error("from a"); }, () => { throw new Error("from b"); });
  } catch (e) {
    console.log("both panicked, join threw:", e.message);
  }
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const ran = new AtomicBool(false);
  try {
    pool.install(() => join(() => { throw new Error("a on the pool"); }, () => { ran.store(true, Ordering.SeqCst); }));
  } catch (e) {
    console.log("pool:", e.message, "b ran:", ran.load(Ordering.SeqCst));
  }
}
`;

const EXPECTED = [
  'caught: a panics b ran: true',
  'both panicked, join threw: from a',
  'pool: a on the pool b ran: true',
];

const SCHEDULES = schedules([1, 2]);

describe('weft/par join when a closure panics', () => {
  for (const { label, options } of SCHEDULES) {
    it(`panic_b_still_executes, panic_propagate_both (${label})`, async () => {
      const run = await runProgram(PROGRAM, options);
      expect(run.outcome.status, JSON.stringify(run.errors)).toBe('ok');
      expect(run.lines).toEqual(EXPECTED);
    });
  }
});
