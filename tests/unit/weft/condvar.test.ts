import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

const imports = 'import { Condvar } from "weft/sync";';

describe('weft/sync Condvar', () => {
  it('runs the Rust docs example: the spawned thread starts, main wakes and sees it', async () => {
    // https://doc.rust-lang.org/std/sync/struct.Condvar.html
    const run = await runProgram(
      program(
        `
  const pair = new Arc([new Mutex(false), new Condvar()]);
  const pair2 = pair.clone();
  spawn(() => {
    const [lock, cvar] = pair2;
    using started = lock.lock();
    started.value = true;
    cvar.notifyOne();
  });
  const [lock, cvar] = pair;
  using started = lock.lock();
  while (!started.value) cvar.wait(started);
  console.log("started:", started.value);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['started: true']);
  });

  it('waitTimeout reports timedOut when nobody notifies, and keeps the guard locked', async () => {
    const run = await runProgram(
      program(
        `
  const m = new Mutex(7);
  const cv = new Condvar();
  using g = m.lock();
  const result = cv.waitTimeout(g, 20);
  console.log(result.timedOut, result.guard === g, g.value, m.tryLock() === undefined);
  const r2 = cv.waitTimeoutWhile(g, 20, (v) => v === 7);
  console.log(r2.timedOut, r2.guard.value);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['true true 7 true', 'true 7']);
  });

  it('waitTimeoutWhile returns without timing out once another thread makes the condition false', async () => {
    const run = await runProgram(
      program(
        `
  const pair = new Arc([new Mutex(false), new Condvar()]);
  const pair2 = pair.clone();
  const [lock, cvar] = pair;
  using ready = lock.lock();
  // The notifier can only take the lock once main is waiting (the wait releases it).
  spawn(() => {
    const [l, c] = pair2;
    using g = l.lock();
    g.value = true;
    c.notifyAll();
  });
  const result = cvar.waitTimeoutWhile(ready, 60_000, (v) => !v);
  console.log("timedOut:", result.timedOut, "ready:", ready.value);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['timedOut: false ready: true']);
  });

  it('writes the guard value back before waiting and reads it afresh after waking', async () => {
    const run = await runProgram(
      program(
        `
  const pair = new Arc([new Mutex({ log: [], ready: false }), new Condvar()]);
  const pair2 = pair.clone();
  const [lock, cvar] = pair;
  using g = lock.lock();
  g.value.log.push("main before wait");
  spawn(() => {
    const [l, c] = pair2;
    using h = l.lock();
    h.value.log.push("notifier saw: " + h.value.log.join(", "));
    h.value.ready = true;
    c.notifyOne();
  });
  cvar.waitWhile(g, (v) => !v.ready);
  g.value.log.push("main after wait");
  console.log(g.value.log.join(" | "));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['main before wait | notifier saw: main before wait | main after wait']);
  });

  it('a bounded buffer with two Condvars moves every item once across 2 producers and 2 consumers', async () => {
    const perProducer = 150;
    const run = await runProgram(
      program(
        `
  const CAPACITY = 3, PER_PRODUCER = ${perProducer};
  const shared = new Arc([new Mutex({ items: [], maxSeen: 0 }), new Condvar(), new Condvar()]);
  const threads = [];
  for (let p = 0; p < 2; p++) {
    const s = shared.clone();
    threads.push(spawn(() => {
      const [lock, notEmpty, notFull] = s;
      for (let i = 0; i < PER_PRODUCER; i++) {
        using g = lock.lock();
        notFull.waitWhile(g, (v) => v.items.length >= CAPACITY);
        g.value.items.push(p * 1000 + i);
        g.value.maxSeen = Math.max(g.value.maxSeen, g.value.items.length);
        notEmpty.notifyOne();
      }
      return [];
    }));
  }
  for (let c = 0; c < 2; c++) {
    const s = shared.clone();
    threads.push(spawn(() => {
      const [lock, notEmpty, notFull] = s;
      const got = [];
      for (let i = 0; i < PER_PRODUCER; i++) {
        using g = lock.lock();
        notEmpty.waitWhile(g, (v) => v.items.length === 0);
        got.push(g.value.items.shift());
        notFull.notifyOne();
      }
      return got;
    }));
  }
  const all = threads.flatMap((t) => t.join()).sort((a, b) => a - b);
  using g = shared[0].lock();
  console.log(all.length, all.join(","));
  console.log("never above capacity:", g.value.maxSeen <= CAPACITY, "left:", g.value.items.length);`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    const expected = [0, 1].flatMap((p) => Array.from({ length: perProducer }, (_, i) => p * 1000 + i));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([`${expected.length} ${expected.join(',')}`, 'never above capacity: true left: 0']);
  });

  it('notifyAll wakes every waiter', async () => {
    const waiters = 3;
    const run = await runProgram(
      program(
        `
  const shared = new Arc([new Mutex({ waiting: 0, go: false }), new Condvar(), new Condvar()]);
  const handles = [];
  for (let i = 0; i < ${waiters}; i++) {
    const s = shared.clone();
    handles.push(spawn(() => {
      const [lock, go, arrived] = s;
      using g = lock.lock();
      g.value.waiting += 1;
      arrived.notifyOne();
      go.waitWhile(g, (v) => !v.go);
      return "woke";
    }));
  }
  const [lock, go, arrived] = shared;
  {
    using g = lock.lock();
    arrived.waitWhile(g, (v) => v.waiting < ${waiters});
    g.value.go = true;
    go.notifyAll();
  }
  console.log(handles.map((h) => h.join()).join(" "));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([Array(waiters).fill('woke').join(' ')]);
  });

  it('a wait whose Mutex was poisoned meanwhile throws PoisonError holding the relocked guard', async () => {
    const run = await runProgram(
      program(
        `
  const pair = new Arc([new Mutex(0), new Condvar()]);
  const pair2 = pair.clone();
  const [lock, cvar] = pair;
  const g = lock.lock();
  const h = spawn(() => {
    const [l, c] = pair2;
    const held = l.lock();
    held.value = 99;
    c.notifyOne();
    throw new Error("panicked while holding the lock");
  });
  try {
    while (g.value === 0) cvar.wait(g);
    console.log("no poison?");
  } catch (e) {
    console.log(e instanceof PoisonError, e.intoInner() === g, g.value, lock.isPoisoned());
  }
  g.unlock();
  try { h.join(); } catch (e) { console.log("joined:", e.message); }`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['true true 99 true', 'joined: panicked while holding the lock']);
  });

  it('moves into a thread like any handle: the spawner cannot use it afterwards', async () => {
    const run = await runProgram(
      program(
        `
  const cvar = new Condvar();
  spawn(() => { cvar.notifyAll(); }).join();
  cvar.notifyOne();`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('panic');
    expect(run.errors[0]!.name).toBe('MovedValueError');
    expect(run.errors[0]!.message).toContain('this Condvar was moved into');
  });
});
