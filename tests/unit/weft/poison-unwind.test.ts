/**
 * Rust poisons a lock whose guard is dropped while a panic unwinds, however
 * the guard is held and even when the panic is caught in the same thread
 * (std's `catch_unwind`); a read guard never poisons.
 * https://doc.rust-lang.org/std/sync/struct.Mutex.html#poisoning
 * Upstream: library/std/tests/sync/mutex.rs `test_mutex_arc_poison`,
 * rwlock.rs `test_rw_arc_poison_wr`, `test_rw_arc_no_poison_rr`.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { run } = programsWith(`import { spawn } from "weft/thread";
import { Arc, Mutex, RwLock, mpsc, drop } from "weft/sync";
`);

/** Runs to the end with no error but the panics of spawned threads the program joins (those are reported, as Rust prints them). */
async function ok(body: string) {
  const result = await run(body);
  expect(result.outcome.status, JSON.stringify(result.errors)).toBe('ok');
  return result;
}

describe('a guard disposed by `using` while a panic unwinds poisons its lock', () => {
  it('test_mutex_arc_poison: a thread that panics holding `using g = m.lock()` leaves the Mutex poisoned', async () => {
    const run = await ok(`
function main() {
  const data = new Arc(new Mutex(1));
  const d = data.clone();
  const h = spawn(() => {
    using g = d.lock();
    g.value = 2;
    throw new Error("boom");
  });
  try { h.join(); } catch (e) { console.log("join:", e.message); }
  console.log("poisoned:", data.isPoisoned());
}`);
    expect(run.lines).toEqual(['join: boom', 'poisoned: true']);
  });

  it('catch_unwind: a panic caught in the same thread still poisons the Mutex its `using` guard held', async () => {
    const run = await ok(`
function main() {
  const m = new Mutex(0);
  try {
    using g = m.lock();
    g.value = 1;
    throw new Error("caught below");
  } catch (e) {
    console.log("caught:", e.message);
  }
  console.log("poisoned:", m.isPoisoned());
  try { m.lock(); } catch (e) { console.log(e.name, e.intoInner().value); }
}`);
    expect(run.lines).toEqual(['caught: caught below', 'poisoned: true', 'PoisonError 1']);
  });

  it('a PoisonError caught and ignored leaves the lock free, as dropping Rust\'s Err drops its guard; intoInner() takes it again', async () => {
    const run = await ok(`
function main() {
  const m = new Arc(new Mutex(5));
  const rw = new Arc(new RwLock(5));
  const m2 = m.clone(), rw2 = rw.clone();
  try { spawn(() => { using g = m2.lock(); using w = rw2.write(); throw new Error("boom"); }).join(); } catch {}
  try { m.lock(); } catch (e) { console.log("main:", e.name); }
  try { rw.read(); } catch (e) { console.log("main read:", e.name); }
  const m3 = m.clone(), rw3 = rw.clone();
  console.log("other:", spawn(() => { try { m3.lock(); return "ok"; } catch (e) { return e.name; } }).join());
  console.log("other write:", spawn(() => { try { rw3.write(); return "ok"; } catch (e) { return e.name; } }).join());
  try { m.lock(); } catch (e) { using g = e.intoInner(); g.value += 1; console.log("recovered:", g.value); }
  try { rw.write(); } catch (e) { using w = e.intoInner(); w.value += 2; console.log("recovered write:", w.value); }
  m.clearPoison();
  using g = m.lock();
  console.log("after clearPoison:", g.value, m.tryLock() === undefined);
}`);
    expect(run.lines).toEqual([
      'main: PoisonError',
      'main read: PoisonError',
      'other: PoisonError',
      'other write: PoisonError',
      'recovered: 6',
      'recovered write: 7',
      'after clearPoison: 6 true',
    ]);
  });

  it('leaving the block normally, by return or by break, does not poison', async () => {
    const run = await ok(`
function bump(m) { using g = m.lock(); g.value += 1; return g.value; }
function main() {
  const m = new Mutex(0);
  bump(m);
  for (let i = 0; i < 3; i++) { using g = m.lock(); g.value += 1; if (i === 1) break; }
  { using g = m.lock(); g.value += 1; }
  console.log(m.isPoisoned(), m.lock().value);
}`);
    expect(run.lines).toEqual(['false 4']);
  });

  it('test_rw_arc_poison_wr: a panic holding `using w = lock.write()` poisons the RwLock', async () => {
    const run = await ok(`
function main() {
  const lock = new Arc(new RwLock(1));
  const l = lock.clone();
  try { spawn(() => { using w = l.write(); throw new Error("writer panics"); }).join(); } catch {}
  console.log("after a writer's panic:", lock.isPoisoned());
}`);
    expect(run.lines).toEqual(["after a writer's panic: true"]);
  });

  it('test_rw_arc_no_poison_rr: a panic holding `using r = lock.read()` does not poison', async () => {
    const run = await ok(`
function main() {
  const lock = new Arc(new RwLock(1));
  const l = lock.clone();
  try { spawn(() => { using r = l.read(); throw new Error("reader panics"); }).join(); } catch {}
  try { using r = lock.read(); throw new Error("caught"); } catch {}
  console.log("after readers' panics:", lock.isPoisoned());
}`);
    expect(run.lines).toEqual(["after readers' panics: false"]);
  });

  it('an inner `using` and an outer one in the same function both poison when a throw leaves them', async () => {
    const run = await ok(`
function main() {
  const a = new Mutex(0);
  const b = new Mutex(0);
  try {
    using ga = a.lock();
    {
      using gb = b.lock();
      throw new Error("x");
    }
  } catch {}
  console.log(a.isPoisoned(), b.isPoisoned());
}`);
    expect(run.lines).toEqual(['true true']);
  });

  it("an error that stands for Rust's Err (RecvError from recv) leaves the block like `?`: no poison", async () => {
    const run = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const shared = new Mutex(rx);
  drop(tx);
  try {
    using g = shared.lock();
    g.value.recv();
  } catch (e) {
    console.log(e.name);
  }
  console.log("poisoned:", shared.isPoisoned());
}`);
    expect(run.lines).toEqual(['RecvError', 'poisoned: false']);
  });

  it('a function declared after the `using` and called before it still works (the block keeps its scope)', async () => {
    const result = await ok(`
function main() {
  const m = new Mutex(1);
  console.log(helper());
  using g = m.lock();
  g.value = helper() + 1;
  console.log(g.value);
  function helper() { return 2; }
}`);
    expect(result.lines).toEqual(['2', '3']);
  });

  it('a lowered `using` calls the dispose method found at the declaration, as the native one does (MutexGuard\'s is called directly, issue 15)', async () => {
    const result = await ok(`
function main() {
  const m = new Mutex(1);
  const probe = m.lock();
  const Guard = probe.constructor;
  probe.unlock();
  const own = Guard.prototype[Symbol.dispose];
  // MutexGuard's dispose on an object of another class: the TypeError the method itself gives.
  try {
    using fake = { [Symbol.dispose]: own };
    console.log("in block");
  } catch (e) {
    console.log(e instanceof TypeError);
  }
  // A dispose method replaced before the declaration is the one called.
  const calls = [];
  Guard.prototype[Symbol.dispose] = function () { calls.push("replaced"); own.call(this); };
  try {
    using g = new Mutex(5).lock();
    g.value = 6;
  } finally {
    Guard.prototype[Symbol.dispose] = own;
  }
  console.log(calls.join(","));
}`);
    expect(result.lines).toEqual(['in block', 'true', 'replaced']);
  });
});
