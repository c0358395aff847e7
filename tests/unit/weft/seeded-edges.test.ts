/**
 * The seeded scheduler at its edges: a wait with a time limit too far away
 * for the virtual clock (Rust's `Duration::from_millis(u64::MAX)`) behaves
 * as it does free-running, and a thread that spins on non-blocking reads
 * (OnceLock.get, an atomic load, tryLock) waiting for another thread makes
 * progress under every seed and under PCT, as it does on real threads.
 * (Upstream std tests wait with `Duration::from_millis(u64::MAX)`, and spin on
 * `OnceLock::get`/atomics while another thread initializes.)
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';
import { schedules } from '../support/schedules.ts';
import type { RunOptions } from '../../../src/runner/events.ts';

const { run } = programsWith(`import { spawn, sleep } from "weft/thread";
import { Arc, Mutex, Condvar, OnceLock, AtomicBool, Ordering, mpsc } from "weft/sync";
`);

const SCHEDULES = schedules([1, 2, 3, 4], 2);

async function expectLines(body: string, options: RunOptions, lines: string[]) {
  const result = await run(body, { timeoutMs: 10_000, ...options });
  expect(result.errors, JSON.stringify(result.errors)).toEqual([]);
  expect(result.outcome.status).toBe('ok');
  expect(result.lines).toEqual(lines);
}

describe('seeded scheduler edges', () => {
  for (const { label, options } of SCHEDULES) {
    it(`a recvTimeout and a Condvar waitTimeout of 2^64 ms return when woken (${label})`, async () => {
      await expectLines(
        `
function main() {
  const FOREVER = 18446744073709551615; // Duration::from_millis(u64::MAX)
  const [tx, rx] = mpsc.channel<string>();
  spawn(() => { sleep(5); tx.send("woken"); });
  console.log(rx.recvTimeout(FOREVER));
  const pair = new Arc([new Mutex(false), new Condvar()]);
  const p2 = pair.clone();
  spawn(() => { const [m, c] = p2; { using g = m.lock(); g.value = true; } c.notifyOne(); });
  const [m, c] = pair;
  let g = m.lock();
  while (!g.value) g = c.waitTimeout(g, FOREVER).guard;
  console.log("condvar", g.value);
  g.unlock();
}`,
        options,
        ['woken', 'condvar true'],
      );
    });

    it(`spinning on OnceLock.get, an atomic load and tryLock waits out the other thread (${label})`, async () => {
      await expectLines(
        `
function main() {
  const cell = new Arc(new OnceLock<number>());
  const c = cell.clone();
  spawn(() => { sleep(3); c.set(42); });
  while (cell.get() === undefined) {}
  console.log("cell", cell.get());

  const flag = new Arc(new AtomicBool(false));
  const f = flag.clone();
  spawn(() => { sleep(3); f.store(true, Ordering.Release); });
  while (!flag.load(Ordering.Acquire)) {}
  console.log("flag set");

  const m = new Arc(new Mutex(0));
  const m2 = m.clone();
  const [tx, rx] = mpsc.channel<string>();
  const holder = spawn(() => { using g = m2.lock(); tx.send("held"); sleep(3); g.value = 7; });
  rx.recv();
  let guard;
  while ((guard = m.tryLock()) === undefined) {}
  console.log("tryLock got", guard.value);
  guard.unlock();
  holder.join();
}`,
        options,
        ['cell 42', 'flag set', 'tryLock got 7'],
      );
    });

    // Chapter 3's stop flag: a worker that loads the flag once per 10 ms sleep is not spinning, so
    // its loads never make virtual time jump to main's deadline: it stops after 26 items, as on an idle
    // machine (free-running, the count depends on the machine's load, so only seeds are checked).
    if (options.seed !== undefined) it(`a thread that sleeps between its loads is not spinning (${label})`, async () => {
      await expectLines(
        `
function main() {
  const stop = new Arc(new AtomicBool(false));
  const stop2 = stop.clone();
  const worker = spawn(() => {
    let items = 0;
    while (!stop2.load(Ordering.Relaxed)) { sleep(10); items++; }
    return items;
  });
  sleep(255);
  stop.store(true, Ordering.Relaxed);
  console.log("items", worker.join());
}`,
        options,
        ['items 26'],
      );
    });

    it(`a loop that locks, looks at a flag and yieldNow()s, waiting for a thread that sleeps, gets there (${label})`, async () => {
      // The lock and the yield each started the count of reads that tells a spinner again, so the loop was never taken
      // for one and virtual time never reached the sleeper's deadline: the run stopped at its time limit.
      await expectLines(
        `
import { yieldNow } from "weft/thread";
function main() {
  const flag = new Arc(new AtomicBool(false));
  const m = new Arc(new Mutex(0));
  const f2 = flag.clone();
  const h = spawn(() => { sleep(10); f2.store(true); });
  for (;;) { { using g = m.lock(); g.value++; } if (flag.load()) break; yieldNow(); }
  h.join();
  console.log("flag seen");
}`,
        options,
        ['flag seen'],
      );
    });
  }
});
