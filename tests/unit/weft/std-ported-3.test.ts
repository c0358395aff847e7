/**
 * A third round of Rust std tests ported to weft: only the cases weft
 * failed before the fix or the addition that came with them. Each case
 * names the upstream test (or documented behaviour) it ports. Upstream:
 * library/std/src/thread/scoped.rs (the `scope` function's contract),
 * library/alloc/src/sync/tests.rs (Arc::try_unwrap, into_inner, ptr_eq),
 * library/std/tests/sync/lazy_lock.rs and rwlock.rs (the associated
 * function RwLockWriteGuard::downgrade).
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

describe('alloc sync/tests.rs: Arc::try_unwrap, Arc::into_inner, Arc::ptr_eq', () => {
  it('try_unwrap gives the value of a lone Arc and the Arc back otherwise; into_inner gives it to exactly one of two racing threads; ptr_eq', async () => {
    const result = await run(`
import { Arc, Mutex } from "weft/sync";
function main() {
  console.log(JSON.stringify(Arc.tryUnwrap(new Arc(3))));
  const x = new Arc(4); const y = x.clone();
  const back = Arc.tryUnwrap(x);
  console.log(back.ok, !back.ok && Arc.strongCount(back.value));
  y.drop();
  console.log(JSON.stringify(Arc.tryUnwrap(x)));
  let exactlyOne = true;
  for (let i = 0; i < 30; i++) {
    const a = new Arc(3); const b = a.clone();
    const r = spawn(() => Arc.intoInner(a)); const s = spawn(() => Arc.intoInner(b));
    const [rv, sv] = [r.join(), s.join()];
    exactlyOne &&= (rv === 3 && sv === undefined) || (rv === undefined && sv === 3);
  }
  const c = new Arc(4); const d = c.clone();
  console.log(exactlyOne, Arc.intoInner(c), Arc.intoInner(d));
  const counter = new Arc(new Mutex(0));
  const hs = [];
  for (let i = 0; i < 10; i++) { const m = counter.clone(); hs.push(spawn(() => { using g = m.lock(); g.value += 1; })); }
  for (const h of hs) h.join();
  const lone = Arc.tryUnwrap(counter);
  console.log(lone.ok && lone.value.intoInner());
  const five = new Arc(5); const same = five.clone(); const other = new Arc(5);
  console.log(Arc.ptrEq(five, same), Arc.ptrEq(five, other));
}`);
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['{"ok":true,"value":3}', 'false 2', '{"ok":true,"value":4}', 'true undefined 4', '10', 'true false']);
  });
});

describe('std tests/sync/lazy_lock.rs: LazyLock', () => {
  it('sync_lazy_new, static_sync_lazy (a module-level fn), sync_lazy_default (a Mutex inside), one run under a race, lazy_poisoning and lazy_lock_preserves_closure_panic_message', async () => {
    const result = await run(`
import { Arc, Mutex, LazyLock, AtomicUsize } from "weft/sync";
function makeXs() { const xs: number[] = []; xs.push(1); xs.push(2); xs.push(3); return xs; }
function main() {
  const CALLED = new Arc(new AtomicUsize(0));
  const called = CALLED.clone();
  const SYNC_LAZY = new Arc(new LazyLock(() => { called.fetchAdd(1); return 92; }));
  console.log(CALLED.load());
  const l2 = SYNC_LAZY.clone(); const c2 = CALLED.clone();
  console.log(spawn(() => [l2.force() - 30, c2.load()]).join().join(" "), SYNC_LAZY.force() - 30, CALLED.load());
  const made = new AtomicUsize(0);
  const lazy = new LazyLock(() => { made.fetchAdd(1); return new Mutex({ n: 42 }); });
  console.log(made.load());
  { using g = lazy.force().lock(); console.log(g.value.n); g.value.n = 21; }
  { using g = lazy.force().lock(); console.log(g.value.n, made.load()); }
  const XS = new Arc(new LazyLock(makeXs)); const x2 = XS.clone();
  console.log(JSON.stringify(spawn(() => x2.force()).join()), JSON.stringify(LazyLock.force(XS)));
  const runs = new AtomicUsize(0);
  const L = new LazyLock(() => { runs.fetchAdd(1); return "v"; });
  scope((s) => { for (let i = 0; i < 8; i++) s.spawn(() => { if (L.force() !== "v") throw new Error("bad"); }); });
  console.log(runs.load());
  const P = new LazyLock<string>(() => { throw new Error("custom panic message from closure"); });
  for (let i = 0; i < 2; i++) { try { P.force(); console.log("forced"); } catch (e: any) { console.log(e.message); } }
}`);
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual([
      '0',
      '62 1 62 1',
      '0',
      '42',
      '21 1',
      '[1,2,3] [1,2,3]',
      '1',
      'custom panic message from closure',
      'this LazyLock is poisoned: its initializer panicked in an earlier call (Rust: "LazyLock instance has previously been poisoned")',
    ]);
  });

  it('a LazyLock made from a local function value is refused as spawn refuses it: a function cannot go to another thread', async () => {
    const result = await run(`
import { LazyLock } from "weft/sync";
function main() {
  const make = () => 1;
  const f = [make][0];
  try { new LazyLock(f).force(); console.log("made"); } catch (e: any) { console.log(e.message.split(":")[0]); }
}`);
    expect(result.lines).toEqual(['cannot move `f` into a thread']);
  });
});

describe('std tests/sync/rwlock.rs: RwLockWriteGuard::downgrade as Rust writes it', () => {
  it('test_downgrade_basic and test_downgrade_observe with the associated function RwLockWriteGuard.downgrade(guard)', async () => {
    const result = await run(`
import { Arc, RwLock, RwLockWriteGuard } from "weft/sync";
function main() {
  const r = new RwLock(null);
  const read = RwLockWriteGuard.downgrade(r.write());
  read.unlock();
  const rw = new Arc(new RwLock(0));
  const handles = [];
  for (let w = 0; w < 4; w++) {
    const mine = rw.clone();
    handles.push(spawn(() => {
      for (let n = 0; n < 25; n++) {
        const g = mine.write();
        g.value += 1;
        const cur = g.value;
        const rg = RwLockWriteGuard.downgrade(g);
        if (rg.value !== cur) throw new Error("changed after downgrade");
        rg.unlock();
      }
    }));
  }
  for (const h of handles) h.join();
  console.log(rw.read().value);
}`);
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['100']);
  });
});

describe('alloc sync.rs: Arc::unwrap_or_clone (Rust 1.76)', () => {
  it('the documented example: a lone Arc gives its value, a shared one a copy (the Arc given up, the other keeping the value); a value holding handles is refused, the Arc untouched', async () => {
    const result = await run(`
import { Arc, Mutex } from "weft/sync";
function main() {
  const inner = { s: "test" };
  const rc = new Arc(inner);
  const taken = Arc.unwrapOrClone(rc);
  taken.s += "!"; // the value itself, this thread's own to change
  console.log(taken.s);
  const rc1 = new Arc(taken);
  const rc2 = rc1.clone();
  const copy = Arc.unwrapOrClone(rc1);
  copy.s = "changed";
  console.log(copy.s, rc2.s, Arc.strongCount(rc2));
  let spent = "";
  try { Arc.strongCount(rc1); } catch (e) { spent = (e as Error).message; }
  console.log(spent);
  console.log(Arc.unwrapOrClone(rc2).s);
  const m = new Arc(new Mutex(1)); const m2 = m.clone();
  let refused = "";
  try { Arc.unwrapOrClone(m); } catch (e) { refused = (e as Error).name; }
  console.log(refused, Arc.strongCount(m), Arc.strongCount(m2));
  const a = new Arc([1, 2, 3]); const b = a.clone();
  const r = spawn(() => Arc.unwrapOrClone(a).length); const t = spawn(() => Arc.unwrapOrClone(b).length);
  console.log(r.join(), t.join());
}`);
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['test!', 'changed test! 1', 'use of dropped value: this Arc was dropped', 'test!', 'TypeError 2 2', '3 3']);
  });
});
