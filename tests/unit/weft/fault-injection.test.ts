/**
 * Under a seed, weft's scheduler makes the classic mistakes fail on purpose
 * (runtime/scheduler.ts, "Fault injection"): a Condvar wait may return
 * spuriously, and a store right after a load of the same atomic lets another
 * thread in. Every seed, not a lucky one.
 */
import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

const SEEDS = [1, 2, 3, 4];

/** main waits for a flag with `if` (or `while`) around the wait; a thread sets it later. */
const waitFor = (keyword: 'if' | 'while') =>
  program(
    `
  const pair = new Arc([new Mutex(false), new Condvar()] as const);
  const pair2 = pair.clone();
  const h = spawn(() => {
    const [lock, cvar] = pair2;
    using ready = lock.lock();
    ready.value = true;
    cvar.notifyOne();
  });
  const [lock, cvar] = pair;
  {
    using ready = lock.lock();
    ${keyword} (!ready.value) cvar.wait(ready);
    console.log("ready:", ready.value);
  }
  h.join();`,
    'import { Condvar } from "weft/sync";',
  );

/** Two threads each add 1 fifty times, as load then store (or as fetchAdd). */
const count = (increment: string) =>
  program(
    `
  const n = new Arc(new AtomicI32(0));
  const handles = [];
  for (let t = 0; t < 2; t++) {
    const mine = n.clone();
    handles.push(spawn(() => { for (let i = 0; i < 50; i++) ${increment}; }));
  }
  for (const h of handles) h.join();
  console.log("total:", n.load());`,
    'import { AtomicI32 } from "weft/sync";',
  );

describe('fault injection under a seed', () => {
  it('a Condvar wait returns spuriously, so `if` around it goes on with the condition still false', { timeout: 120_000 }, async () => {
    for (const seed of SEEDS) {
      const wrong = await runProgram(waitFor('if'), { seed });
      const right = await runProgram(waitFor('while'), { seed });
      // Whenever main had to wait at all, `if` let it through too early; `while` never.
      expect(right.lines, `seed ${seed}`).toEqual(['ready: true']);
      if (wrong.lines[0] !== 'ready: true') expect(wrong.lines).toEqual(['ready: false']);
    }
    // main has to wait in most schedules (the thread has not run yet): then `if` is caught every time.
    const caught = await Promise.all(SEEDS.map((seed) => runProgram(waitFor('if'), { seed })));
    expect(caught.filter((run) => run.lines[0] === 'ready: false').length).toBeGreaterThan(0);
  });

  it('a store right after a load of the same atomic lets another thread in: load-then-store loses updates in every seed', { timeout: 120_000 }, async () => {
    for (const seed of SEEDS) {
      const lossy = await runProgram(count('mine.store(mine.load() + 1)'), { seed });
      const total = Number(lossy.lines[0]!.split(' ')[1]);
      expect(total, `seed ${seed}`).toBeLessThan(100);
      const right = await runProgram(count('mine.fetchAdd(1)'), { seed });
      expect(right.lines, `seed ${seed}`).toEqual(['total: 100']);
    }
  });

  it("a thread's first recvTimeout that has to wait runs out its time, as if the senders were slow", { timeout: 120_000 }, async () => {
    const source = program(`
  const [tx, rx] = mpsc.channel<number>();
  const h = spawn(() => { for (let i = 0; i < 3; i++) tx.send(i); });
  const got = [];
  for (;;) {
    try { got.push(rx.recvTimeout(1000)); } catch { break; }
  }
  h.join();
  console.log("got", got.length, "of 3");`);
    const runs = await Promise.all(SEEDS.map((seed) => runProgram(source, { seed })));
    // Whenever main had to wait for the first message, the loop gave up on the senders and lost messages.
    expect(runs.some((run) => run.lines[0] !== 'got 3 of 3')).toBe(true);
  });

  it('a tryLock that takes a lock lets another thread run while it holds it, and one that finds it taken stalls: giving up after 1,000 tries is caught', { timeout: 120_000 }, async () => {
    // Two threads each take the lock with tryLock (patience: 1,000 tries) and note whether they got it. The critical
    // section has no synchronization point inside, so without the fault injection no schedule ever sees it held.
    const source = (tries: string) =>
      program(
        `
  const m = new Arc(new Mutex(0));
  const handles = [];
  for (let t = 0; t < 2; t++) {
    const mine = m.clone();
    handles.push(spawn(() => {
      for (let i = 0; ${tries}; i++) {
        const g = mine.tryLock();
        if (g === undefined) { yieldNow(); continue; }
        g.value += 1;
        g.unlock();
        return "locked";
      }
      return "gave up";
    }));
  }
  console.log(handles.map((h) => h.join()).join(" "));`,
        'import { yieldNow } from "weft/thread";',
      );
    const patient = await Promise.all(SEEDS.map((seed) => runProgram(source('true'), { seed })));
    for (const run of patient) expect(run.lines).toEqual(['locked locked']);
    const impatient = await Promise.all(SEEDS.map((seed) => runProgram(source('i < 1000'), { seed })));
    // Whenever the other thread is there when the lock is taken (in some schedules the first is done before the second
    // starts), it meets the holder inside, stalls past its patience and gives up. Before: "locked locked" in every seed.
    expect(impatient.filter((run) => run.lines[0]!.includes('gave up')).length, impatient.map((r) => r.lines[0]).join(' / ')).toBeGreaterThanOrEqual(2);
  });

  it('free runs are left alone: a wait returns only when notified', async () => {
    const run = await runProgram(waitFor('while'));
    expect(run.lines).toEqual(['ready: true']);
  });
});
