import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

const imports = 'import { RwLock, Barrier } from "weft/sync";';

describe('weft/sync RwLock', () => {
  it('lets readers hold the lock at the same time (two read guards meet at a barrier)', async () => {
    // If a read excluded other readers, neither thread could reach the barrier's second seat.
    const run = await runProgram(
      program(
        `
  const shared = new Arc([new RwLock({ greeting: "hello" }), new Barrier(2)]);
  const readers = [];
  for (let i = 0; i < 2; i++) {
    const s = shared.clone();
    readers.push(spawn(() => {
      const [lock, barrier] = s;
      using r = lock.read();
      barrier.wait();
      return r.value.greeting + " " + i;
    }));
  }
  console.log(readers.map((h) => h.join()).join(", "));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['hello 0, hello 1']);
  });

  it('excludes readers and writers while a writer holds it, and publishes the write on release', async () => {
    const run = await runProgram(
      program(
        `
  const lock = new Arc(new RwLock(1));
  const l2 = lock.clone();
  const [locked, lockedRx] = mpsc.channel<string>();
  const [release, releaseRx] = mpsc.channel<string>();
  const writer = spawn(() => {
    using w = l2.write();
    w.value = 2;
    locked.send("locked");
    releaseRx.recv();
  });
  lockedRx.recv();
  console.log("while writing:", lock.tryRead() === undefined, lock.tryWrite() === undefined);
  release.send("go");
  writer.join();
  using r = lock.read();
  console.log("after:", r.value);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['while writing: true true', 'after: 2']);
  });

  it('excludes writers while a reader holds it, but admits another reader', async () => {
    const run = await runProgram(
      program(
        `
  const lock = new Arc(new RwLock("v"));
  const l2 = lock.clone();
  using r = lock.read();
  const seen = spawn(() => {
    const w = l2.tryWrite();
    const other = l2.tryRead();
    return [w === undefined, other !== undefined && other.value === "v"];
  }).join();
  console.log(seen.join(" "));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['true true']);
  });

  it('loses no update when 4 writers increment while readers read', async () => {
    const writers = 4;
    const perWriter = 200;
    const run = await runProgram(
      program(
        `
  const lock = new Arc(new RwLock(0));
  const threads = [];
  for (let t = 0; t < ${writers}; t++) {
    const l = lock.clone();
    threads.push(spawn(() => {
      let lastSeen = 0, monotonic = true;
      for (let k = 0; k < ${perWriter}; k++) {
        { using w = l.write(); w.value += 1; }
        { using r = l.read(); if (r.value < lastSeen) monotonic = false; lastSeen = r.value; }
      }
      return monotonic;
    }));
  }
  const monotonic = threads.map((h) => h.join());
  using r = lock.read();
  console.log(r.value, monotonic.every(Boolean));`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([`${writers * perWriter} true`]);
  });

  it('prefers writers: once a writer waits, new readers wait too, and a re-entrant read is reported as the deadlock it would be', async () => {
    const run = await runProgram(
      program(
        `
  const lock = new Arc(new RwLock(0));
  const l2 = lock.clone();
  const first = lock.read();
  const [tx, rx] = mpsc.channel<string>();
  const writer = spawn(() => {
    tx.send("about to write");
    using w = l2.write();
    w.value = 42;
  });
  rx.recv();
  // Until the writer is queued, another read is still granted; then new readers are refused.
  for (let extra = lock.tryRead(); extra !== undefined; extra = lock.tryRead()) {
    extra.unlock();
    sleep(1);
  }
  console.log("a writer waits, so tryRead refuses");
  try {
    lock.read();
  } catch (e) {
    console.log(e.message.includes("deadlock"), e.message.includes("while a writer waits"));
  }
  first.unlock();
  writer.join();
  using r = lock.read();
  console.log("writer went next:", r.value);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['a writer waits, so tryRead refuses', 'true true', 'writer went next: 42']);
  });

  it('a panic while holding the write guard poisons the lock; the value is recovered and the poison cleared', async () => {
    const run = await runProgram(
      program(
        `
  const lock = new Arc(new RwLock([1, 2]));
  const l2 = lock.clone();
  const h = spawn(() => {
    const w = l2.write();
    w.value.push(3);
    throw new Error("panic while writing");
  });
  try { h.join(); } catch (e) { console.log("joined:", e.message); }
  console.log("poisoned:", lock.isPoisoned());
  try {
    lock.read();
  } catch (e) {
    console.log(e instanceof PoisonError, e.message.includes("RwLock"));
    const r = e.intoInner();
    console.log("recovered", r.value.join(","));
    r.unlock();
  }
  try { lock.write(); } catch (e) { console.log("write too:", e instanceof PoisonError); e.intoInner().unlock(); }
  lock.clearPoison();
  using r = lock.read();
  console.log("cleared:", lock.isPoisoned(), r.value.length);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([
      'joined: panic while writing',
      'poisoned: true',
      'true true',
      'recovered 1,2,3',
      'write too: true',
      'cleared: false 3',
    ]);
  });

  it('a panic while holding only a read guard does not poison, and the read lock is released', async () => {
    const run = await runProgram(
      program(
        `
  const lock = new Arc(new RwLock(5));
  const l2 = lock.clone();
  const h = spawn(() => { const r = l2.read(); throw new Error("panic while reading " + r.value); });
  try { h.join(); } catch (e) { console.log("joined:", e.message); }
  using w = lock.write();
  console.log("poisoned:", lock.isPoisoned(), w.value);`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['joined: panic while reading 5', 'poisoned: false 5']);
  });

  it('reports asking for the write lock while this thread holds it, instead of hanging', async () => {
    const run = await runProgram(
      program(
        `
  const lock = new RwLock(1);
  const w = lock.write();
  try { lock.read(); } catch (e) { console.log(e.message.includes("already holds the write lock")); }
  w.unlock();
  const r = lock.read();
  lock.write();`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('panic');
    expect(run.lines).toEqual(['true']);
    expect(run.errors[0]!.message).toContain('holds a read guard of this RwLock and asked for the write lock');
  });

  it("a read guard's value is frozen: changes must go through write()", async () => {
    const run = await runProgram(
      program(
        `
  const lock = new RwLock({ items: [1] });
  {
    using r = lock.read();
    try { r.value.items.push(2); } catch (e) { console.log(e instanceof TypeError); }
  }
  { using w = lock.write(); w.value.items.push(2); }
  using r = lock.read();
  console.log(r.value.items.join(","));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['true', '1,2']);
  });

  it('read() and write() are switch points of the seeded scheduler, so a seed can show a reader what a writer left between two write guards', async () => {
    // The writer changes a pair in two steps, under two write guards; only a switch between them lets the reader see the pair half changed.
    const source = program(
      `
  const pair = new Arc(new RwLock({ a: 0, b: 0 }));
  const w = pair.clone();
  const writer = spawn(() => {
    { using g = w.write(); g.value = { ...g.value, a: 1 }; }
    { using g = w.write(); g.value = { ...g.value, b: 1 }; }
  });
  const seen = [];
  for (let i = 0; i < 4; i++) { using r = pair.read(); seen.push(r.value.a + "" + r.value.b); }
  writer.join();
  console.log(seen.join(" "));`,
      imports,
    );
    const outputs = [];
    for (const seed of [1, 2, 3, 4, 5, 6]) outputs.push((await runProgram(source, { seed })).lines[0]);
    expect(outputs.some((line) => line!.includes('10'))).toBe(true);
    // The same seed replays the same interleaving.
    expect((await runProgram(source, { seed: 1 })).lines[0]).toBe(outputs[0]);
  }, 120_000);
});
