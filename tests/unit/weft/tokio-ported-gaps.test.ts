/**
 * Tokio tests that the conformance suite had not ported, and which weft
 * failed: each case is the upstream test's body in weft, with what it
 * asserts. Upstream: tokio/tests/sync_mpsc.rs, sync_watch.rs,
 * sync_broadcast.rs, sync_barrier.rs, time_interval.rs, task_join_set.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { spawn, sleep, yieldNow, select, time, mpsc, watch, broadcast, Barrier, JoinSet, interval, intervalAt, Poll, drop, type Awaitable } from "weft/task";
async function settle() { for (let i = 0; i < 5; i++) await yieldNow(); }
function readyNow(): Awaitable<void> { return { poll: () => Poll.ready(undefined) } as unknown as Awaitable<void>; }
async function pollOnce<T>(f: Awaitable<T>): Promise<{ ready: boolean; value?: T }> {
  const r = await select({ f, now: readyNow() }, { biased: true });
  return r.key === "f" ? { ready: true, value: r.value as T } : { ready: false };
}
`);

describe('tokio sync_mpsc.rs: Receiver is_closed / is_empty / capacity', () => {
  it('test_rx_is_closed_* and test_rx_is_empty_*', async () => {
    const run = await ok(`
async function main() {
  // test_rx_is_closed_when_calling_close_with_sender
  { const [tx, rx] = mpsc.channel<number>(10); rx.close(); console.log("close with sender:", rx.isClosed()); drop(tx); }
  // test_rx_is_closed_when_dropping_all_senders
  { const [tx, rx] = mpsc.channel<number>(10); const tx2 = tx.clone(); drop(tx); console.log("one of two dropped:", rx.isClosed()); drop(tx2); console.log("all dropped:", rx.isClosed()); }
  // test_rx_is_not_closed_when_there_are_permits_but_not_senders
  { const [tx, rx] = mpsc.channel<number>(10); const permit = tx.tryReserve(); console.log("permit held:", rx.isClosed()); drop(permit); }
  // test_rx_is_closed_when_there_are_messages_and_close_is_called
  { const [tx, rx] = mpsc.channel<number>(10); await tx.send(1); rx.close(); console.log("messages and close:", rx.isClosed(), rx.isEmpty()); }
  // test_rx_is_empty_all_senders_are_dropped_and_messages_consumed
  { const [tx, rx] = mpsc.channel<number>(10); await tx.send(1); console.log("one queued empty:", rx.isEmpty(), rx.len()); drop(tx); await rx.recv(); console.log("consumed:", rx.isEmpty(), rx.isClosed()); }
  // test_rx_unbounded_*
  { const [tx, rx] = mpsc.unboundedChannel<number>(); console.log("unbounded open:", rx.isClosed(), rx.isEmpty()); tx.send(1); console.log("unbounded one:", rx.isEmpty()); drop(tx); console.log("unbounded dropped:", rx.isClosed()); }
  // Receiver::capacity / max_capacity, sender counts
  { const [tx, rx] = mpsc.channel<number>(4); await tx.send(1); console.log("capacity:", rx.capacity(), rx.maxCapacity(), rx.senderStrongCount(), tx.sameChannel(tx.clone()), tx.strongCount()); }
}`);
    expect(run.lines).toEqual([
      'close with sender: true',
      'one of two dropped: false',
      'all dropped: true',
      'permit held: false',
      'messages and close: true false',
      'one queued empty: false 1',
      'consumed: true true',
      'unbounded open: false true',
      'unbounded one: false',
      'unbounded dropped: true',
      'capacity: 3 4 1 true 2',
    ]);
  });
});

describe('tokio sync_barrier.rs: weft/task has a Barrier', () => {
  it('zero_does_not_block, single, tango, lots', async () => {
    const run = await ok(`
async function main() {
  const zero = new Barrier(0);
  console.log("zero:", (await zero.wait()).isLeader(), (await zero.wait()).isLeader());
  const single = new Barrier(1);
  console.log("single:", (await single.wait()).isLeader(), (await single.wait()).isLeader(), (await single.wait()).isLeader());
  const b = new Barrier(2);
  const y = spawn(async () => (await b.wait()).isLeader());
  await settle();
  console.log("tango: first pending", !y.isFinished());
  const wr = (await b.wait()).isLeader();
  const yr = await y;
  console.log("tango: one leader", wr !== yr && (wr || yr));
  const big = new Barrier(100);
  for (let round = 0; round < 3; round++) {
    const waits = [];
    for (let i = 0; i < 99; i++) waits.push(spawn(async () => (await big.wait()).isLeader()));
    await settle();
    let pending = waits.every((w) => !w.isFinished());
    let leaders = (await big.wait()).isLeader() ? 1 : 0;
    for (const w of waits) if (await w) leaders++;
    console.log("lots round", round, pending, leaders);
  }
}`);
    expect(run.lines).toEqual([
      'zero: true true',
      'single: true true true',
      'tango: first pending true',
      'tango: one leader true',
      'lots round 0 true 1',
      'lots round 1 true 1',
      'lots round 2 true 1',
    ]);
  });
});

describe('tokio sync_watch.rs: sendIfModified, waitFor, markChanged, cloned Senders', () => {
  it('rx_mark_changed, rx_mark_unchanged, wait_for_returns_correct_value, wait_for_errors_on_closed_channel_true_predicate', async () => {
    const run = await ok(`
async function main() {
  const [tx, rx] = watch.channel("one");
  const rx2 = rx.clone();
  rx.markChanged();
  console.log("mark_changed:", rx.hasChanged(), rx2.hasChanged());
  await rx.changed();
  console.log("changed at once:", rx.borrow(), rx.hasChanged());
  tx.send("two");
  rx.markUnchanged();
  console.log("mark_unchanged:", rx.hasChanged(), rx2.hasChanged());

  const [tx3, rx3main] = watch.channel(0);
  const rx3 = rx3main.clone();
  const waiter = spawn(async () => await rx3.waitFor((v) => v === 5));
  for (let i = 1; i < 10; i++) { tx3.send(i); await settle(); }
  console.log("wait_for value:", await waiter);
  console.log("current already true:", await rx3main.waitFor((v) => v === 9));

  const [tx4, rx4] = watch.channel(0);
  drop(tx4);
  try { console.log("closed, true predicate:", await rx4.waitFor(() => true)); } catch (e: any) { console.log("closed:", e.name); }
  const [tx5, rx5] = watch.channel(0);
  tx5.send(1); drop(tx5);
  console.log("closed with unseen value:", await rx5.waitFor((v) => v === 1));
  try { await rx5.waitFor((v) => v === 2); } catch (e: any) { console.log("closed, false predicate:", e.name); }
}`);
    expect(run.lines).toEqual([
      'mark_changed: true false',
      'changed at once: one false',
      'mark_unchanged: false true',
      'wait_for value: 5',
      'current already true: 9',
      'closed, true predicate: 0',
      'closed with unseen value: 1',
      'closed, false predicate: RecvError',
    ]);
  });

  it('send_if_modified notifies only when modified; multiple_sender; receiver_is_notified_when_last_sender_is_dropped', async () => {
    const run = await ok(`
async function main() {
  const [tx, rx] = watch.channel({ counter: 0 });
  for (let i = 0; i < 4; i++) {
    const modified = tx.sendIfModified((state) => { if (state.counter < 2) { state.counter++; return true; } return false; });
    console.log("modified", modified, rx.hasChanged(), rx.borrowAndUpdate().counter);
  }
  const [ntx, nrx] = watch.channel(1);
  console.log("set a number:", ntx.sendIfModified((v, set) => { set(v + 1); return true; }), nrx.borrowAndUpdate());

  const [tx1, rx1] = watch.channel(0);
  const tx2 = tx1.clone();
  const rx1b = rx1.clone();
  console.log("same channel:", tx1.sameChannel(tx2), rx1.sameChannel(tx2), tx1.sameChannel(ntx));
  const t = spawn(async () => {
    await rx1.changed(); const a = rx1.borrowAndUpdate();
    await rx1.changed(); const b = rx1.borrowAndUpdate();
    return [a, b];
  });
  await settle();
  tx1.send(1); await settle();
  tx2.send(2);
  console.log("multiple_sender:", JSON.stringify(await t));
  const w = spawn(async () => { try { rx1b.borrowAndUpdate(); await rx1b.changed(); return "changed"; } catch (e: any) { return e.name; } });
  drop(tx1); await settle();
  console.log("one of two dropped, still waiting:", !w.isFinished());
  drop(tx2);
  console.log("last dropped:", await w);
}`);
    expect(run.lines).toEqual([
      'modified true true 1',
      'modified true true 2',
      'modified false false 2',
      'modified false false 2',
      'set a number: true 2',
      'same channel: true true false',
      'multiple_sender: [1,2]',
      'one of two dropped, still waiting: true',
      'last dropped: RecvError',
    ]);
  });
});

describe('tokio time_interval.rs: reset, reset_immediately, reset_after, reset_at', () => {
  it('each reset moves the next tick as Tokio does', async () => {
    const run = await ok(`
async function ticks(iv: any, start: number): Promise<string> {
  const got: number[] = [];
  for (;;) { const r = await pollOnce(iv.tick()); if (!r.ready) break; got.push((r.value as number) - start); }
  return JSON.stringify(got);
}
async function main() {
  time.pause();
  for (const how of ["reset", "resetImmediately", "resetAfter", "resetAt", "resetAtBig"]) {
    const start = time.now();
    await time.advance(1);
    const iv = intervalAt(start, 300);
    const seen = [await ticks(iv, start)];
    await time.advance(100); seen.push(await ticks(iv, start));
    await time.advance(200); seen.push(await ticks(iv, start));
    await time.advance(100); seen.push(await ticks(iv, start));
    if (how === "reset") { iv.reset(); await time.advance(250); seen.push(await ticks(iv, start)); await time.advance(50); }
    if (how === "resetImmediately") iv.resetImmediately();
    if (how === "resetAfter") { iv.resetAfter(20); await time.advance(20); }
    if (how === "resetAt") { iv.resetAt(time.now() + 40); await time.advance(40); }
    if (how === "resetAtBig") { iv.resetAt(time.now() + 1000); await time.advance(300); seen.push(await ticks(iv, start)); await time.advance(300); seen.push(await ticks(iv, start)); await time.advance(400); }
    seen.push(await ticks(iv, start));
    await time.advance(300); seen.push(await ticks(iv, start));
    console.log(how, seen.join(" "));
  }
}`);
    expect(run.lines).toEqual([
      'reset [0] [] [300] [] [] [701] [1001]',
      'resetImmediately [0] [] [300] [] [401] [701]',
      'resetAfter [0] [] [300] [] [421] [721]',
      'resetAt [0] [] [300] [] [441] [741]',
      'resetAtBig [0] [] [300] [] [] [] [1401] [1701]',
    ]);
  });
});

describe('tokio task_join_set.rs: joinNextWithId, tryJoinNextWithId, shutdown', () => {
  it('try_join_next_with_id: every spawned id comes back once', async () => {
    const run = await ok(`
async function main() {
  const [send, recv] = watch.channel(0);
  const set = new JoinSet<void>();
  const spawned = new Set<number>();
  for (let i = 0; i < 50; i++) {
    const r = recv.clone();
    spawned.add(set.spawn(async () => { await r.changed(); }).id());
  }
  drop(recv);
  console.log("none yet:", set.tryJoinNextWithId() === undefined);
  send.sendReplace(1);
  await send.closed();
  const joined = new Set<number>();
  for (;;) {
    const r = set.tryJoinNextWithId();
    if (r === undefined) break;
    if (!r.ok) throw r.value;
    joined.add(r.value[0]);
  }
  console.log("joined", joined.size, [...spawned].every((id) => joined.has(id)));
  const s2 = new JoinSet<number>();
  const h = s2.spawn(async () => 7);
  const r = await s2.joinNextWithId();
  console.log("join_next_with_id:", r!.ok && r!.value[0] === h.id() && r!.value[1] === 7, await s2.joinNextWithId());
  const s3 = new JoinSet<number>();
  let cleaned = 0;
  for (let i = 0; i < 3; i++) s3.spawn(async () => { try { await sleep(10_000); return i; } finally { cleaned++; } });
  await settle();
  await s3.shutdown();
  console.log("shutdown:", s3.len(), cleaned, await s3.joinNext());
}`);
    expect(run.lines).toEqual(['none yet: true', 'joined 50 true', 'join_next_with_id: true undefined', 'shutdown: 0 3 undefined']);
  });
});

describe('tokio sync_broadcast.rs: Sender.len / isEmpty, Receiver.isEmpty', () => {
  it('sender_len: a message is queued until every Receiver has read it or it is pushed out', async () => {
    const run = await ok(`
async function main() {
  const [tx, rx1] = broadcast.channel<number>(4);
  const rx2 = tx.subscribe();
  const out: unknown[] = [tx.len(), tx.isEmpty()];
  tx.send(1); tx.send(2); tx.send(3);
  out.push(tx.len(), tx.isEmpty());
  rx1.tryRecv(); rx1.tryRecv();
  out.push(tx.len(), tx.isEmpty());
  rx2.tryRecv();
  out.push(tx.len(), tx.isEmpty());
  tx.send(4); tx.send(5); tx.send(6);
  out.push(tx.len(), tx.isEmpty());
  console.log(out.join(" "));
  console.log("rx isEmpty:", rx1.isEmpty(), rx1.len());
  while (rx1.len() > 0) { try { rx1.tryRecv(); } catch (e: any) { if (e.name !== "Lagged") throw e; } }
  console.log("rx read all:", rx1.isEmpty(), tx.sameChannel(rx1), rx1.sameChannel(rx2));
  drop(rx2);
  console.log("reader behind dropped:", tx.len());
}`);
    expect(run.lines).toEqual(['0 true 3 false 3 false 2 false 4 false', 'rx isEmpty: false 4', 'rx read all: true true true', 'reader behind dropped: 0']);
  });
});

describe('tokio src/sync/tests/semaphore_batch.rs: a waiter is assigned permits as they come', () => {
  it('poll_acquire_many_unavailable: availablePermits is 0 while the head waiter collects its permits', async () => {
    const run = await ok(`
import { Semaphore } from "weft/task";
async function main() {
  const s = new Semaphore(5);
  const first = await s.acquire(1);
  const out: unknown[] = [s.availablePermits()];
  const a2 = spawn(async () => { const p = await s.acquire(5); return p.numPermits(); });
  await settle();
  out.push(s.availablePermits());
  const a3 = spawn(async () => { const p = await s.acquire(3); p.forget(); return p.numPermits(); });
  await settle();
  out.push(s.availablePermits());
  s.addPermits(1);
  await settle();
  out.push(a2.isFinished(), a3.isFinished(), s.availablePermits());
  s.addPermits(1);
  await settle();
  out.push(a3.isFinished(), s.availablePermits());
  s.addPermits(2);
  await settle();
  out.push(a3.isFinished(), await a2, await a3, s.availablePermits());
  console.log(out.join(" "));
  // A cancelled waiter gives back what it was assigned.
  const t = new Semaphore(2);
  const held = await t.acquire(1);
  const big = spawn(async () => { await t.acquire(3); });
  await settle();
  console.log("assigned to the waiter:", t.availablePermits());
  big.abort();
  await settle();
  console.log("after abort:", t.availablePermits());
  held.release();
  console.log("all back:", t.availablePermits(), first.numPermits());
}`);
    expect(run.lines).toEqual(['4 0 0 true false 0 false 0 true 5 3 0', 'assigned to the waiter: 0', 'after abort: 1', 'all back: 2 1']);
  });
});

describe('tokio sync_mpsc.rs: reserveMany / tryReserveMany', () => {
  it('reserve_many_above_cap, try_reserve_many_zero, reserve_many_zero, try_reserve_many_on_closed_channel, try_reserve_many_full', async () => {
    const run = await ok(`
async function kind(f: () => unknown): Promise<string> {
  try { const r = await (f() as any); return "ok " + r.len(); } catch (e: any) { return e.name + (e.kind ? " " + e.kind : ""); }
}
async function main() {
  {
    const [tx, rx] = mpsc.channel<void>(1);
    console.log("above cap:", await kind(() => tx.reserveMany(2)), await kind(() => tx.tryReserveMany(2 ** 31)));
  }
  {
    const [tx, rx] = mpsc.channel<void>(1);
    const out = [await kind(() => tx.tryReserveMany(0))];
    tx.trySend(null);
    out.push(await kind(() => tx.tryReserveMany(0)), await kind(() => tx.reserveMany(0)));
    drop(rx);
    out.push(await kind(() => tx.tryReserveMany(0)), await kind(() => tx.reserveMany(0)));
    console.log("zero:", out.join(" | "));
  }
  {
    const [tx, rx] = mpsc.channel<number>(1);
    drop(rx);
    console.log("closed:", await kind(() => tx.tryReserveMany(10)));
  }
  let failures = 0;
  for (let n = 1; n < 12; n++) {
    for (let k = 0; k < n; k++) {
      const [tx, rx] = mpsc.channel<number>(n);
      const permits = tx.tryReserveMany(n);
      if (permits.len() !== n || tx.capacity() !== 0) failures++;
      if ((await kind(() => tx.tryReserveMany(1))) !== "TrySendError full") failures++;
      for (const permit of permits.take(k)) permit.send(0);
      if (k === 0) drop(permits);
      if (tx.capacity() !== n - k) failures++;
      drop(tx.tryReserveMany(1));
      if ((await kind(() => tx.tryReserveMany(n - k + 1))) !== "TrySendError full") failures++;
      for (let i = 0; i < k; i++) if ((await rx.recv()) !== 0) failures++;
      if (tx.capacity() !== n) failures++;
    }
  }
  console.log("full, failures:", failures);
  const [tx, rx] = mpsc.channel<number>(3);
  const all = await tx.reserveMany(3);
  const waiting = spawn(async () => { const p = await tx.reserveMany(2); let i = 10; for (const q of p) q.send(i++); });
  await settle();
  let i = 0;
  for (const p of all) p.send(i++);
  console.log("waiting for 2:", !waiting.isFinished(), await rx.recv(), await rx.recv());
  await waiting;
  console.log(await rx.recv(), await rx.recv(), await rx.recv());
}`);
    expect(run.lines).toEqual([
      'above cap: SendError TrySendError full',
      'zero: ok 0 | ok 0 | ok 0 | TrySendError disconnected | SendError',
      'closed: TrySendError disconnected',
      'full, failures: 0',
      'waiting for 2: true 0 1',
      '2 10 11',
    ]);
  });
});

describe('tokio sync_once_cell.rs: weft/task has OnceCell', () => {
  it('set_and_get, get_uninit, set_twice, set_while_initializing, get_or_init, get_or_try_init, from, take', async () => {
    const run = await ok(`
import { OnceCell } from "weft/task";
async function main() {
  time.pause();
  const once = new OnceCell<number>();
  console.log("get_uninit:", once.get(), once.initialized());
  await spawn(async () => { once.set(5); });
  console.log("set_and_get:", once.get());
  const r2 = once.set(6);
  console.log("set_twice:", r2.ok, !r2.ok && r2.value.isAlreadyInitErr(), !r2.ok && r2.value.value);

  const cell = new OnceCell<number>();
  const h1 = spawn(async () => await cell.getOrInit(async () => { await sleep(10); return 5; }));
  const h2 = spawn(async () => { await sleep(2); const r = cell.set(6); return !r.ok && r.value.isInitializingErr(); });
  const h3 = spawn(async () => await cell.getOrInit(async () => { await sleep(1); return 10; }));
  console.log("set_while_initializing:", await h2, "get_or_init:", await h1, await h3, cell.get());

  const tryCell = new OnceCell<number>();
  const e1 = spawn(async () => { try { return await tryCell.getOrTryInit(async () => { await sleep(10); throw new Error("no"); }); } catch (e: any) { return e.message; } });
  const e2 = spawn(async () => { await sleep(1); return await tryCell.getOrTryInit(async () => { await sleep(1); return 10; }); });
  console.log("get_or_try_init:", await e1, await e2, tryCell.get());

  const cancelled = new OnceCell<string>();
  const slow = spawn(async () => await cancelled.getOrInit(async () => { await sleep(1000); return "slow"; }));
  await sleep(1);
  slow.abort();
  console.log("cancelled init leaves it empty:", cancelled.get(), await cancelled.getOrInit(async () => "next"));

  const from = OnceCell.from(2);
  console.log("from:", from.get(), OnceCell.newWith<number>(undefined).initialized(), from.take(), from.get());
}`);
    expect(run.lines).toEqual([
      'get_uninit: undefined false',
      'set_and_get: 5',
      'set_twice: false true 6',
      'set_while_initializing: true get_or_init: 5 5 5',
      'get_or_try_init: no 10 10',
      'cancelled init leaves it empty: undefined next',
      'from: 2 false 2 undefined',
    ]);
  });
});

describe('tokio sync_rwlock.rs: withMaxReaders, downgrade, write_order, try_read_try_write', () => {
  it('exhaust_reading, write_order, try_read_try_write, downgrade (the RwLockWriteGuard::downgrade doc test)', async () => {
    const run = await ok(`
import { RwLock, Mutex, unconstrained } from "weft/task";
async function main() {
  const rw = RwLock.withMaxReaders(100, 1024);
  const reads = [];
  // Upstream polls outside any runtime (a plain #[test]), where no coop budget applies; inside a task Tokio's
  // budget would stop the loop after 128 reads, so the loop runs unconstrained, as outside a runtime.
  await unconstrained(async () => { for (;;) { const r = await pollOnce(rw.read()); if (!r.ready) break; reads.push(r.value); } });
  const t1 = spawn(async () => { using g = await rw.read(); return g.value; });
  await settle();
  const pendingBefore = !t1.isFinished();
  reads.pop()!.unlock();
  console.log("exhaust_reading:", reads.length + 1, pendingBefore, await t1);

  const order = new RwLock<number[]>([]);
  const fut2 = (async () => { using g = await order.write(); g.value.push(2); })();
  const fut1 = (async () => { using g = await order.write(); g.value.push(1); })();
  await fut1; await fut2;
  { using g = await order.read(); console.log("write_order:", g.value.join(",")); }

  const lock = new RwLock(15);
  {
    using rg1 = lock.tryRead();
    const w = lock.tryWrite();
    using rg2 = lock.tryRead();
    console.log("try_read_try_write:", rg1!.value, w === undefined, rg2!.value);
  }
  {
    using wg = lock.tryWrite()!;
    wg.value = 1515;
    console.log("read while writing:", lock.tryRead() === undefined);
  }
  console.log("after:", lock.tryRead()!.value);

  const dl = new RwLock(1);
  const n = await dl.write();
  const handle = spawn(async () => { using g = await dl.write(); g.value = 2; });
  await settle();
  const r = n.downgrade();
  console.log("downgrade is atomic:", r.value);
  r.unlock();
  await handle;
  { using g = await dl.read(); console.log("second writer obtained write lock:", g.value); }
  const m = new Mutex(3);
  { using g = await m.lockOwned(); g.value = 4; }
  console.log("owned guards and into_inner:", m.intoInner(), dl.intoInner());
}`);
    expect(run.lines).toEqual([
      'exhaust_reading: 1024 true 100',
      'write_order: 1,2',
      'try_read_try_write: 15 true 15',
      'read while writing: true',
      'after: 1515',
      'downgrade is atomic: 1',
      'second writer obtained write lock: 2',
      'owned guards and into_inner: 4 2',
    ]);
  });
});

describe('tokio sync_notify.rs: notifyLast and Notified.enable', () => {
  it('notify_multi_notified_last, notified_multi_notify_one_drop, notify_one_after_dropped_all, test_notify_one_after_enable, test_enable_consumes_permit', async () => {
    const run = await ok(`
import { Notify } from "weft/task";
async function main() {
  {
    const notify = new Notify();
    const n1 = spawn(async () => { await notify.notified(); });
    const n2 = spawn(async () => { await notify.notified(); });
    await settle();
    notify.notifyLast();
    await settle();
    console.log("notify_multi_notified_last:", n1.isFinished(), n2.isFinished());
    notify.notifyOne(); await n1;
  }
  {
    const notify = new Notify();
    const n1 = spawn(async () => { await notify.notified(); });
    const n2 = spawn(async () => { await notify.notified(); });
    const n3 = spawn(async () => { await notify.notified(); });
    await settle();
    notify.notifyOne();
    n1.abort();
    await settle();
    console.log("notified_multi_notify_one_drop:", n2.isFinished(), n3.isFinished());
    notify.notifyOne(); await n3;
  }
  {
    const notify = new Notify();
    const n1 = spawn(async () => { await notify.notified(); });
    await settle();
    notify.notifyWaiters();
    notify.notifyOne();
    n1.abort();
    await settle();
    console.log("notify_one_after_dropped_all:", (await pollOnce(notify.notified())).ready);
  }
  {
    const notify = new Notify();
    const future = notify.notified();
    const before = future.enable();
    notify.notifyOne();
    console.log("test_notify_one_after_enable:", before, (await pollOnce(future)).ready);
  }
  {
    const notify = new Notify();
    notify.notifyOne();
    const f1 = notify.notified();
    const f2 = notify.notified();
    console.log("test_enable_consumes_permit:", f1.enable(), f2.enable());
  }
  {
    const notify = new Notify();
    const f = notify.notified();
    f.enable();
    notify.notifyWaiters();
    console.log("enabled future gets notify_waiters:", (await pollOnce(f)).ready);
  }
}`);
    expect(run.lines).toEqual([
      'notify_multi_notified_last: false true',
      'notified_multi_notify_one_drop: true false',
      'notify_one_after_dropped_all: true',
      'test_notify_one_after_enable: false true',
      'test_enable_consumes_permit: true false',
      'enabled future gets notify_waiters: true',
    ]);
  });
});

describe('tokio sync_oneshot.rs: Receiver isTerminated / isEmpty', () => {
  it('receiver_is_terminated_* and receiver_is_empty_*', async () => {
    const run = await ok(`
import { oneshot } from "weft/task";
async function main() {
  const out: string[] = [];
  { const [tx, rx] = oneshot.channel<number>(); out.push("send " + rx.isTerminated() + rx.isEmpty()); tx.send(17); out.push(String(rx.isTerminated()) + rx.isEmpty()); const v = await rx; out.push(v + " " + rx.isTerminated() + rx.isEmpty()); }
  { const [tx, rx] = oneshot.channel<number>(); tx.send(17); const v = rx.tryRecv(); out.push("try_recv " + v + " " + rx.isTerminated() + rx.isEmpty()); }
  { const [tx, rx] = oneshot.channel<number>(); drop(tx); out.push("drop " + rx.isTerminated() + rx.isEmpty()); try { await rx; } catch (e: any) { out.push(e.name + " " + rx.isTerminated() + rx.isEmpty()); } }
  { const [tx, rx] = oneshot.channel<number>(); rx.close(); out.push("close " + rx.isTerminated() + rx.isEmpty()); try { await rx; } catch (e: any) { out.push(e.name + " " + rx.isTerminated() + rx.isEmpty()); } }
  console.log(out.join(" | "));
}`);
    expect(run.lines).toEqual([
      'send falsetrue | falsefalse | 17 truetrue | try_recv 17 truetrue | drop falsetrue | RecvError truetrue | close falsetrue | RecvError truetrue',
    ]);
  });
});

describe('tokio sync_mpsc_weak.rs: WeakSender', () => {
  it('downgrade/upgrade, counts, weak_sender, and a channel closed with only weak senders left', async () => {
    const run = await ok(`
async function main() {
  { const [tx, rx] = mpsc.channel<number>(1); const w = tx.downgrade(); const up = w.upgrade(); console.log("upgrade_success:", up !== undefined); drop(up); drop(tx); console.log("upgrade_failure:", w.upgrade()); }
  { const [tx, rx] = mpsc.channel<number>(1); const c = tx.clone(); const w = c.downgrade(); drop(c); drop(tx); console.log("downgrade_drop_upgrade:", w.upgrade()); }
  { const [tx, rx] = mpsc.channel<number>(1); const w1 = tx.downgrade(); const w2 = tx.downgrade(); console.log("counts:", tx.strongCount(), tx.weakCount(), rx.senderStrongCount(), rx.senderWeakCount()); drop(tx); console.log(w1.upgrade(), w2.upgrade(), w1.strongCount()); drop(w1); console.log("weak after drop:", w2.weakCount()); }
  { const [tx, rx] = mpsc.channel<void>(10); const c = tx.clone(); const w = c.downgrade(); drop(c); drop(tx); console.log("closed except weak:", rx.isClosed(), await rx.recv()); drop(w); }
  {
    const [tx, rx] = mpsc.channel<number>(11);
    const weak = await spawn(async () => {
      const c = tx.clone(); const txWeak = c.downgrade(); drop(c);
      for (let i = 0; i < 10; i++) await tx.send(i);
      const tx2 = txWeak.upgrade()!;
      await tx2.send(20);
      const w = tx2.downgrade(); drop(tx2); return w;
    });
    const got: (number | undefined)[] = [];
    for (let i = 0; i < 12; i++) { const m = await rx.recv(); got.push(m); if (m === undefined) break; }
    console.log("weak_sender:", got.at(-2), got.at(-1), got.length, weak.upgrade());
  }
  { const [tx, rx] = mpsc.unboundedChannel<number>(); const w = tx.downgrade(); const up = w.upgrade()!; up.send(1); drop(up); drop(tx); console.log("weak_unbounded:", await rx.recv(), await rx.recv(), w.upgrade()); }
}`);
    expect(run.lines).toEqual([
      'upgrade_success: true',
      'upgrade_failure: undefined',
      'downgrade_drop_upgrade: undefined',
      'counts: 1 2 1 2',
      'undefined undefined 0',
      'weak after drop: 1',
      'closed except weak: true undefined',
      'weak_sender: 20 undefined 12 undefined',
      'weak_unbounded: 1 undefined undefined',
    ]);
  });
});

describe('tokio task_id.rs: id() and tryId()', () => {
  it('task_id_spawn, the JoinHandle and AbortHandle ids; task_try_id_inside_block_on and task_id_inside_block_on_panic_caller: main\'s own future is no task', async () => {
    const run = await ok(`
import { id, tryId } from "weft/task";
async function main() {
  const h = spawn(async () => id());
  const set = new JoinSet<number>();
  const a = set.spawn(async () => tryId()!);
  const r = await set.joinNext();
  let panicked = "";
  try { id(); } catch (e) { panicked = (e as Error).message; }
  console.log(tryId(), panicked.startsWith("can't get a task id when not inside a task"), await h === h.id(), r!.ok && r!.value === a.id());
}`);
    expect(run.lines).toEqual(['undefined true true true']);
  });
});

describe('tokio sync_broadcast.rs: Sender.closed / isClosed, Receiver.isClosed', () => {
  it('broadcast_sender_closed: closed() finishes when the last Receiver is dropped, subscribe() counts', async () => {
    const run = await ok(`
async function main() {
  const [tx, rx] = broadcast.channel<number>(1);
  const rx2 = rx.resubscribe();
  const txc = tx.clone();
  const task = spawn(async () => { await txc.closed(); return txc.isClosed(); });
  await settle();
  const afterOne = (drop(rx), await settle(), task.isFinished());
  const extra = tx.subscribe();
  drop(rx2); await settle();
  const withExtra = task.isFinished();
  drop(extra);
  console.log(afterOne, withExtra, await task);
  const [t2, r2] = broadcast.channel<number>(2);
  t2.send(1);
  drop(t2);
  console.log(r2.isClosed(), await r2.recv());
}`);
    expect(run.lines).toEqual(['false false true', 'true 1']);
  });
});

describe('tokio sync_semaphore.rs: split, forget_permits_basic, owned permits', () => {
  it('SemaphorePermit.split and Semaphore.forgetPermits count as Tokio does', async () => {
    const run = await ok(`
import { Semaphore } from "weft/task";
async function main() {
  const sem = new Semaphore(5);
  const p1 = sem.tryAcquireMany(3);
  const out: unknown[] = [sem.availablePermits(), p1.numPermits()];
  const p2 = p1.split(1)!;
  out.push(p1.numPermits(), p2.numPermits());
  const p3 = p1.split(0)!;
  out.push(p3.numPermits());
  p1.release(); out.push(sem.availablePermits());
  const p4 = p2.split(1)!;
  out.push(p2.numPermits(), p4.numPermits(), p2.split(1));
  p2.release(); out.push(sem.availablePermits());
  p3.release(); out.push(sem.availablePermits());
  p4.release(); out.push(sem.availablePermits());
  console.log("split:", out.join(" "));
  const s = new Semaphore(10);
  console.log("forget_permits_basic:", s.forgetPermits(4), s.availablePermits(), s.forgetPermits(10), s.availablePermits());
  const o = new Semaphore(2);
  const op = await o.acquireOwned();
  console.log("owned:", op.numPermits(), o.tryAcquireOwned().numPermits(), o.availablePermits());
}`);
    expect(run.lines).toEqual(['split: 2 3 2 1 0 4 0 1  4 4 5', 'forget_permits_basic: 4 6 6 0', 'owned: 1 1 0']);
  });
});

describe('tokio sync_mpsc.rs / sync_mpsc_weak.rs: reserveOwned', () => {
  it('an OwnedPermit holds the Sender: send gives it back, dropping it drops the Sender (downgrade_get_permit_upgrade_no_senders, downgrade_upgrade_get_permit_no_senders)', async () => {
    const run = await ok(`
async function main() {
  {
    const [tx, rx] = mpsc.channel<number>(1);
    const weak = tx.downgrade();
    const permit = await tx.reserveOwned();
    const up = weak.upgrade();
    console.log("the permit keeps the Sender alive:", up !== undefined, rx.senderStrongCount());
    drop(up);
    let msg = "";
    try { await tx.send(1); } catch (e: any) { msg = e.message.split(":")[0]; }
    const back = permit.send(5);
    console.log(msg, "|", await rx.recv(), back.capacity());
    drop(back);
    console.log("closed:", await rx.recv());
  }
  {
    const [tx, rx] = mpsc.channel<number>(1);
    const tx2 = tx.clone();
    const permit = tx.tryReserveOwned();
    const weak = tx2.downgrade();
    drop(tx2);
    const up = weak.upgrade();
    console.log("downgrade_upgrade_get_permit_no_senders:", up !== undefined);
    drop(up);
    drop(permit);
    console.log("dropped permit:", rx.isClosed(), await rx.recv());
  }
}`);
    expect(run.lines).toEqual(['the permit keeps the Sender alive: true 2', 'use of moved value | 5 1', 'closed: undefined', 'downgrade_upgrade_get_permit_no_senders: true', 'dropped permit: true undefined']);
  });
});
