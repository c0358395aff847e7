/**
 * Rust std tests that the conformance suite had not ported, and which weft
 * failed: each case is the upstream test's body in weft, with what it
 * asserts. Upstream: library/std/tests/sync/mpsc.rs, mpsc_sync.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";
`);

describe('std mpsc: Receiver.iter()', () => {
  it('test_recv_try_iter and test_recv_iter_break', async () => {
    const run = await ok(`
function main() {
  {
    const [requestTx, requestRx] = mpsc.channel<void>();
    const [responseTx, responseRx] = mpsc.channel<number>();
    const t = spawn(() => {
      let count = 0;
      for (;;) {
        for (const x of responseRx.tryIter()) {
          count += x;
          if (count === 6) return count;
        }
        requestTx.send(undefined);
      }
    });
    for (const _ of requestRx.iter()) {
      try { responseTx.send(2); } catch { break; }
    }
    console.log("test_recv_try_iter", t.join());
  }
  {
    const [tx, rx] = mpsc.syncChannel<number>(0);
    const [countTx, countRx] = mpsc.syncChannel<number>(0);
    const t = spawn(() => {
      let count = 0;
      for (const x of rx.iter()) {
        if (count >= 3) break;
        count += x;
      }
      countTx.send(count);
    });
    tx.send(2); tx.send(2); tx.send(2);
    try { tx.trySend(2); } catch {}
    drop(tx);
    console.log("test_recv_iter_break", countRx.recv());
    t.join();
  }
}`);
    expect(run.lines).toEqual(['test_recv_try_iter 6', 'test_recv_iter_break 4']);
  });
});

describe('std once_lock.rs: into_inner and from_impl', () => {
  it('OnceLock.intoInner gives the value or undefined and spends the cell; OnceLock.from holds its value', async () => {
    const run = await ok(`
import { OnceLock } from "weft/sync";
function main() {
  const empty = new OnceLock<string>();
  console.log("into_inner empty:", empty.intoInner());
  const cell = new OnceLock<string>();
  cell.set("hello");
  console.log("into_inner:", cell.intoInner());
  try { cell.get(); } catch (e: any) { console.log("spent:", e.name); }
  console.log("from_impl:", OnceLock.from("value").get(), OnceLock.from("foo").get() !== "bar");
  const shared = OnceLock.from(7);
  console.log("from, in a thread:", spawn(() => shared.get()).join());
}`);
    expect(run.lines).toEqual(['into_inner empty: undefined', 'into_inner: hello', 'spent: MovedValueError', 'from_impl: value true', 'from, in a thread: 7']);
  });
});

describe('core tests/atomic.rs: AtomicUsize, AtomicIsize and the 8- and 16-bit atomics', () => {
  it('uint_and/nand/or/xor/min/max, int_*, and wrapping at each width; they cross threads', async () => {
    const run = await ok(`
import { AtomicUsize, AtomicIsize, AtomicU8, AtomicI8, AtomicU16, AtomicI16, Ordering } from "weft/sync";
import { scope } from "weft/thread";
function main() {
  const u = new AtomicUsize(0xf731);
  const r1 = [u.fetchAnd(0x137f, Ordering.SeqCst), u.load()];
  u.store(0xf731); const r2 = [u.fetchNand(0x137f), u.load() === (~(0xf731 & 0x137f) >>> 0)];
  u.store(0xf731); const r3 = [u.fetchMin(0x137f), u.load(), u.fetchMin(0xf731), u.load()];
  u.store(0x137f); const r4 = [u.fetchMax(0xf731), u.load()];
  const i = new AtomicIsize(0xf731);
  const r5 = [i.fetchNand(0x137f), i.load() === ~(0xf731 & 0x137f), i.fetchMin(-5), i.load()];
  console.log(JSON.stringify([r1, r2, r3, r4, r5]));
  const u8 = new AtomicU8(255), i8 = new AtomicI8(127), u16 = new AtomicU16(0), i16 = new AtomicI16(-32768);
  console.log(u8.fetchAdd(1), u8.load(), i8.fetchAdd(1), i8.load(), u16.fetchSub(1), u16.load(), i16.fetchSub(1), i16.load());
  const cx = u8.compareExchange(0, 7);
  console.log(cx.ok, cx.value, u8.load(), u8.fetchNand(0x0f), u8.load());
  const counter = new AtomicUsize(0);
  scope((s) => { for (let t = 0; t < 3; t++) s.spawn(() => { for (let k = 0; k < 100; k++) counter.fetchAdd(1); }); });
  console.log("threads:", counter.load(), String(new AtomicI8(-3)));
  try { new AtomicU8(1.5); } catch (e: any) { console.log(e.name, e.message); }
}`);
    expect(run.lines).toEqual([
      '[[63281,4913],[63281,true],[63281,4991,4991,4991],[4991,63281],[63281,true,-4914,-4914]]',
      '255 0 127 -128 0 65535 -32768 32767',
      'true 0 7 7 248',
      'threads: 300 -3',
      'TypeError AtomicU8 holds whole numbers, got 1.5',
    ]);
  });
});

describe('std thread/tests.rs: Builder.spawnScoped and an invalid name', () => {
  it('test_invalid_named_thread panics; Builder::spawn_scoped names a scoped thread that borrows', async () => {
    const result = await ok(`
import { Builder, scope, current } from "weft/thread";
import { AtomicI32 } from "weft/sync";
function main() {
  try { new Builder().name("ada l\\0velace").spawn(() => {}); console.log("accepted"); } catch (e: any) { console.log(e.message); }
  const n = new AtomicI32(0);
  const names = scope((s) => {
    const a = new Builder().name("scoped-a").spawnScoped(s, () => { n.fetchAdd(1); return current().name(); });
    const b = new Builder().name("scoped-b").spawnScoped(s, () => { n.fetchAdd(2); return current().name(); });
    return [a.join(), b.join()];
  });
  console.log(names.join(","), n.load());
}`);
    expect(result.lines).toEqual(['thread name may not contain interior null bytes', 'scoped-a,scoped-b 3']);
  });
});

describe('std Condvar: notify_one wakes one waiter', () => {
  it('free-running, each notifyOne lets exactly one of three waiters go; a notifyOne with nobody waiting is not kept', async () => {
    const result = await ok(`
import { sleep } from "weft/thread";
import { Arc, Mutex, Condvar, AtomicI32 } from "weft/sync";
function main() {
  const pair = new Arc([new Mutex(0), new Condvar(), new AtomicI32(0)] as const);
  const hs = [];
  for (let i = 0; i < 3; i++) {
    const p = pair.clone();
    hs.push(spawn(() => { const [m, c, woke] = p; using g = m.lock(); g.value++; c.wait(g); woke.fetchAdd(1); }));
  }
  const [m, c, woke] = pair;
  for (;;) { { using g = m.lock(); if (g.value === 3) break; } sleep(5); }
  const seen = [];
  { using g = m.lock(); c.notifyOne(); }
  sleep(400); seen.push(woke.load());
  { using g = m.lock(); c.notifyOne(); }
  sleep(400); seen.push(woke.load());
  { using g = m.lock(); c.notifyAll(); }
  for (const h of hs) h.join();
  seen.push(woke.load());
  c.notifyOne();
  { using g = m.lock(); seen.push(c.waitTimeout(g, 50).timedOut); }
  console.log(seen.join(" "));
}`);
    expect(result.lines).toEqual(['1 2 3 true']);
  });
});

describe('alloc sync/tests.rs: Weak, Arc.getMut and Arc.makeMut', () => {
  it('test_live, test_dead, test_new_weak, weak_counts, test_strong_count, test_weak_count, drop_arc_weak', async () => {
    const run = await ok(`
import { Arc, Weak, Mutex } from "weft/sync";
function main() {
  { const x = new Arc(5); const y = Arc.downgrade(x); console.log("test_live", Arc.get(y.upgrade()!)); }
  { const x = new Arc(5); const y = Arc.downgrade(x); drop(x); console.log("test_dead", y.upgrade()); }
  console.log("test_new_weak", new Weak<number>().upgrade(), new Weak().weakCount(), new Weak().strongCount());
  {
    const a = new Arc(0); const w = Arc.downgrade(a);
    const seen = [w.strongCount(), w.weakCount()];
    const w2 = w.clone(); seen.push(w.strongCount(), w.weakCount(), w2.strongCount(), w2.weakCount());
    drop(w); seen.push(w2.strongCount(), w2.weakCount());
    const a2 = a.clone(); seen.push(w2.strongCount(), w2.weakCount());
    drop(a2); drop(a); seen.push(w2.strongCount(), w2.weakCount());
    drop(w2);
    console.log("weak_counts", seen.join(" "));
  }
  {
    const a = new Arc(0); const seen = [Arc.strongCount(a)];
    const w = Arc.downgrade(a); seen.push(Arc.strongCount(a));
    const b = w.upgrade()!; seen.push(Arc.strongCount(b), Arc.strongCount(a));
    drop(w); drop(a); seen.push(Arc.strongCount(b));
    const c = b.clone(); seen.push(Arc.strongCount(b), Arc.strongCount(c));
    console.log("test_strong_count", seen.join(" "));
  }
  {
    const a = new Arc(0); const seen = [Arc.strongCount(a), Arc.weakCount(a)];
    const w = Arc.downgrade(a); seen.push(Arc.strongCount(a), Arc.weakCount(a));
    const x = w.clone(); seen.push(Arc.weakCount(a));
    drop(w); drop(x); seen.push(Arc.strongCount(a), Arc.weakCount(a));
    const c = a.clone(); seen.push(Arc.strongCount(a), Arc.weakCount(a));
    const d = Arc.downgrade(c); seen.push(Arc.weakCount(c), Arc.strongCount(c));
    drop(a); drop(c); drop(d);
    console.log("test_weak_count", seen.join(" "));
  }
  {
    // drop_arc_weak: the value is dropped with the last Arc, not the last Weak (a Sender inside closes its channel).
    const [tx, rx] = mpsc.channel<number>();
    const arc = new Arc({ tx }); const weak = Arc.downgrade(arc);
    console.log("drop_arc_weak before", rx.tryRecv === undefined ? "?" : (() => { try { rx.tryRecv(); } catch (e: any) { return e.kind; } })());
    drop(arc);
    console.log("drop_arc_weak after", (() => { try { rx.tryRecv(); } catch (e: any) { return e.kind; } })(), weak.upgrade());
    drop(weak);
  }
  console.log("ptr_eq", Weak.prototype.ptrEq.call(new Weak(), new Weak()), (() => { const a = new Arc(1); return Arc.downgrade(a).ptrEq(Arc.downgrade(a)); })());
}`);
    expect(run.lines).toEqual([
      'test_live 5',
      'test_dead undefined',
      'test_new_weak undefined 0 0',
      'weak_counts 1 1 1 2 1 2 1 1 2 1 0 0',
      'test_strong_count 1 1 2 2 1 2 2',
      'test_weak_count 1 0 1 1 2 1 0 2 0 1 2',
      'drop_arc_weak before empty',
      'drop_arc_weak after disconnected undefined',
      'ptr_eq true true',
    ]);
  });

  it('a Weak moves into a thread: it upgrades while main holds the Arc, not after main dropped it', async () => {
    const run = await ok(`
import { Arc, Barrier } from "weft/sync";
function main() {
  const data = new Arc({ n: 7 });
  const weak = Arc.downgrade(data);
  const gate = new Arc(new Barrier(2)); const g = gate.clone();
  const [tx, rx] = mpsc.channel<string>();
  const t = spawn(() => {
    const a = weak.upgrade();
    tx.send(a === undefined ? "gone" : String(a.n + Arc.strongCount(a)));
    a?.drop();
    g.wait(); g.wait();
    tx.send(String(weak.upgrade()));
  });
  console.log(rx.recv());
  gate.wait(); drop(data); gate.wait();
  console.log(rx.recv());
  t.join();
}`);
    expect(run.lines).toEqual(['9', 'undefined']);
  });

  it('test_arc_get_mut, test_cowarc_clone_make_mut, test_cowarc_clone_unique2, test_cowarc_clone_weak, test_weak_count_locked', async () => {
    const run = await ok(`
import { Arc, AtomicBool, Ordering } from "weft/sync";
function main() {
  {
    const x = new Arc(3);
    Arc.getMut(x)!.value = 4;
    const seen: unknown[] = [Arc.get(x)];
    const y = x.clone(); seen.push(Arc.getMut(x), Arc.get(y));
    drop(y); seen.push(Arc.getMut(x) !== undefined);
    const w = Arc.downgrade(x); seen.push(Arc.getMut(x));
    console.log("test_arc_get_mut", seen.map(String).join(" "));
  }
  {
    const cow0 = new Arc(75); const cow1 = cow0.clone(); const cow2 = cow1.clone();
    const first = [Arc.makeMut(cow0).value, Arc.makeMut(cow1).value, Arc.makeMut(cow2).value];
    Arc.makeMut(cow0).value += 1; Arc.makeMut(cow1).value += 2; Arc.makeMut(cow2).value += 3;
    console.log("test_cowarc_clone_make_mut", first.join(","), Arc.get(cow0), Arc.get(cow1), Arc.get(cow2), Arc.ptrEq(cow0, cow1) || Arc.ptrEq(cow1, cow2));
  }
  {
    const cow0 = new Arc(75); const cow1 = cow0.clone(); const cow2 = cow1.clone();
    Arc.makeMut(cow0).value += 1;
    console.log("test_cowarc_clone_unique2", Arc.get(cow0), Arc.get(cow1), Arc.get(cow2), Arc.ptrEq(cow1, cow2), Arc.strongCount(cow1), Arc.strongCount(cow0));
  }
  {
    const cow0 = new Arc(75); const weak = Arc.downgrade(cow0);
    // Rust drops the upgraded temporary at the end of its statement; JavaScript drops nothing, so it is dropped here.
    const up = weak.upgrade()!; const before = Arc.get(up); drop(up);
    Arc.makeMut(cow0).value += 1;
    console.log("test_cowarc_clone_weak", before, Arc.get(cow0), weak.upgrade(), Arc.weakCount(cow0));
  }
  {
    const a = new Arc(new AtomicBool(false)); const a2 = a.clone();
    const t = spawn(() => { for (let i = 0; i < 20000; i++) Arc.getMut(a); a.store(true, Ordering.SeqCst); });
    let worst = 0;
    while (!a2.load(Ordering.SeqCst)) worst = Math.max(worst, Arc.weakCount(a2));
    t.join();
    console.log("test_weak_count_locked", worst < 2);
  }
}`);
    expect(run.lines).toEqual([
      'test_arc_get_mut 4 undefined 4 true undefined',
      'test_cowarc_clone_make_mut 75,75,75 76 77 78 false',
      'test_cowarc_clone_unique2 76 75 75 true 2 1',
      'test_cowarc_clone_weak 75 76 undefined 0',
      'test_weak_count_locked true',
    ]);
  });

  it('an object changed through getMut is what clones, other threads and intoInner see; an ArcMut kept past a clone throws', async () => {
    const run = await ok(`
import { Arc } from "weft/sync";
function main() {
  const a = new Arc({ xs: [1, 2] });
  Arc.getMut(a)!.value.xs.push(3);
  const kept = Arc.getMut(a)!;
  const b = a.clone();
  const b2 = b.clone();
  console.log(JSON.stringify(b), spawn(() => b2.xs.length).join());
  try { kept.value.xs.push(4); } catch (e: any) { console.log(e.message.slice(0, 29)); }
  try { a.xs.push(4); } catch (e: any) { console.log(e.name); }
  const m = Arc.makeMut(a); m.value = { xs: [9] };
  console.log(JSON.stringify(a), Arc.ptrEq(a, b), JSON.stringify(Arc.intoInner(a)));
}`);
    expect(run.lines).toEqual(['{"xs":[1,2,3]} 3', 'this ArcMut was given up: its', 'TypeError', '{"xs":[9]} false {"xs":[9]}']);
  });
});

describe('std tests/sync/once_lock.rs: get_mut, take, get_or_try_init, sync_once_cell_drop', () => {
  it('sync_once_cell_get_mut, take, get_or_try_init (a panic and an Err leave it empty), into_inner of a taken cell', async () => {
    const run = await ok(`
import { OnceLock } from "weft/sync";
function main() {
  const c = new OnceLock<number>();
  const seen: unknown[] = [c.getMut()];
  c.set(90);
  c.getMut()!.value += 2;
  seen.push(c.getMut()!.value, c.get(), spawn(() => c.get()).join());
  console.log("sync_once_cell_get_mut", seen.map(String).join(" "));
  const t = new OnceLock<string[]>();
  t.set(["a"]);
  t.getMut()!.value.push("b");
  const taken = t.take();
  console.log("take", JSON.stringify(taken), t.get(), t.take(), JSON.stringify(t.set(["c"])), t.get()!.join());
  const cell = new OnceLock<string>();
  try { cell.getOrTryInit(() => { throw new Error("boom"); }); } catch (e: any) { console.log("panicked:", e.message, cell.get()); }
  console.log("err:", JSON.stringify(cell.getOrTryInit(() => ({ ok: false, value: "nope" }))), cell.get());
  console.log("ok:", JSON.stringify(cell.getOrTryInit(() => ({ ok: true, value: "hello" }))), cell.get());
  console.log("again:", JSON.stringify(cell.getOrTryInit(() => ({ ok: true, value: "other" }))));
  console.log("into_inner:", cell.intoInner());
}`);
    expect(run.lines).toEqual([
      'sync_once_cell_get_mut undefined 92 92 92',
      'take ["a","b"] undefined undefined {"ok":true} c',
      'panicked: boom undefined',
      'err: {"ok":false,"value":"nope"} undefined',
      'ok: {"ok":true,"value":"hello"} hello',
      'again: {"ok":true,"value":"hello"}',
      'into_inner: hello',
    ]);
  });

  it('sync_once_cell_drop: the value set in a thread is dropped with the cell (a Sender inside closes its channel), and taking it out hands it over', async () => {
    const run = await ok(`
import { OnceLock, Arc, LazyLock, Mutex } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const x = new Arc(new OnceLock<mpsc.Sender<number>>());
  spawn(() => { const t = tx; x.getOrInit(() => t); x.get()!.send(1); drop(x); }).join();
  console.log("sync_once_cell_drop", rx.recv(), (() => { try { rx.recv(); return "open"; } catch (e: any) { return e.name; } })());
  const [tx2, rx2] = mpsc.channel<number>();
  const cell = new OnceLock<mpsc.Sender<number>>();
  cell.set(tx2);
  const back = cell.take()!;
  back.send(2);
  console.log("take hands the Sender over", rx2.recv());
  // Rust would not compile a handle kept past its LazyLock; weft's kept one finds the value dropped with it.
  const lazy = new Arc(new LazyLock(() => new Mutex([1, 2, 3])));
  const kept = lazy.force();
  drop(lazy);
  const guard = kept.lock();
  try { console.log(guard.value); } catch (e: any) { console.log("a dropped LazyLock drops its value:", e.message.slice(0, 44)); }
  guard.unlock();
  const never = new Arc(new LazyLock(() => 1));
  const other = never.clone();
  drop(never);
  console.log("unforced, one Arc left:", other.force());
}`);
    expect(run.lines).toEqual([
      'sync_once_cell_drop 1 RecvError',
      'take hands the Sender over 2',
      'a dropped LazyLock drops its value: use of dropped value: this Mutex was dropped',
      'unforced, one Arc left: 1',
    ]);
  });
});
