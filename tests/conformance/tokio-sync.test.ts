/**
 * Tokio's own tests of tokio::sync (tokio/tests/sync_mpsc.rs,
 * sync_oneshot.rs, sync_watch.rs, sync_semaphore.rs, the blocking_* cases
 * of sync_panic.rs) and of JoinSet
 * (task_join_set.rs), ported to weft/task. Upstream drives futures by hand
 * with tokio_test (`assert_pending!(t.poll())`); here `pollOnce` does the
 * same with a biased `select` against a future that is ready at once (the
 * future is polled once, then dropped), and a future kept across polls is a
 * spawned task. Sleeps run on paused time, as `start_paused = true` does.
 */
import { ported, RESUME_TIME } from './support/ported.ts';
import { TOKIO_HELPERS } from './support/tokio-helpers.ts';

const IMPORTS = `import { spawn, sleep, yieldNow, select, time, mpsc, oneshot, watch, Semaphore, JoinSet, JoinError, Poll, RecvError, SendError, TrySendError, TryRecvError, TryAcquireError, drop, type Awaitable } from "weft/task";`;

const HELPERS = TOKIO_HELPERS;

ported('tokio tests/sync_mpsc.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'send_recv_with_buffer',
      body: `  const [tx, rx] = mpsc.channel<number>(16);
  const permit = await tx.reserve();
  permit.send(1);
  tx.trySend(2);
  drop(tx);
  console.log(await rx.recv(), await rx.recv(), await rx.recv());`,
      expect: ['1 2 undefined'],
    },
    {
      test: 'reserve_disarm',
      body: `  const [tx, rx] = mpsc.channel<number>(2);
  const tx1 = tx.clone(), tx2 = tx.clone(), tx3 = tx.clone(), tx4 = tx;
  const permit1 = await tx1.reserve();
  const permit2 = await tx2.reserve();
  // A third and a fourth reservation wait.
  const r3 = spawn(async () => { const p = await tx3.reserve(); p.send(3); });
  const r4 = spawn(async () => { const p = await tx4.reserve(); p.send(4); });
  await settle();
  console.log("pending", !r3.isFinished(), !r4.isFinished());
  permit1.send(1);
  await settle();
  console.log("after send, still pending", !r3.isFinished());
  console.log("recv", await rx.recv());
  await settle();
  console.log("r3 ready", r3.isFinished(), "r4 pending", !r4.isFinished());
  drop(permit2);
  await settle();
  console.log("r4 ready", r4.isFinished());
  const r1 = await pollOnce(tx1.reserve());
  console.log("r1 pending", !r1.ready);`,
      expect: ['pending true true', 'after send, still pending true', 'recv 1', 'r3 ready true r4 pending true', 'r4 ready true', 'r1 pending true'],
    },
    {
      test: 'async_send_recv_with_buffer',
      body: `  const [tx, rx] = mpsc.channel<number>(16);
  spawn(async () => { await tx.send(1); await tx.send(2); });
  console.log(await rx.recv(), await rx.recv(), await rx.recv());`,
      expect: ['1 2 undefined'],
    },
    {
      test: 'async_send_recv_many_with_buffer',
      body: `  const [tx, rx] = mpsc.channel<number>(2);
  spawn(async () => { await tx.send(1); await tx.send(2); await tx.send(7); });
  let recvCount = 0, sum = 0, iter = 0;
  while (recvCount < 3) {
    const buffer: number[] = [];
    const n = await rx.recvMany(buffer, 16);
    recvCount += n;
    assertEq(buffer.length, n);
    sum += buffer.reduce((a, b) => a + b, 0);
    iter++;
  }
  console.log(recvCount, sum, iter > 1, await rx.recv());`,
      expect: ['3 10 true undefined'],
    },
    {
      test: 'start_send_past_cap',
      body: `  const [tx1, rx] = mpsc.channel<null>(1);
  const tx2 = tx1.clone();
  tx1.trySend(null);
  console.log("r1 pending", !(await pollOnce(tx1.reserve())).ready);
  const r2 = spawn(async () => { (await tx2.reserve()).drop(); });
  await settle();
  console.log("r2 pending", !r2.isFinished());
  console.log("recv", await rx.recv());
  await settle();
  console.log("r2 ready", r2.isFinished());
  drop(tx1); // tx2 went with its task
  console.log(await rx.recv());`,
      expect: ['r1 pending true', 'r2 pending true', 'recv null', 'r2 ready true', 'undefined'],
    },
    {
      test: 'buffer_gteq_one',
      body: `  try { mpsc.channel<number>(0); console.log("made"); } catch (e) { console.log("panicked", (e as Error).name); }`,
      expect: ['panicked RangeError'],
    },
    {
      test: 'send_recv_unbounded',
      body: `  const [tx, rx] = mpsc.unboundedChannel<number>();
  tx.send(1);
  tx.send(2);
  console.log(await rx.recv(), await rx.recv());
  drop(tx);
  console.log(await rx.recv());`,
      expect: ['1 2', 'undefined'],
    },
    {
      test: 'send_recv_many_unbounded',
      body: `  const [tx, rx] = mpsc.unboundedChannel<number>();
  for (const v of [7, 13, 100, 1002]) tx.send(v);
  const buffer: number[] = [];
  console.log(await rx.recvMany(buffer, 32), JSON.stringify(buffer));
  drop(tx);
  console.log(await rx.recv());`,
      expect: ['4 [7,13,100,1002]', 'undefined'],
    },
    {
      test: 'async_send_recv_unbounded',
      body: `  const [tx, rx] = mpsc.unboundedChannel<number>();
  spawn(async () => { tx.send(1); tx.send(2); });
  console.log(await rx.recv(), await rx.recv(), await rx.recv());`,
      expect: ['1 2 undefined'],
    },
    {
      test: 'send_recv_buffer_limited',
      body: `  const [tx, rx] = mpsc.channel<number>(1);
  const p1 = await tx.reserve();
  p1.send(1);
  const tx2 = tx.clone();
  const p2 = spawn(async () => await tx2.reserve());
  await settle();
  console.log("p2 pending", !p2.isFinished());
  console.log("recv", await rx.recv());
  await settle();
  console.log("p2 ready", p2.isFinished());
  try { tx.trySend(1337); console.log("try_send Ok"); } catch (e) { console.log("try_send", (e as TrySendError<number>).kind); }
  (await p2).send(2);
  console.log("recv", await rx.recv());`,
      expect: ['p2 pending true', 'recv 1', 'p2 ready true', 'try_send full', 'recv 2'],
    },
    {
      test: 'recv_close_gets_none_idle',
      body: `  const [tx, rx] = mpsc.channel<number>(10);
  rx.close();
  console.log(await rx.recv());
  try { await tx.send(1); console.log("send Ok"); } catch (e) { console.log(e instanceof SendError); }`,
      expect: ['undefined', 'true'],
    },
    {
      test: 'recv_close_gets_none_reserved',
      body: `  const [tx1, rx] = mpsc.channel<number>(1);
  const tx2 = tx1.clone();
  const permit1 = await tx1.reserve();
  const permit2 = spawn(async () => await result(tx2.reserve()));
  await settle();
  console.log("permit2 pending", !permit2.isFinished());
  rx.close();
  const p2 = await permit2;
  console.log(p2.ok ? "permit2 Ok" : "permit2 Err " + (p2.error instanceof SendError));
  const recv = spawn(async () => [await rx.recv(), await rx.recv()]);
  await settle();
  console.log("recv pending", !recv.isFinished());
  permit1.send(123);
  console.log((await recv).map(String).join(" "));`,
      expect: ['permit2 pending true', 'permit2 Err true', 'recv pending true', '123 undefined'],
    },
    {
      test: 'tx_close_gets_none',
      body: `  const [tx, rx] = mpsc.channel<number>(10);
  drop(tx);
  console.log(await rx.recv());`,
      expect: ['undefined'],
    },
    {
      test: 'try_send_fail',
      body: `  const [tx, rx] = mpsc.channel<string>(1);
  tx.trySend("hello");
  try { tx.trySend("fail"); } catch (e) { console.log((e as TrySendError<string>).kind, (e as TrySendError<string>).value); }
  console.log(await rx.recv());
  tx.trySend("goodbye");
  drop(tx);
  console.log(await rx.recv(), await rx.recv());`,
      expect: ['full fail', 'hello', 'goodbye undefined'],
    },
    {
      test: 'try_send_fail_with_try_recv',
      body: `  const [tx, rx] = mpsc.channel<string>(1);
  tx.trySend("hello");
  try { tx.trySend("fail"); } catch (e) { console.log((e as TrySendError<string>).kind); }
  console.log(rx.tryRecv());
  tx.trySend("goodbye");
  drop(tx);
  console.log(rx.tryRecv());
  try { rx.tryRecv(); } catch (e) { console.log((e as TryRecvError).kind); }`,
      expect: ['full', 'hello', 'goodbye', 'disconnected'],
    },
    {
      test: 'try_reserve_fails',
      body: `  const [tx, rx] = mpsc.channel<string>(1);
  const permit = tx.tryReserve();
  try { tx.tryReserve(); console.log("Ok"); } catch (e) { console.log((e as TrySendError<undefined>).kind); }
  permit.send("foo");
  console.log(await rx.recv());
  const p2 = tx.tryReserve();
  drop(p2);
  const p3 = tx.tryReserve();
  console.log("reserved again", p3 !== undefined);`,
      expect: ['full', 'foo', 'reserved again true'],
    },
    {
      test: 'drop_permit_releases_permit',
      body: `  const [tx1, rx] = mpsc.channel<number>(1);
  const tx2 = tx1.clone();
  const permit = await tx1.reserve();
  const reserve2 = spawn(async () => { (await tx2.reserve()).drop(); });
  await settle();
  console.log("pending", !reserve2.isFinished());
  drop(permit);
  await settle();
  console.log("ready", reserve2.isFinished());
  drop(rx);`,
      expect: ['pending true', 'ready true'],
    },
    {
      test: 'dropping_rx_closes_channel',
      body: `  const [tx, rx] = mpsc.channel<number>(100);
  tx.trySend(1);
  drop(rx);
  try { await tx.reserve(); console.log("Ok"); } catch (e) { console.log("Err", e instanceof SendError); }`,
      expect: ['Err true'],
    },
    {
      test: 'dropping_rx_closes_channel_for_try',
      body: `  const [tx, rx] = mpsc.channel<number>(100);
  tx.trySend(1);
  drop(rx);
  try { tx.trySend(2); } catch (e) { console.log((e as TrySendError<number>).kind); }
  try { tx.tryReserve(); } catch (e) { console.log((e as TrySendError<undefined>).kind); }`,
      expect: ['disconnected', 'disconnected'],
    },
    {
      test: 'ready_close_cancel_bounded',
      body: `  const [tx, rx] = mpsc.channel<null>(100);
  const tx2 = tx.clone();
  const permit = await tx.reserve();
  rx.close();
  const recv = spawn(async () => await rx.recv());
  await settle();
  console.log("recv pending", !recv.isFinished());
  drop(permit);
  console.log(await recv);
  drop(tx2);`,
      expect: ['recv pending true', 'undefined'],
    },
    {
      test: 'permit_available_not_acquired_close',
      body: `  const [tx1, rx] = mpsc.channel<null>(1);
  const tx2 = tx1.clone();
  const permit1 = await tx1.reserve();
  const permit2 = spawn(async () => { const p = await result(tx2.reserve()); drop(p.value); return p.ok; });
  await settle();
  rx.close();
  drop(permit1);
  console.log("permit2 ok", await permit2);
  console.log(await rx.recv());`,
      expect: ['permit2 ok false', 'undefined'],
    },
    {
      test: 'try_recv_bounded',
      body: `  const [tx, rx] = mpsc.channel<string>(5);
  const out: string[] = [];
  const tryRecv = () => { try { return rx.tryRecv(); } catch (e) { return (e as TryRecvError).kind; } };
  for (let i = 0; i < 5; i++) tx.trySend("hello");
  let full = false;
  try { tx.trySend("hello"); } catch { full = true; }
  out.push("full " + full);
  for (let i = 0; i < 6; i++) out.push(tryRecv());
  for (let i = 0; i < 4; i++) tx.trySend("hello");
  out.push(tryRecv());
  tx.trySend("hello"); tx.trySend("hello");
  full = false;
  try { tx.trySend("hello"); } catch { full = true; }
  out.push("full " + full);
  for (let i = 0; i < 6; i++) out.push(tryRecv());
  for (let i = 0; i < 3; i++) tx.trySend("hello");
  drop(tx);
  for (let i = 0; i < 4; i++) out.push(tryRecv());
  console.log(out.join(","));`,
      expect: [
        'full true,hello,hello,hello,hello,hello,empty,hello,full true,hello,hello,hello,hello,hello,empty,hello,hello,hello,disconnected',
      ],
    },
    {
      test: 'try_recv_unbounded',
      body: `  for (let num = 0; num < 20; num++) {
    const [tx, rx] = mpsc.unboundedChannel<number>();
    for (let i = 0; i < num; i++) tx.send(i);
    for (let i = 0; i < num; i++) assertEq(rx.tryRecv(), i);
    try { rx.tryRecv(); throw new Error("not empty"); } catch (e) { assertEq((e as TryRecvError).kind, "empty"); }
    drop(tx);
    try { rx.tryRecv(); throw new Error("not disconnected"); } catch (e) { assertEq((e as TryRecvError).kind, "disconnected"); }
  }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'try_recv_close_while_empty_bounded',
      body: `  const [tx, rx] = mpsc.channel<null>(5);
  try { rx.tryRecv(); } catch (e) { console.log((e as TryRecvError).kind); }
  drop(tx);
  try { rx.tryRecv(); } catch (e) { console.log((e as TryRecvError).kind); }`,
      expect: ['empty', 'disconnected'],
    },
    {
      test: 'try_recv_close_while_empty_unbounded',
      body: `  const [tx, rx] = mpsc.unboundedChannel<null>();
  try { rx.tryRecv(); } catch (e) { console.log((e as TryRecvError).kind); }
  drop(tx);
  try { rx.tryRecv(); } catch (e) { console.log((e as TryRecvError).kind); }`,
      expect: ['empty', 'disconnected'],
    },
    {
      test: 'recv_timeout',
      body: `  time.pause();
  const [tx, rx] = mpsc.channel<number>(5);
  for (const v of [10, 20, 30, 40, 50]) await tx.sendTimeout(v, 1000);
  const before = time.now();
  try { await tx.sendTimeout(60, 1000); console.log("Ok"); } catch (e) {
    const err = e as mpsc.SendTimeoutError<number>;
    console.log(err.kind, err.value, time.now() - before);
  }
  drop(rx);
  try { await tx.sendTimeout(70, 1000); console.log("Ok"); } catch (e) {
    const err = e as mpsc.SendTimeoutError<number>;
    console.log(err.kind, err.value);
  }`,
      expect: ['timeout 60 1000', 'closed 70'],
    },
    {
      test: 'test_tx_capacity',
      body: `  const [tx, rx] = mpsc.channel<null>(10);
  console.log(tx.capacity(), tx.maxCapacity());
  const permit = await tx.reserve();
  console.log(tx.capacity(), tx.maxCapacity());
  await tx.send(null);
  console.log(tx.capacity(), tx.maxCapacity());
  drop(permit);
  drop(rx);`,
      expect: ['10 10', '9 10', '8 10'],
    },
  ],
});

ported('tokio tests/sync_oneshot.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'send_recv',
      body: `  const [tx, rx] = oneshot.channel<number>();
  const t = spawn(async () => await rx);
  await settle();
  console.log("pending", !t.isFinished());
  tx.send(1);
  console.log(await t);`,
      expect: ['pending true', '1'],
    },
    {
      test: 'async_send_recv',
      body: `  const [tx, rx] = oneshot.channel<number>();
  tx.send(1);
  console.log(await rx);`,
      expect: ['1'],
    },
    {
      test: 'close_tx',
      body: `  const [tx, rx] = oneshot.channel<number>();
  const t = spawn(async () => await result(rx));
  await settle();
  console.log("pending", !t.isFinished());
  drop(tx);
  const r = await t;
  console.log(r.ok ? "Ok" : "Err " + (r.error instanceof RecvError));`,
      expect: ['pending true', 'Err true'],
    },
    {
      test: 'close_rx',
      body: `  {
    const [tx, rx] = oneshot.channel<number>();
    drop(rx);
    try { tx.send(1); console.log("Ok"); } catch (e) { console.log("Err", e instanceof SendError); }
  }
  const [tx, rx] = oneshot.channel<number>();
  console.log("closed pending", !(await pollOnce(tx.closed())).ready);
  drop(rx);
  console.log(tx.isClosed(), (await pollOnce(tx.closed())).ready);
  try { tx.send(1); console.log("Ok"); } catch (e) { console.log("Err", e instanceof SendError); }`,
      expect: ['Err true', 'closed pending true', 'true true', 'Err true'],
    },
    {
      test: 'async_rx_closed',
      body: `  const [tx, rx] = oneshot.channel<null>();
  spawn(async () => { drop(rx); });
  await tx.closed();
  console.log("closed");`,
      expect: ['closed'],
    },
    {
      test: 'explicit_close_poll',
      body: `  {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(1);
    rx.close();
    console.log("value", await rx);
  }
  const [tx, rx] = oneshot.channel<number>();
  console.log("closed pending", !(await pollOnce(tx.closed())).ready);
  rx.close();
  console.log(tx.isClosed(), (await pollOnce(tx.closed())).ready);
  try { tx.send(1); console.log("send Ok"); } catch { console.log("send Err"); }
  const polled = await pollOnce(rx);
  console.log("rx", polled.ready, polled.error instanceof RecvError);`,
      expect: ['value 1', 'closed pending true', 'true true', 'send Err', 'rx true true'],
    },
    {
      test: 'explicit_close_try_recv',
      body: `  {
    const [tx, rx] = oneshot.channel<number>();
    tx.send(1);
    rx.close();
    console.log(rx.tryRecv());
  }
  const [tx, rx] = oneshot.channel<number>();
  rx.close();
  console.log(tx.isClosed());
  try { rx.tryRecv(); console.log("Ok"); } catch (e) { console.log((e as TryRecvError).kind); }`,
      expect: ['1', 'true', 'disconnected'],
    },
    {
      test: 'close_after_recv',
      body: `  const [tx, rx] = oneshot.channel<number>();
  tx.send(17);
  console.log(rx.tryRecv());
  rx.close();`,
      expect: ['17'],
    },
    {
      test: 'try_recv_after_completion',
      body: `  const [tx, rx] = oneshot.channel<number>();
  tx.send(17);
  console.log(rx.tryRecv());
  try { rx.tryRecv(); console.log("Ok"); } catch (e) { console.log((e as TryRecvError).kind); }
  rx.close();`,
      expect: ['17', 'disconnected'],
    },
    {
      test: 'try_recv_after_completion_await',
      body: `  const [tx, rx] = oneshot.channel<number>();
  tx.send(17);
  console.log(await rx);
  try { rx.tryRecv(); console.log("Ok"); } catch (e) { console.log((e as TryRecvError).kind); }`,
      expect: ['17', 'disconnected'],
    },
    {
      test: 'sender_changes_task',
      body: `  const [tx, rx] = oneshot.channel<number>();
  const t1 = await pollOnce(tx.closed());
  const t2 = spawn(async () => { await tx.closed(); return "closed"; });
  await settle();
  console.log(t1.ready, t2.isFinished());
  drop(rx);
  console.log(await t2);`,
      expect: ['false false', 'closed'],
    },
  ],
});

// Issue 10, item 4: after rx.close() awaiting the Receiver must finish once
// the Sender is gone; until that is fixed it hangs, so it runs alone.
ported('tokio tests/sync_oneshot.rs (await after close)', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  timeoutMs: 10_000,
  cases: [
    {
      test: 'explicit_close_poll (awaiting a closed Receiver whose Sender is gone)',
      body: `  const [tx, rx] = oneshot.channel<number>();
  rx.close();
  drop(tx);
  try { await rx; console.log("Ok"); } catch (e) { console.log("Err", e instanceof RecvError); }`,
      expect: ['Err true'],
    },
  ],
});

ported('tokio tests/sync_watch.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'single_rx_recv',
      body: `  const [tx, rx] = watch.channel("one");
  console.log("not notified", !(await pollOnce(rx.changed())).ready, rx.borrow());
  // A future kept across polls is a task; it watches through a clone of rx.
  const rx2 = rx.clone();
  const t = spawn(async () => { await rx2.changed(); return await result(rx2.changed()); });
  await settle();
  tx.send("two");
  await settle();
  console.log(rx.borrow());
  drop(tx);
  const r = await t;
  console.log(r.ok ? "Ok" : "Err " + (r.error instanceof RecvError));
  console.log(rx.borrow());`,
      expect: ['not notified true one', 'two', 'Err true', 'two'],
    },
    {
      test: 'multi_rx',
      body: `  const [tx, rx1] = watch.channel("one");
  const rx2 = rx1.clone();
  console.log(!(await pollOnce(rx1.changed())).ready, !(await pollOnce(rx2.changed())).ready);
  tx.send("two");
  console.log((await pollOnce(rx1.changed())).ready, rx1.borrow());
  tx.send("three");
  console.log((await pollOnce(rx1.changed())).ready, (await pollOnce(rx2.changed())).ready, rx1.borrow(), rx2.borrow());
  tx.send("four");
  console.log((await pollOnce(rx1.changed())).ready, (await pollOnce(rx2.changed())).ready, rx1.borrow(), rx2.borrow());`,
      expect: ['true true', 'true two', 'true true three three', 'true true four four'],
    },
    {
      test: 'rx_observes_final_value',
      body: `  {
    const [tx, rx] = watch.channel("one");
    drop(tx);
    const p = await pollOnce(rx.changed());
    console.log(p.ready, p.error instanceof RecvError, rx.borrow());
  }
  const [tx, rx] = watch.channel("one");
  tx.send("two");
  console.log((await pollOnce(rx.changed())).ready, rx.borrow());
  console.log("pending", !(await pollOnce(rx.changed())).ready);
  tx.send("three");
  drop(tx);
  const p = await pollOnce(rx.changed());
  console.log(p.ready, p.error === undefined, rx.borrow());
  const q = await pollOnce(rx.changed());
  console.log(q.ready, q.error instanceof RecvError, rx.borrow());`,
      expect: ['true true one', 'true two', 'pending true', 'true true three', 'true true three'],
    },
    {
      test: 'poll_close',
      body: `  const [tx, rx] = watch.channel("one");
  console.log("pending", !(await pollOnce(tx.closed())).ready);
  drop(rx);
  console.log("ready", (await pollOnce(tx.closed())).ready);
  try { tx.send("two"); console.log("Ok"); } catch (e) { console.log("Err", e instanceof SendError); }`,
      expect: ['pending true', 'ready true', 'Err true'],
    },
    {
      test: 'borrow_and_update',
      body: `  const [tx, rx] = watch.channel("one");
  console.log(rx.hasChanged());
  tx.send("two");
  console.log(rx.hasChanged(), (await pollOnce(rx.changed())).ready, !(await pollOnce(rx.changed())).ready, rx.hasChanged());
  tx.send("three");
  console.log(rx.hasChanged(), rx.borrowAndUpdate(), !(await pollOnce(rx.changed())).ready, rx.hasChanged());
  drop(tx);
  console.log(rx.borrowAndUpdate(), (await pollOnce(rx.changed())).error instanceof RecvError);
  try { rx.hasChanged(); console.log("has_changed Ok"); } catch (e) { console.log("has_changed Err", e instanceof RecvError); }`,
      expect: ['false', 'true true true false', 'true three true false', 'three true', 'has_changed Err true'],
    },
    {
      test: 'reopened_after_subscribe',
      body: `  const [tx, rx] = watch.channel("one");
  console.log(tx.isClosed());
  drop(rx);
  console.log(tx.isClosed());
  const rx2 = tx.subscribe();
  console.log(tx.isClosed());
  drop(rx2);
  console.log(tx.isClosed());`,
      expect: ['false', 'true', 'false', 'true'],
    },
  ],
});

ported('tokio tests/sync_semaphore.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'no_permits',
      body: `  const s = new Semaphore(0);
  console.log(s.availablePermits());`,
      expect: ['0'],
    },
    {
      test: 'try_acquire',
      body: `  const sem = new Semaphore(1);
  {
    using p1 = sem.tryAcquire();
    let p2err = false;
    try { sem.tryAcquire(); } catch (e) { p2err = e instanceof TryAcquireError; }
    console.log("p2 is_err", p2err, p1.numPermits());
  }
  const p3 = sem.tryAcquire();
  console.log("p3 ok", p3.numPermits());`,
      expect: ['p2 is_err true 1', 'p3 ok 1'],
    },
    {
      test: 'acquire',
      body: `  const sem = new Semaphore(1);
  const p1 = sem.tryAcquire();
  const j = spawn(async () => { using _p2 = await sem.acquire(); return "acquired"; });
  p1.release();
  console.log(await j);`,
      expect: ['acquired'],
    },
    {
      test: 'add_permits',
      body: `  const sem = new Semaphore(0);
  const j = spawn(async () => { using _p2 = await sem.acquire(); return "acquired"; });
  sem.addPermits(1);
  console.log(await j);`,
      expect: ['acquired'],
    },
    {
      test: 'forget',
      body: `  const sem = new Semaphore(1);
  {
    const p = sem.tryAcquire();
    console.log(sem.availablePermits());
    p.forget();
    console.log(sem.availablePermits());
  }
  console.log(sem.availablePermits());
  try { sem.tryAcquire(); console.log("Ok"); } catch { console.log("Err"); }`,
      expect: ['0', '0', '0', 'Err'],
    },
    {
      test: 'merge',
      body: `  const sem = new Semaphore(3);
  {
    using p1 = sem.tryAcquire();
    console.log(sem.availablePermits());
    const p2 = sem.tryAcquireMany(2);
    console.log(sem.availablePermits());
    p1.merge(p2);
    console.log(sem.availablePermits(), p1.numPermits());
  }
  console.log(sem.availablePermits());`,
      expect: ['2', '0', '0 3', '3'],
    },
    {
      test: 'merge_unrelated_permits',
      body: `  const sem1 = new Semaphore(3), sem2 = new Semaphore(3);
  const p1 = sem1.tryAcquire();
  const p2 = sem2.tryAcquire();
  try { p1.merge(p2); console.log("merged"); } catch { console.log("panicked"); }`,
      expect: ['panicked'],
    },
    {
      test: 'stress_test',
      body: `  const sem = new Semaphore(5);
  const handles = [];
  for (let i = 0; i < 200; i++) {
    handles.push(spawn(async () => { using _p = await sem.acquire(); await yieldNow(); }));
  }
  for (const j of handles) await j;
  const held = [];
  for (let i = 0; i < 5; i++) held.push(sem.tryAcquire());
  try { sem.tryAcquire(); console.log("a sixth"); } catch { console.log("exactly 5"); }`,
      expect: ['exactly 5'],
    },
    {
      test: 'add_max_amount_permits',
      body: `  const s = new Semaphore(0);
  s.addPermits(Semaphore.MAX_PERMITS);
  console.log(s.availablePermits() === Semaphore.MAX_PERMITS);`,
      expect: ['true'],
    },
    {
      test: 'panic_when_exceeds_maxpermits',
      body: `  try { new Semaphore(Semaphore.MAX_PERMITS + 1); console.log("made"); } catch { console.log("panicked"); }`,
      expect: ['panicked'],
    },
    {
      test: 'no_panic_at_maxpermits',
      body: `  new Semaphore(Semaphore.MAX_PERMITS);
  const s = new Semaphore(Semaphore.MAX_PERMITS - 1);
  s.addPermits(1);
  console.log(s.availablePermits() === Semaphore.MAX_PERMITS);`,
      expect: ['true'],
    },
  ],
});

ported('tokio tests/task_join_set.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'test_with_sleep',
      body: `  time.pause();
  const set = new JoinSet<number>();
  for (let i = 0; i < 10; i++) { set.spawn(async () => i); assertEq(set.len(), 1 + i); }
  set.detachAll();
  console.log(set.len(), await set.joinNext());
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 10; i++) {
      set.spawn(async () => { await sleep(i * 1000); return i; });
    }
    const seen: boolean[] = new Array(10).fill(false);
    let res;
    while ((res = await set.joinNext()) !== undefined) {
      assert(res.ok);
      seen[res.value as number] = true;
    }
    console.log(seen.every((s) => s), await set.joinNext());
  }`,
      expect: ['0 undefined', 'true undefined', 'true undefined'],
    },
    {
      test: 'test_abort_on_drop',
      body: `  const recvs = [];
  {
    using set = new JoinSet<void>();
    for (let i = 0; i < 16; i++) {
      const [send, recv] = oneshot.channel<null>();
      recvs.push(recv);
      set.spawn(async () => {
        await pending(); // never completes on its own
        drop(send);
      });
    }
  }
  let errs = 0;
  for (const recv of recvs) { try { await recv; } catch (e) { if (e instanceof RecvError) errs++; } }
  console.log(errs);`,
      expect: ['16'],
    },
    {
      test: 'alternating',
      body: `  const set = new JoinSet<void>();
  console.log(set.len());
  set.spawn(async () => {});
  set.spawn(async () => {});
  console.log(set.len());
  for (let i = 0; i < 16; i++) {
    const r = await set.joinNext();
    assert(r !== undefined && r.ok);
    assertEq(set.len(), 1);
    set.spawn(async () => {});
    assertEq(set.len(), 2);
  }
  console.log("ok");`,
      expect: ['0', '2', 'ok'],
    },
    {
      test: 'abort_tasks',
      body: `  time.pause();
  const set = new JoinSet<number>();
  let canceled = 0, completed = 0;
  for (let i = 0; i < 16; i++) {
    const abort = set.spawn(async () => { await sleep(i * 1000); return i; });
    if (i % 2 !== 0) abort.abort();
  }
  let res;
  while ((res = await set.joinNext()) !== undefined) {
    if (res.ok) { completed++; assertEq((res.value as number) % 2, 0); }
    else { assert((res.value as JoinError).isCancelled()); canceled++; }
  }
  console.log(canceled, completed);`,
      expect: ['8 8'],
    },
    {
      test: 'join_all',
      body: `  const set = new JoinSet<number>();
  for (let i = 0; i < 5; i++) set.spawn(async () => 1);
  const res = await set.joinAll();
  console.log(JSON.stringify(res));`,
      expect: ['[1,1,1,1,1]'],
    },
    {
      test: 'abort_all',
      body: `  time.pause();
  const set = new JoinSet<void>();
  for (let i = 0; i < 5; i++) set.spawn(async () => { await pending(); });
  for (let i = 0; i < 5; i++) set.spawn(async () => { await sleep(1000); });
  await sleep(2000);
  set.abortAll();
  console.log(set.len());
  let count = 0, res;
  while ((res = await set.joinNext()) !== undefined) {
    if (!res.ok) assert((res.value as JoinError).isCancelled());
    count++;
  }
  console.log(count, set.len());`,
      expect: ['10', '10 0'],
    },
    {
      test: 'try_join_next',
      body: `  const TASK_NUM = 100;
  const [send, recv] = watch.channel(null);
  const set = new JoinSet<void>();
  for (let i = 0; i < TASK_NUM; i++) {
    const r = recv.clone();
    set.spawn(async () => { await r.changed(); });
  }
  drop(recv);
  console.log(set.tryJoinNext());
  send.sendReplace(null);
  await send.closed();
  let count = 0;
  for (;;) {
    const r = set.tryJoinNext();
    if (r === undefined) break;
    assert(r.ok, "failed");
    count++;
  }
  console.log(count);`,
      expect: ['undefined', '100'],
    },
    {
      test: 'extend (spawning from a loop)',
      body: `  const set = new JoinSet<number>();
  for (let i = 0; i < 10; i++) set.spawn(async () => i);
  const seen: boolean[] = new Array(10).fill(false);
  let res;
  while ((res = await set.joinNext()) !== undefined) seen[res.value as number] = true;
  console.log(seen.every(Boolean));`,
      expect: ['true'],
    },
  ],
});

const BLOCKING_IN_RUNTIME =
  'Cannot block the current thread from within a runtime. This happens because a function attempted to block the current thread ' +
  'while the thread is being used to drive asynchronous tasks. Await the async version instead.';

ported('tokio tests/sync_panic.rs, sync_mpsc.rs (blocking_* calls)', {
  imports: `import { blockOn, mpsc, oneshot, Mutex, RwLock, drop } from "weft/task";`,
  cases: [
    {
      test: 'mutex_blocking_lock_panic_caller',
      body: `  blockOn(async () => { const mutex = new Mutex(5); const _g = mutex.blockingLock(); });`,
      expect: [`panicked: Error: blockingLock: ${BLOCKING_IN_RUNTIME}`],
    },
    {
      test: 'oneshot_blocking_recv_panic_caller',
      body: `  blockOn(async () => { const [_tx, rx] = oneshot.channel<number>(); rx.blockingRecv(); });`,
      expect: [`panicked: Error: blockingRecv: ${BLOCKING_IN_RUNTIME}`],
    },
    {
      test: 'rwlock_blocking_read_panic_caller, rwlock_blocking_write_panic_caller',
      body: `  for (const f of [(l: RwLock<number>) => l.blockingRead(), (l: RwLock<number>) => l.blockingWrite()]) {
    try { blockOn(async () => { f(new RwLock(5)); }); } catch (e) { console.log((e as Error).message.split(":")[0]); }
  }`,
      expect: ['blockingRead', 'blockingWrite'],
    },
    {
      test: 'mpsc_bounded_receiver_blocking_recv_panic_caller, mpsc_unbounded_receiver_blocking_recv_panic_caller (blocking_recv_async)',
      body: `  for (const make of [() => mpsc.channel<number>(1), () => mpsc.unboundedChannel<number>()]) {
    try { blockOn(async () => { const [_tx, rx] = make(); rx.blockingRecv(); }); } catch (e) { console.log((e as Error).message === "blockingRecv: ${BLOCKING_IN_RUNTIME}"); }
  }`,
      expect: ['true', 'true'],
    },
    {
      test: 'mpsc_bounded_sender_blocking_send_panic_caller (blocking_send_async)',
      body: `  let kept = -1;
  blockOn(async () => {
    const [tx, rx] = mpsc.channel<number>(1);
    try { tx.blockingSend(1); } catch (e) { console.log((e as Error).message.startsWith("blockingSend: Cannot block")); }
    // The panic came before the send: nothing was sent.
    kept = rx.len();
  });
  console.log(kept);`,
      expect: ['true', '0'],
    },
    {
      test: 'blocking calls outside async code succeed when they need not wait (Tokio: blocking_recv, blocking_send, blocking_lock from a sync thread)',
      body: `  const [tx, rx] = mpsc.channel<number>(1);
  tx.blockingSend(10);
  console.log("recv", rx.blockingRecv());
  drop(tx);
  console.log("closed", rx.blockingRecv());
  const [otx, orx] = oneshot.channel<string>();
  otx.send("one");
  console.log("oneshot", orx.blockingRecv());
  const m = new Mutex(5);
  const g = m.blockingLock();
  g.value += 1;
  g.unlock();
  const l = new RwLock(1);
  const r1 = l.blockingRead(), r2 = l.blockingRead();
  console.log("mutex", m.blockingLock().value, "readers", r1.value + r2.value);`,
      expect: ['recv 10', 'closed undefined', 'oneshot one', 'mutex 6 readers 2'],
    },
    {
      test: 'a blocking call outside async code that would wait for ever throws instead of hanging',
      body: `  const m = new Mutex(0);
  const g = m.blockingLock();
  for (const f of [() => m.blockingLock(), () => { const [_tx, rx] = mpsc.channel<number>(1); return rx.blockingRecv(); }]) {
    try { f(); } catch (e) { console.log((e as Error).message.split(":")[0]); }
  }
  g.unlock();
  // The cancelled wait left no waiter behind: the lock is free again.
  console.log(m.tryLock() !== undefined);`,
      expect: ['blockingLock would block this thread for ever', 'blockingRecv would block this thread for ever', 'true'],
    },
  ],
});

/** tokio_test::task::spawn: a future polled by hand with a waker that records whether it was woken since the last poll. */
const MOCK_TASK = `
function mockTask<T>(f: Awaitable<T>) {
  let woken = false;
  const cx = new Context(Waker.from(() => { woken = true; }));
  return {
    poll(): Poll<T> { woken = false; return f.poll(cx); },
    isWoken: () => woken,
    drop: () => f[Symbol.dispose]?.(),
  };
}
function ready<T>(p: Poll<T>): T { if (!p.ready) throw new Error("assert_ready: the future was pending"); return p.value; }
function assertPending<T>(p: Poll<T>): void { if (p.ready) throw new Error("assert_pending: the future was ready"); }
`;

ported('tokio tests/sync_rwlock.rs', {
  imports: `import { spawn, RwLock, Barrier, Context, Waker, Poll, drop, type Awaitable } from "weft/task";`,
  helpers: MOCK_TASK,
  async: true,
  cases: [
    {
      test: 'read_shared',
      body: `  const rwlock = new RwLock(100);
  const t1 = mockTask(rwlock.read());
  const g1 = ready(t1.poll());
  const t2 = mockTask(rwlock.read());
  const g2 = ready(t2.poll());
  console.log(g1.value, g2.value);`,
      expect: ['100 100'],
    },
    {
      test: 'write_shared_pending',
      body: `  const rwlock = new RwLock(100);
  const _g1 = ready(mockTask(rwlock.read()).poll());
  assertPending(mockTask(rwlock.write()).poll());
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'read_exclusive_pending',
      body: `  const rwlock = new RwLock(100);
  const _g1 = ready(mockTask(rwlock.write()).poll());
  assertPending(mockTask(rwlock.read()).poll());
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'write_exclusive_pending',
      body: `  const rwlock = new RwLock(100);
  const _g1 = ready(mockTask(rwlock.write()).poll());
  assertPending(mockTask(rwlock.write()).poll());
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'write_shared_drop',
      body: `  const rwlock = new RwLock(100);
  const g1 = ready(mockTask(rwlock.read()).poll());
  const t2 = mockTask(rwlock.write());
  assertPending(t2.poll());
  drop(g1);
  console.log("woken", t2.isWoken());
  const g2 = ready(t2.poll());
  console.log(g2.value);`,
      expect: ['woken true', '100'],
    },
    {
      test: 'write_read_shared_pending',
      body: `  const rwlock = new RwLock(100);
  const _g1 = ready(mockTask(rwlock.read()).poll());
  const _g2 = ready(mockTask(rwlock.read()).poll());
  assertPending(mockTask(rwlock.write()).poll());
  assertPending(mockTask(rwlock.read()).poll());
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'write_read_shared_drop_pending',
      body: `  const rwlock = new RwLock(100);
  const _g1 = ready(mockTask(rwlock.read()).poll());
  const t2 = mockTask(rwlock.write());
  assertPending(t2.poll());
  const t3 = mockTask(rwlock.read());
  assertPending(t3.poll());
  t2.drop();
  console.log("woken", t3.isWoken());
  const g3 = ready(t3.poll());
  console.log(g3.value);`,
      expect: ['woken true', '100'],
    },
    {
      test: 'read_uncontested',
      body: `  const rwlock = new RwLock(100);
  console.log((await rwlock.read()).value);`,
      expect: ['100'],
    },
    {
      test: 'write_uncontested',
      body: `  const rwlock = new RwLock(100);
  const result = await rwlock.write();
  result.value += 50;
  console.log(result.value);`,
      expect: ['150'],
    },
    {
      test: 'multithreaded (as tasks of one thread: weft/task runs on one)',
      body: `  const barrier = new Barrier(5);
  const rwlock = new RwLock(0);
  for (const add of [2, 3, 5, 7]) {
    spawn(async () => {
      for (let i = 0; i < 1000; i++) { const guard = await rwlock.write(); guard.value += add; guard.unlock(); }
      await barrier.wait();
    });
  }
  await barrier.wait();
  const g = await rwlock.read();
  console.log(g.value);`,
      expect: ['17000'],
    },
  ],
});
