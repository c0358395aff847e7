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
