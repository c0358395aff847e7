/**
 * A fourth round of Tokio's own tests ported to weft/task, through the
 * conformance harness (tests/conformance/support/ported.ts: each program
 * runs free and under two seeds). Each case names the upstream test it
 * ports; tokio-ported-3.test.ts, tokio-ported-gaps.test.ts and
 * tests/conformance/tokio-*.test.ts hold the earlier rounds. Upstream drives
 * futures by hand with tokio_test (`spawn(f).poll()`, `is_woken()`); here a
 * future is polled with a hand-made Context whose Waker counts its wakes
 * (`mockTask`), as tokio_test's mock task does. Sleeps run on paused time.
 * Where Rust drops a value implicitly (a temporary, `let _ =`), the port
 * says `drop(...)` or `using`, as a reader of the book writes it.
 */
import { ported, RESUME_TIME } from '../../conformance/support/ported.ts';
import { TOKIO_HELPERS } from '../../conformance/support/tokio-helpers.ts';

const IMPORTS = `import { spawn, sleep, sleepUntil, yieldNow, select, join, tryJoin, time, interval, timeout, mpsc, oneshot, watch, broadcast, Mutex, Semaphore, OnceCell, Barrier, JoinSet, JoinError, Poll, Context, Waker, drop, spawnBlocking, type Awaitable } from "weft/task";
import { sleep as sleepThread, spawn as spawnThread } from "weft/thread";
import { Arc, AtomicBool } from "weft/sync";`;

const HELPERS = `${TOKIO_HELPERS}
/** tokio_test's mock task: a Context whose Waker counts its wakes. */
function mockTask() { const t = { woken: 0, cx: null as unknown as Context }; t.cx = new Context(Waker.from(() => { t.woken++; })); return t; }
/** Rust's \`is_ok()\` of a call that throws its Err. */
function isOk(f: () => unknown): boolean { try { f(); return true; } catch { return false; } }
/** A value whose drop is counted (upstream's \`impl Drop\`). */
class Counted { static drops = 0; [Symbol.dispose]() { Counted.drops++; } }
`;

ported('tokio tests/sync_mutex.rs, sync_mutex_owned.rs, sync_semaphore_owned.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'straight_execution (sync_mutex.rs)',
      body: `  const l = new Mutex(100);
  const seen: number[] = [];
  for (const next of [99, 98, undefined]) {
    const t = mockTask();
    const p = l.lock().poll(t.cx);
    assert(p.ready, "the lock is free");
    using g = p.value;
    seen.push(g.value);
    if (next !== undefined) g.value = next;
  }
  console.log(seen.join(" "));`,
      expect: ['100 99 98'],
    },
    {
      test: 'straight_execution (sync_mutex_owned.rs, lockOwned)',
      body: `  const l = new Arc(new Mutex(100));
  const seen: number[] = [];
  for (const next of [99, 98, undefined]) {
    const t = mockTask();
    const p = l.clone().lockOwned().poll(t.cx);
    assert(p.ready, "the lock is free");
    using g = p.value;
    seen.push(g.value);
    if (next !== undefined) g.value = next;
  }
  console.log(seen.join(" "));`,
      expect: ['100 99 98'],
    },
    {
      test: 'readiness (sync_mutex.rs and sync_mutex_owned.rs)',
      body: `  for (const owned of [false, true]) {
    const l1 = new Arc(new Mutex(100));
    const l2 = l1.clone();
    const t1 = mockTask(), t2 = mockTask();
    const f1 = owned ? l1.clone().lockOwned() : l1.lock();
    const f2 = owned ? l2.lockOwned() : l2.lock();
    const g = f1.poll(t1.cx);
    assert(g.ready);
    const pending = !f2.poll(t2.cx).ready;
    drop(g.value);
    console.log(owned ? "owned" : "borrowed", pending, t2.woken > 0, f2.poll(t2.cx).ready);
  }`,
      expect: ['borrowed true true true', 'owned true true true'],
    },
    {
      test: 'try_lock_owned (sync_mutex_owned.rs)',
      body: `  const m = new Arc(new Mutex(0));
  {
    using g1 = m.clone().tryLockOwned();
    const g2 = m.clone().tryLockOwned();
    console.log(g1 !== undefined, g2 !== undefined);
  }
  console.log(m.tryLockOwned() !== undefined);`,
      expect: ['true false', 'true'],
    },
    {
      test: 'debug_format (sync_mutex.rs and sync_mutex_owned.rs)',
      body: `  const s = "debug";
  const m = new Mutex(s);
  const guard = await m.lock();
  console.log(String(guard) === String(s), String(guard));
  drop(guard);
  const owned = new Arc(new Mutex(s));
  console.log(String(await owned.lockOwned()) === String(s));`,
      expect: ['true debug', 'true'],
    },
    {
      test: 'mutex_debug (sync_mutex.rs)',
      body: `  const m = new Mutex("data");
  console.log(String(m));
  using _guard = await m.lock();
  console.log(String(m));`,
      expect: ['Mutex { data: data }', 'Mutex { data: <locked> }'],
    },
    {
      test: 'try_acquire_many (sync_semaphore_owned.rs)',
      body: `  const sem = new Arc(new Semaphore(42));
  {
    const p1 = isOk(() => sem.clone().tryAcquireManyOwned(42));
    const p2 = isOk(() => sem.clone().tryAcquireOwned());
    console.log(p1, p2);
  }
  // In Rust p1 is dropped at the end of its block; here the port gives its permits back.
  sem.addPermits(42);
  const p3 = isOk(() => sem.clone().tryAcquireManyOwned(32));
  const p4 = isOk(() => sem.clone().tryAcquireManyOwned(10));
  console.log(p3, p4, isOk(() => sem.tryAcquireOwned()));`,
      expect: ['true false', 'true true false'],
    },
    {
      test: 'acquire_many (sync_semaphore_owned.rs)',
      body: `  const semaphore = new Arc(new Semaphore(42));
  const permit32 = semaphore.clone().tryAcquireManyOwned(32);
  const [sender, receiver] = oneshot.channel<void>();
  const joinHandle = spawn(async () => {
    using _permit10 = await semaphore.clone().acquireManyOwned(10);
    sender.send(undefined);
    using _permit32 = await semaphore.acquireManyOwned(32);
  });
  await receiver;
  drop(permit32);
  await joinHandle;
  console.log("done");`,
      expect: ['done'],
    },
  ],
});

ported('tokio tests/sync_once_cell.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'drop_cell',
      body: `  Counted.drops = 0;
  const fooer = new Counted();
  {
    using onceCell = new OnceCell<Counted>();
    const prev = onceCell.set(fooer);
    assert(prev.ok);
  }
  console.log(Counted.drops);`,
      expect: ['1'],
    },
    {
      test: 'drop_cell_new_with',
      body: `  Counted.drops = 0;
  const fooer = new Counted();
  {
    using onceCell = OnceCell.newWith(fooer);
    assert(onceCell.initialized());
  }
  console.log(Counted.drops);`,
      expect: ['1'],
    },
    {
      test: 'drop_into_inner, drop_into_inner_new_with',
      body: `  for (const make of ["new", "newWith"]) {
    Counted.drops = 0;
    let onceCell: OnceCell<Counted>;
    if (make === "new") { onceCell = new OnceCell<Counted>(); assert(onceCell.set(new Counted()).ok); } else onceCell = OnceCell.newWith(new Counted());
    const fooer = onceCell.intoInner();
    const count = Counted.drops;
    drop(fooer);
    console.log(make, count, Counted.drops);
  }`,
      expect: ['new 0 1', 'newWith 0 1'],
    },
    {
      test: 'get_or_init_panic',
      body: `  time.pause();
  const ONCE = new OnceCell<number>();
  const func1 = async () => 5;
  const funcPanic = async () => { await sleep(1); throw new Error("explicit panic"); };
  const handle1 = spawn(async () => await ONCE.getOrInit(func1));
  const handle2 = spawn(async () => await ONCE.getOrInit(funcPanic));
  await time.advance(1);
  console.log(await handle1, await handle2);`,
      expect: ['5 5'],
    },
  ],
});

ported('tokio tests/sync_errors.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'mpsc_error_bound, oneshot_error_bound, watch_error_bound (is_error)',
      body: `  const isError = (e: unknown) => typeof e === "function" && e.prototype instanceof Error;
  console.log(isError(mpsc.error.SendError), isError(mpsc.error.TrySendError));
  console.log(isError(oneshot.error.RecvError), isError(oneshot.error.TryRecvError));
  console.log(isError(watch.error.SendError));`,
      expect: ['true true', 'true true', 'true'],
    },
  ],
});

ported('tokio tests/sync_mpsc_weak.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'test_msgs_dropped_on_rx_drop, test_msgs_dropped_on_unbounded_rx_drop',
      body: `  for (const unbounded of [false, true]) {
    Counted.drops = 0;
    const [tx, rx] = unbounded ? mpsc.unboundedChannel<Counted>() : mpsc.channel<Counted>(3);
    if (tx instanceof mpsc.Sender) {
      await tx.send(new Counted());
      await tx.send(new Counted());
      const sentFut = tx.send(new Counted());
      drop(await rx.recv());
      drop(await rx.recv());
      await sentFut;
    } else {
      tx.send(new Counted());
      tx.send(new Counted());
      tx.send(new Counted());
      drop(await rx.recv());
      drop(await rx.recv());
    }
    drop(rx);
    const afterRxDrop = Counted.drops;
    let failed = false;
    try {
      if (tx instanceof mpsc.Sender) await tx.send(new Counted()); else tx.send(new Counted());
    } catch (e) {
      failed = e instanceof mpsc.error.SendError;
      drop((e as mpsc.error.SendError<Counted>).value);
    }
    console.log(afterRxDrop, failed, Counted.drops);
  }`,
      expect: ['3 true 4', '3 true 4'],
    },
    {
      test: 'downgrade_upgrade_sender_success, downgrade_upgrade_sender_failure, downgrade_drop_upgrade, test_tx_count_weak_sender (and their unbounded twins)',
      body: `  for (const unbounded of [false, true]) {
    const make = () => unbounded ? mpsc.unboundedChannel<number>() : mpsc.channel<number>(1);
    const out: boolean[] = [];
    { const [tx, _rx] = make(); const weakTx = tx.downgrade(); out.push(weakTx.upgrade() !== undefined); }
    { const [tx, _rx] = make(); const weakTx = tx.downgrade(); drop(tx); out.push(weakTx.upgrade() === undefined); }
    { const [tx, _rx] = make(); const weakTx = tx.clone().downgrade(); drop(tx); out.push(weakTx.upgrade() === undefined); }
    { const [tx, _rx] = make(); const w1 = tx.downgrade(); const w2 = tx.downgrade(); drop(tx); out.push(w1.upgrade() === undefined && w2.upgrade() === undefined); }
    console.log(unbounded ? "unbounded" : "bounded", out.join(" "));
  }`,
      expect: ['bounded true true true true', 'unbounded true true true true'],
    },
    {
      test: 'downgrade_get_permit_upgrade_no_senders, downgrade_upgrade_get_permit_no_senders',
      body: `  {
    const [tx, _rx] = mpsc.channel<number>(1);
    const weakTx = tx.downgrade();
    const _permit = await tx.reserveOwned();
    console.log(weakTx.upgrade() !== undefined);
  }
  {
    const [tx, _rx] = mpsc.channel<number>(1);
    const tx2 = tx.clone();
    const _permit = await tx.reserveOwned();
    const weakTx = tx2.downgrade();
    drop(tx2);
    console.log(weakTx.upgrade() !== undefined);
  }`,
      expect: ['true', 'true'],
    },
  ],
});

ported('tokio tests/sync_mpsc_weak.rs (a temporary clone downgraded)', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  timeoutMs: 20_000,
  cases: [
    {
      test: 'weak_sender, weak_unbounded_sender',
      body: `  for (const unbounded of [false, true]) {
    const [tx, rx] = unbounded ? mpsc.unboundedChannel<number>() : mpsc.channel<number>(11);
    const txWeak = await spawn(async () => {
      const txWeak = tx.clone().downgrade();
      for (let i = 0; i < 10; i++) {
        if (!(await result(tx.send(i) as Awaitable<void>)).ok) return undefined;
      }
      const tx2 = txWeak.upgrade();
      if (tx2 === undefined) throw new Error("expected to be able to upgrade tx_weak");
      using tx2b = tx2;
      await result(tx2b.send(20) as Awaitable<void>);
      const weak = tx2.downgrade();
      return weak;
    });
    const got: string[] = [];
    for (let i = 0; i < 12; i++) {
      const recvd = await rx.recv();
      if (recvd === undefined) { got.push("none at " + i); break; }
      if (i === 10) got.push("10th " + recvd);
    }
    console.log(unbounded ? "unbounded" : "bounded", got.join(", "), txWeak!.upgrade() === undefined);
  }`,
      expect: ['bounded 10th 20, none at 11 true', 'unbounded 10th 20, none at 11 true'],
    },
    {
      test: 'actor_weak_sender, actor_weak_unbounded_sender',
      body: `  type ActorMessage = { kind: "getUniqueId"; respondTo: oneshot.Sender<number> } | { kind: "self" };
  for (const unbounded of [false, true]) {
    class MyActor {
      nextId = 0;
      receivedSelfMsg = false;
      constructor(public receiver: mpsc.Receiver<ActorMessage>, public sender: mpsc.WeakSender<ActorMessage, any>) {}
      handleMessage(msg: ActorMessage) {
        if (msg.kind === "getUniqueId") { this.nextId++; msg.respondTo.send(this.nextId); }
        else this.receivedSelfMsg = true;
      }
      async sendMessageToSelf() {
        const msg: ActorMessage = { kind: "self" };
        const sender = this.sender.clone();
        // Rust drops the upgraded Sender at the end of its \`if let\` block: \`using\` says so here.
        using strong = sender.upgrade();
        if (strong !== undefined) {
          await result(strong.send(msg) as Awaitable<void>);
          this.sender = strong.downgrade();
        }
      }
      async run() {
        let i = 0;
        let msg: ActorMessage | undefined;
        while ((msg = await this.receiver.recv()) !== undefined) {
          this.handleMessage(msg);
          if (i === 0) await this.sendMessageToSelf();
          i++;
        }
        assert(this.receivedSelfMsg);
        return "ran " + i;
      }
    }
    const [sender, receiver] = unbounded ? mpsc.unboundedChannel<ActorMessage>() : mpsc.channel<ActorMessage>(8);
    const actor = new MyActor(receiver, sender.clone().downgrade());
    const handle = { sender };
    const actorHandle = spawn(async () => await actor.run());
    await spawn(async () => {
      const [send, recv] = oneshot.channel<number>();
      await result(handle.sender.send({ kind: "getUniqueId", respondTo: send }) as Awaitable<void>);
      const id = await recv;
      drop(handle.sender);
      return id;
    });
    console.log(await actorHandle);
  }`,
      expect: ['ran 2', 'ran 2'],
    },
  ],
});

ported('tokio tests/task_abort.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'test_abort_without_panic_3157',
      body: `  time.pause();
  const handle = spawn(async () => { await sleep(100_000); });
  // wait for task to sleep.
  await sleep(10);
  handle.abort();
  const r = await handle.result();
  console.log(r.ok, !r.ok && r.value.isCancelled());`,
      expect: ['false true'],
    },
    {
      test: 'test_abort_without_panic_3662 (the AbortHandle, which is Send, goes to the other thread)',
      body: `  const dropFlag = new Arc(new AtomicBool(false));
  class DropCheck { constructor(readonly flag: Arc<AtomicBool>) {} [Symbol.dispose]() { this.flag.store(true); } }
  const dropCheck = new DropCheck(dropFlag.clone());
  const j = spawn(async () => {
    using _dropCheck = dropCheck;
    await pending();
  });
  await yieldNow();
  const dropFlag2 = dropFlag.clone();
  const abort = j.abortHandle();
  // Upstream joins a std thread inside block_on; a spawnBlocking thread is the same without blocking the executor.
  const seenBefore = await spawnBlocking(() => { const before = dropFlag2.load(); abort.abort(); return before; });
  const r = await j.result();
  console.log(seenBefore, dropFlag.load(), !r.ok && r.value.isCancelled());
  await spawn(async () => { await yieldNow(); });`,
      expect: ['false true true'],
    },
    {
      test: 'test_abort_wakes_task_3964',
      body: `  time.pause();
  const notifyDropped = new Arc(0);
  const weakNotifyDropped = Arc.downgrade(notifyDropped);
  const handle = spawn(async () => {
    const _notifyDropped = notifyDropped;
    await sleep(100_000);
  });
  await sleep(10);
  handle.abort();
  drop(handle);
  await sleep(10);
  console.log(weakNotifyDropped.upgrade() === undefined);`,
      expect: ['true'],
    },
  ],
});

ported('tokio tests/task_blocking.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS + `\nimport { blockInPlace } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'basic_blocking (10 rounds, not 100: each starts a thread)',
      body: `  const outs: string[] = [];
  for (let i = 0; i < 10; i++) {
    const out = await spawn(async () => await spawnBlocking(() => { sleepThread(5); return "hello"; }));
    outs.push(out);
  }
  console.log(outs.every((o) => o === "hello"), outs.length);`,
      expect: ['true 10'],
    },
    {
      test: 'block_in_blocking (10 rounds): blockInPlace runs in place on a blocking thread',
      body: `  for (let i = 0; i < 10; i++) {
    const out = await spawn(async () => await spawnBlocking(() => { blockInPlace(() => { sleepThread(5); }); return "hello"; }));
    assertEq(out, "hello");
  }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'no_block_in_current_thread_scheduler, no_block_in_current_thread_block_on (should_panic); block_in_block needs the multi-threaded runtime, which weft has not: it fails the same way',
      body: `  try { blockInPlace(() => {}); console.log("ran"); } catch (e) { console.log((e as Error).message.startsWith("can call blocking only when running on the multi-threaded runtime")); }
  const r = await spawn(async () => blockInPlace(() => blockInPlace(() => "hello"))).result();
  console.log(r.ok, !r.ok && r.value.isPanic());`,
      expect: ['true', 'false true'],
      panics: 1,
    },
    {
      test: 'blocking_when_paused',
      body: `  time.pause();
  const a = await timeout(3000, spawnBlocking(() => sleepThread(1)));
  const b = await timeout(1, spawnBlocking(() => { sleepThread(50); return "finished"; }));
  console.log(a, b);`,
      expect: ['undefined finished'],
    },
    {
      test: 'blocking_task_wakes_paused_runtime, unawaited_blocking_task_wakes_paused_runtime',
      body: `  time.pause();
  const start = time.now();
  console.log(await timeout(15_000, spawnBlocking(() => { sleepThread(1); return 1; })), time.now() - start);
  const a = spawnBlocking(() => { sleepThread(1); return 2; });
  await sleep(15_000);
  console.log(await a, time.now() - start);`,
      expect: ['1 0', '2 15000'],
    },
    {
      test: 'panicking_blocking_task_wakes_paused_runtime',
      body: `  time.pause();
  const start = time.now();
  try {
    await timeout(15_000, spawnBlocking(() => { sleepThread(1); throw new Error("blocking task panicked"); }));
    console.log("no panic");
  } catch (e) {
    console.log((e as Error).name !== "Elapsed", String((e as Error).message).includes("blocking task panicked"), time.now() - start);
  }`,
      expect: ['true true 0'],
      panics: 1,
    },
  ],
});

ported('tokio tests/time_sleep.rs, time_pause.rs, time_interval.rs, time_timeout.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS + `\nimport { timeoutAt, intervalAt, Sleep } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'paused_time_is_deterministic, paused_time_stress_run (time_pause.rs; 1000 sleeps, not 10000; first, while the clock is on whole ms)',
      body: `  time.pause();
  const run = async () => {
    let seed = 1;
    const rand = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
    const times: number[] = [];
    const start = time.now();
    for (let i = 0; i < 1000; i++) { await sleep(Math.floor(rand() * 1000)); times.push(time.now() - start); }
    return times;
  };
  const run1 = await run(), run2 = await run();
  console.log(JSON.stringify(run1) === JSON.stringify(run2), run1.length);`,
      expect: ['true 1000'],
    },
    {
      test: 'short_sleeps (time_sleep.rs)',
      body: `  for (let i = 0; i < 10000; i++) await sleep(0);
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'exact_1ms_advance, test_time_advance_sub_ms, test_time_advance_3ms_and_change (time_pause.rs): elapsed equals the advance (exactly for whole ms; to 1e-9 ms below, as time is a float number of ms: time.ts says so)',
      body: `  time.pause();
  const out: string[] = [];
  for (const dur of [1, 1, 51.592, 0.001, 3141.592, 3123.456]) {
    const now = time.now();
    await time.advance(dur);
    const e = time.now() - now;
    out.push(e === dur ? "exact" : Math.abs(e - dur) < 1e-9 ? "close" : String(e));
  }
  console.log(out.slice(0, 2).join(" "), out.slice(2).every((o) => o !== "exact" && o !== "close") ? out.join(" ") : "ok");`,
      expect: ['exact exact ok'],
    },
    {
      test: 'regression_3710_with_submillis_advance (time_pause.rs)',
      body: `  time.pause();
  const start = time.now();
  await time.advance(1);
  const s = sleepUntil(start + 60_000);
  const t = mockTask();
  const p1 = s.poll(t.cx).ready;
  const before = time.now();
  await time.advance(51.592);
  console.log(p1, Math.abs(time.now() - before - 51.592) < 1e-9, s.poll(t.cx).ready);`,
      expect: ['false true false'],
    },
    {
      test: 'multi_long_sleeps, exactly_max, no_out_of_bounds_close_to_max (time_sleep.rs)',
      body: `  time.pause();
  for (let i = 0; i < 5; i++) await sleep(365 * 24 * 3600 * 1000);
  const deadline = time.now() + 10 * 365 * 24 * 3600 * 1000;
  await sleepUntil(deadline);
  console.log(time.now() >= deadline);
  const MAX_DURATION = 2 ** 36 - 1;
  await sleep(MAX_DURATION);
  await sleep(MAX_DURATION - 1);
  console.log("ok");`,
      expect: ['true', 'ok'],
    },
    {
      test: 'sub_ms_delayed_sleep, delayed_sleep_wrapping_level_0 (time_sleep.rs)',
      body: `  time.pause();
  const elapsed: number[] = [];
  for (let i = 0; i < 5; i++) {
    const now = time.now();
    await sleepUntil(now + 1 + 0.000001);
    const e = time.now() - now;
    elapsed.push(e >= 1 && e <= 2 ? 1 : e);
  }
  await sleep(5);
  const now = time.now();
  await sleepUntil(now + 60);
  const e = time.now() - now;
  console.log(elapsed.join(","), e >= 60 && e <= 61);`,
      expect: ['1,1,1,1,1 true'],
    },
    {
      test: 'drop_after_reschedule_at_new_scheduled_time (time_sleep.rs)',
      body: `  time.pause();
  const start = time.now();
  const a = sleep(5), b = sleep(5), c = sleep(10);
  const t = mockTask();
  a.poll(t.cx); b.poll(t.cx); c.poll(t.cx);
  b.reset(start + 10);
  await a;
  drop(b);
  console.log(time.now() - start);`,
      expect: ['5'],
    },
    {
      test: 'drop_from_wake (time_sleep.rs): a Waker that drops the sleeps that woke it',
      body: `  time.pause();
  let panicked = false;
  let list: Sleep[] = [];
  const waker = Waker.from(() => { try { for (const s of list) drop(s); list = []; } catch { panicked = true; } });
  for (let i = 0; i < 100; i++) { const timer = sleep(10); timer.poll(new Context(waker)); list.push(timer); }
  await sleep(11);
  console.log(panicked, list.length);`,
      expect: ['false 0'],
    },
    {
      test: 'pause_time_in_main, pause_time_in_task (time_pause.rs)',
      body: `  time.pause();
  time.resume();
  await spawn(async () => { time.pause(); });
  time.resume();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'sleep_same_task, sleep_same_task_no_poll (time_pause.rs): a hand-written future that advances time itself',
      body: `  time.pause();
  for (const pollFirst of [true, false]) {
    const start = time.now();
    await time.advance(1);
    const s = sleepUntil(start + 300);
    let state = 0, before = 0, advanceFut: Awaitable<void> | null = null;
    const seen: boolean[] = [];
    const tester = { poll(cx: Context): Poll<void> {
      for (;;) {
        if (state === 0) {
          if (pollFirst) seen.push(s.poll(cx).ready);
          before = time.now();
          advanceFut = time.advance(100);
          state = 1;
        } else if (state === 1) {
          if (!advanceFut!.poll(cx).ready) return Poll.pending();
          state = 2;
        } else {
          seen.push(time.now() - before === 100, s.poll(cx).ready);
          return Poll.ready(undefined);
        }
      }
    } } as unknown as Awaitable<void>;
    await tester;
    console.log(seen.join(" "));
  }`,
      expect: ['false true false', 'true false'],
    },
    {
      test: 'interval_zero_duration (time_interval.rs, should_panic)',
      body: `  try { intervalAt(time.now(), 0); console.log("made"); } catch (e) { console.log((e as Error).message.includes("period")); }
  try { interval(0); console.log("made"); } catch (e) { console.log((e as Error).message.includes("period")); }`,
      expect: ['true', 'true'],
    },
    {
      test: 'timeout_is_not_exhausted_by_future (time_timeout.rs): a future that is always ready still times out',
      body: `  // Upstream's future reads io::empty() for ever on a real clock; here a Semaphore always ready, on paused
  // time, which another task moves on: it gets its turn only because the looping task's budget runs out.
  time.pause();
  const sem = new Semaphore(1);
  spawn(async () => { await time.advance(5); });
  const r = await result(timeout(1, async () => {
    for (;;) { const p = await sem.acquire(); drop(p); }
  }));
  console.log(r.ok, (r.error as Error)?.name);`,
      expect: ['false Elapsed'],
    },
  ],
});

ported('tokio tests/rt_common.rs (coop), task_join_set.rs (join_set_coop)', {
  imports: IMPORTS + `\nimport { unconstrained, consumeBudget } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'coop: a task that receives for ever is told to yield',
      body: `  const [send, recv] = mpsc.unboundedChannel<null>();
  for (let i = 0; i < 1000; i++) send.send(null);
  let yieldedAt = -1;
  await { poll(cx: Context) {
    for (let i = 0; i < 1000; i++) if (!recv.pollRecv(cx).ready) { yieldedAt = i; return Poll.ready(undefined); }
    throw new Error("did not yield");
  } } as unknown as Awaitable<void>;
  console.log(yieldedAt);`,
      expect: ['128'],
    },
    {
      test: 'coop_unconstrained',
      body: `  const [send, recv] = mpsc.unboundedChannel<number>();
  for (let i = 0; i < 1000; i++) send.send(i);
  await unconstrained({ poll(cx: Context) {
    for (let i = 0; i < 1000; i++) { const p = recv.pollRecv(cx); if (!p.ready || p.value !== i) throw new Error("not ready at " + i); }
    return Poll.ready(undefined);
  } } as unknown as Awaitable<void>);
  console.log("all ready");`,
      expect: ['all ready'],
    },
    {
      test: 'coop_consume_budget',
      body: `  let counter = 0;
  const worker = (async () => { for (let i = 0; i < 1000; i++) { counter++; await consumeBudget(); } })();
  const t = mockTask();
  const pendingNow = !worker.poll(t.cx).ready;
  console.log(pendingNow, counter < 1000, t.woken);`,
      expect: ['true true 1'],
    },
    {
      test: 'join_set_coop',
      body: `  const TASK_NUM = 1000;
  const SEM = new Semaphore(0);
  const set = new JoinSet<void>();
  for (let i = 0; i < TASK_NUM; i++) set.spawn(async () => { SEM.addPermits(1); });
  drop(await SEM.acquireMany(TASK_NUM));
  let count = 0, coopCount = 0;
  for (;;) {
    const r = await pollOnce(set.joinNext());
    if (!r.ready) { coopCount++; await yieldNow(); continue; }
    if (r.value === undefined) break;
    if (!r.value.ok) throw new Error("failed");
    count++;
  }
  console.log(coopCount >= 1, count);`,
      expect: ['true 1000'],
    },
  ],
});

ported('tokio tests/macros_select.rs, macros_join.rs, macros_try_join.rs', {
  imports: IMPORTS + `\nimport { pin } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'disable_with_if (macros_select.rs)',
      body: `  const f = { poll() { throw new Error("polled a disabled branch"); } } as unknown as Awaitable<void>;
  const [tx, rx] = oneshot.channel<void>();
  const fut = (async () => (await select({ f: false && f, rx })).key)();
  const t = mockTask();
  const first = fut.poll(t.cx).ready;
  tx.send(undefined);
  const woken = t.woken > 0;
  const p = fut.poll(t.cx);
  console.log(first, woken, p.ready && p.value);`,
      expect: ['false true rx'],
    },
    {
      test: 'biased_eventually_ready (macros_select.rs)',
      body: `  const one = pin((async () => {})());
  const two = pin((async () => { await yieldNow(); })());
  const three = pin((async () => { await yieldNow(); })());
  let count = 0;
  for (;;) {
    const r = await select({ two: count < 2 && two, three: count < 3 && three, one: count < 1 && one }, { biased: true, else: true });
    if (r.key === "else") break;
    count++;
    assertEq(count, { one: 1, two: 2, three: 3 }[r.key]);
  }
  console.log(count);`,
      expect: ['3'],
    },
    {
      test: 'future_panics_after_poll (macros_select.rs): a branch whose value does not match its pattern is disabled, not polled again',
      body: `  const [tx, rx] = oneshot.channel<number>();
  let polled = false;
  const f = { poll() { assert(!polled, "polled after it finished"); polled = true; return Poll.ready(undefined); } } as unknown as Awaitable<number | undefined>;
  const fut = (async () => { const r = await select({ f, rx }, { patterns: { f: (v) => v !== undefined } }); assert(r.key === "rx", "unreachable"); return r.value; })();
  const t = mockTask();
  const a = fut.poll(t.cx).ready, b = fut.poll(t.cx).ready;
  tx.send(1);
  const res = fut.poll(t.cx);
  console.log(a, b, res.ready && res.value);`,
      expect: ['false false 1'],
    },
    {
      test: 'join_with_select (macros_select.rs)',
      body: `  const [tx1, rx1] = oneshot.channel<number>();
  const [tx2, rx2] = oneshot.channel<number>();
  const r1 = pin(rx1), r2 = pin(rx2);
  const fut = (async () => {
    let a: number | undefined, b: number | undefined;
    while (a === undefined || b === undefined) {
      const r = await select({ v1: a === undefined && r1, v2: b === undefined && r2 });
      if (r.key === "v1") a = r.value as number; else b = r.value as number;
    }
    return [a, b];
  })();
  const t = mockTask();
  const p0 = fut.poll(t.cx).ready;
  tx1.send(123);
  const w1 = t.woken;
  const p1 = fut.poll(t.cx).ready;
  tx2.send(456);
  const w2 = t.woken;
  const p2 = fut.poll(t.cx);
  console.log(p0, w1 > 0, p1, w2 > w1, p2.ready && JSON.stringify(p2.value));`,
      expect: ['false true false true [123,456]'],
    },
    {
      test: 'use_future_in_if_condition, use_future_in_if_condition_biased (macros_select.rs)',
      body: `  for (const biased of [false, true]) {
    const r = await select({ s: false && sleep(10), one: (async () => 1)() }, { biased });
    console.log(r.key, r.value);
  }`,
      expect: ['one 1', 'one 1'],
    },
    {
      test: 'move_uncompleted_futures (macros_select.rs)',
      body: `  const [tx1, rx1] = oneshot.channel<number>();
  const [tx2, rx2] = oneshot.channel<number>();
  tx1.send(1);
  tx2.send(2);
  const r1 = pin(rx1), r2 = pin(rx2);
  let ran = false;
  const r = await select({ r1, r2 });
  if (r.key === "r1") { assertEq(r.value, 1); assertEq(await r2, 2); ran = true; }
  else { assertEq(r.value, 2); assertEq(await r1, 1); ran = true; }
  console.log(ran);`,
      expect: ['true'],
    },
    {
      test: 'mutable_borrowing_future_with_same_borrow_in_block_and_else, async_noop, async_never (macros_select.rs)',
      body: `  let value = 234;
  const requireMutable = async (_v: { n: number }) => {};
  const asyncNoop = async () => {};
  const box = { n: value };
  const r = await select({ a: requireMutable(box), b: asyncNoop() }, { else: true });
  if (r.key === "b") value += 5; else if (r.key === "else") value += 27;
  const never = await select({ n: pending(), y: asyncNoop() });
  console.log(value >= 234, never.key);`,
      expect: ['true y'],
    },
    {
      test: 'err_abort_early (macros_try_join.rs)',
      body: `  const [tx1, rx1] = oneshot.channel<string>();
  const [tx2, rx2] = oneshot.channel<number>();
  const [_tx3, rx3] = oneshot.channel<number>();
  const join = (async () => await tryJoin((async () => await rx1)(), (async () => await rx2)(), (async () => await rx3)()))();
  const t = mockTask();
  const a = join.poll(t.cx).ready;
  tx2.send(123);
  const w1 = t.woken;
  const b = join.poll(t.cx).ready;
  drop(tx1);
  const w2 = t.woken;
  let res: string;
  try { const p = join.poll(t.cx); res = p.ready ? "ok" : "pending"; } catch (e) { res = "err " + (e as Error).name; }
  console.log(a, w1 > 0, b, w2 > w1, res);`,
      expect: ['false true false true err RecvError'],
    },
    {
      test: 'join_does_not_allow_tasks_to_starve, try_join_does_not_allow_tasks_to_starve (non_cooperative_task, poor_little_task)',
      body: `  const order: string[] = [];
  const nonCooperativeTask = async (permits: Arc<Semaphore>) => {
    let exceededBudget = 0;
    for (let i = 0; i < 5; i++) {
      for (let j = 0; j < 128; j++) { using _permit = await permits.clone().acquireOwned(); }
      exceededBudget++;
      order.push("n");
    }
    return exceededBudget;
  };
  const poorLittleTask = async (permits: Arc<Semaphore>) => {
    let howMany = 0;
    for (let i = 0; i < 5; i++) { using _permit = await permits.clone().acquireOwned(); howMany++; order.push("p"); }
    return howMany;
  };
  const permits = new Arc(new Semaphore(1));
  console.log(JSON.stringify(await join(nonCooperativeTask(permits.clone()), poorLittleTask(permits))), order.join("").startsWith("nnnnn") ? "starved" : "not starved");
  const permits2 = new Arc(new Semaphore(1));
  console.log(JSON.stringify(await tryJoin(nonCooperativeTask(permits2.clone()), poorLittleTask(permits2))));`,
      expect: ['[5,5] not starved', '[5,5]'],
    },
  ],
});

ported('tokio tests/rt_common.rs (what a current-thread runtime does)', {
  afterEach: RESUME_TIME,
  imports: IMPORTS + `\nimport { blockOn } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'spawn_await_chain',
      body: `  console.log(await spawn(async () => await spawn(async () => "hello")));`,
      expect: ['hello'],
    },
    {
      test: 'spawn_many_from_task (500 tasks; the oneshot values are sent from a task: a weft/task channel does not cross threads)',
      body: `  const ITER = 500;
  const out = await spawn(async () => {
    const [doneTx, doneRx] = mpsc.unboundedChannel<number>();
    const txs: oneshot.Sender<number>[] = [];
    for (let i = 0; i < ITER; i++) {
      const [tx, rx] = oneshot.channel<number>();
      const done = doneTx.clone();
      spawn(async () => { const msg = await rx; assertEq(msg, i); done.send(msg); });
      txs.push(tx);
    }
    drop(doneTx);
    spawn(async () => { txs.forEach((tx, i) => tx.send(i)); });
    const out: number[] = [];
    let i: number | undefined;
    while ((i = await doneRx.recv()) !== undefined) out.push(i);
    return out.sort((a, b) => a - b);
  });
  console.log(out.length, out.every((v, i) => v === i));`,
      expect: ['500 true'],
    },
    {
      test: 'complete_block_on_under_load (the std thread\'s send: a weft/task oneshot Sender cannot go to another thread, and says so)',
      body: `  const [tx, _rx] = oneshot.channel<void>();
  try { spawnThread(() => { tx.send(undefined); }).join(); console.log("sent"); } catch (e) { console.log((e as Error).name, (e as Error).message.includes("Sender")); }`,
      expect: ['NotSendError true'],
    },
    {
      test: 'ping_pong_saturation (100 pairs of tasks)',
      body: `  const NUM = 100;
  const running = new Arc(new AtomicBool(true));
  // Rust's \`()\` messages are null: an mpsc message cannot be undefined, which recv() gives for a closed channel.
  const [spawnedTx, spawnedRx] = mpsc.unboundedChannel<null>();
  const tasks: ReturnType<typeof spawn<void>>[] = [];
  for (let i = 0; i < NUM; i++) {
    const [tx1, rx1] = mpsc.unboundedChannel<null>();
    const [tx2, rx2] = mpsc.unboundedChannel<null>();
    const spawnedTxI = spawnedTx.clone();
    const runningI = running.clone();
    tasks.push(spawn(async () => {
      spawnedTxI.send(null);
      while (runningI.load()) { tx1.send(null); assert((await rx2.recv()) !== undefined); }
      drop(tx1);
      assert((await rx2.recv()) === undefined);
    }));
    tasks.push(spawn(async () => {
      while ((await rx1.recv()) !== undefined) tx2.send(null);
    }));
  }
  for (let i = 0; i < NUM; i++) await spawnedRx.recv();
  await spawn(async () => { for (let i = 0; i < 5; i++) await yieldNow(); });
  running.store(false);
  for (const t of tasks) await t;
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'ping_pong_saturation, as a literal port writes it: sending undefined (Rust\'s ()) on an mpsc channel throws, saying to send null',
      body: `  const [tx, rx] = mpsc.unboundedChannel<void>();
  try { tx.send(undefined); console.log("sent"); } catch (e) { console.log((e as Error).name, (e as Error).message.includes("Send null")); }
  const [btx, _brx] = mpsc.channel<void>(1);
  try { await btx.send(undefined); console.log("sent"); } catch (e) { console.log((e as Error).name, (e as Error).message.includes("Send null")); }
  drop(rx);`,
      expect: ['TypeError true', 'TypeError true'],
    },
    {
      test: 'sleep_in_spawn, sleep_at_root',
      body: `  time.pause();
  const start = time.now();
  await sleep(10);
  const [tx, rx] = oneshot.channel<void>();
  spawn(async () => { await sleep(10); tx.send(undefined); });
  await rx;
  console.log(time.now() - start);`,
      expect: ['20'],
    },
    {
      test: 'sleep_from_blocking: a blocking thread runs a future on a runtime of its own (futures::executor::block_on there)',
      body: `  const ok = await spawnBlocking(() => blockOn(async () => { const now = time.now(); await sleep(1); return time.now() - now >= 1; }));
  console.log(ok);`,
      expect: ['true'],
    },
    {
      test: 'spawn_from_blocking, spawn_blocking_from_blocking: weft/task cannot spawn onto a runtime from its blocking threads (it is per thread); both fail saying so',
      body: `  for (const which of ["spawn", "spawnBlocking"]) {
    const r = await result(spawnBlocking(() => which === "spawn" ? spawn(async () => "hello") : spawnBlocking(() => "hello")));
    console.log(which, r.ok, String((r.error as Error)?.message).includes("cannot be called in a spawnBlocking closure"));
  }`,
      expect: ['spawn false true', 'spawnBlocking false true'],
      panics: 2,
    },
    {
      test: 'nested_rt (should_panic), panic_in_block_on (should_panic)',
      body: `  try { blockOn(async () => "hello"); console.log("nested ran"); } catch (e) { console.log((e as Error).message.includes("cannot start a runtime from within a runtime")); }
  const r = await spawnBlocking(() => { try { blockOn(async () => { throw new Error("boom"); }); return "no panic"; } catch (e) { return (e as Error).message; } });
  console.log(r);`,
      expect: ['true', 'boom'],
    },
    {
      test: 'outstanding_tasks_dropped, eagerly_drops_futures_on_shutdown: a runtime that ends drops its tasks (weft: when blockOn returns)',
      body: `  const out = await spawnBlocking(() => {
    const cnt = new Arc(0);
    let dropped = 0;
    class Never { poll() { return Poll.pending(); } [Symbol.dispose]() { dropped++; } }
    const inside = blockOn(async () => {
      const c = cnt.clone();
      spawn({ poll(_cx: Context) { assertEq(Arc.strongCount(c), 2); return Poll.pending(); }, [Symbol.dispose]() { drop(c); } } as unknown as Awaitable<void>);
      const [runTx, runRx] = oneshot.channel<void>();
      spawn(async () => { runTx.send(undefined); await (new Never() as unknown as Awaitable<void>); });
      await runRx;
      await yieldNow();
      return Arc.strongCount(cnt);
    });
    return [inside, Arc.strongCount(cnt), dropped].join(" ");
  });
  console.log(out);`,
      expect: ['2 1 1'],
    },
  ],
});

ported('tokio tests/sync_mpsc.rs, sync_broadcast.rs, sync_watch.rs, sync_notify.rs (remaining cases); an Arc of an async primitive stays on its thread', {
  imports: IMPORTS + `\nimport { Notify, Lagged } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'unconsumed_messages_are_dropped (sync_mpsc.rs)',
      body: `  const msg = new Arc(0);
  const [tx, rx] = mpsc.channel<Arc<number>>(100);
  tx.trySend(msg.clone());
  const before = Arc.strongCount(msg);
  drop(tx);
  drop(rx);
  console.log(before, Arc.strongCount(msg));`,
      expect: ['2 1'],
    },
    {
      test: 'resubscribe_points_to_tail, resubscribe_lagged, resubscribe_to_closed_channel (sync_broadcast.rs)',
      body: `  const kind = (f: () => unknown) => { try { return "ok " + f(); } catch (e) { return (e as Error).name + ((e as { kind?: string }).kind ? " " + (e as { kind?: string }).kind : ""); } };
  {
    const [tx, rx] = broadcast.channel<number>(3);
    tx.send(1);
    const rxResub = rx.resubscribe();
    const out = [kind(() => rxResub.tryRecv()), kind(() => rx.tryRecv())];
    tx.send(2);
    out.push(kind(() => rxResub.tryRecv()));
    tx.send(3);
    out.push(kind(() => rx.tryRecv()), kind(() => rx.tryRecv()), kind(() => rx.tryRecv()), kind(() => rxResub.tryRecv()), kind(() => rxResub.tryRecv()));
    console.log(out.join(" | "));
  }
  {
    const [tx, rx] = broadcast.channel<number>(1);
    tx.send(1); tx.send(2);
    const rxResub = rx.resubscribe();
    let lagged = "";
    try { rx.tryRecv(); } catch (e) { lagged = e instanceof Lagged ? "Lagged " + (e as Lagged).missed : String(e); }
    console.log(lagged, kind(() => rxResub.tryRecv()), kind(() => rx.tryRecv()), kind(() => rx.tryRecv()), kind(() => rxResub.tryRecv()));
  }
  {
    const [tx, rx] = broadcast.channel<number>(2);
    drop(tx);
    const rxResub = rx.resubscribe();
    console.log(kind(() => rxResub.tryRecv()));
  }`,
      expect: [
        'TryRecvError empty | ok 1 | ok 2 | ok 2 | ok 3 | TryRecvError empty | ok 3 | TryRecvError empty',
        'Lagged 1 TryRecvError empty ok 2 TryRecvError empty TryRecvError empty',
        'TryRecvError disconnected',
      ],
    },
    {
      test: 'send_modify_panic (sync_watch.rs)',
      body: `  const [tx, rx] = watch.channel("one");
  tx.sendModify(() => "two");
  const a = rx.borrowAndUpdate();
  const rx2 = rx.clone();
  const b = rx2.borrowAndUpdate();
  const changed = rx2.changed();
  let panicked = false;
  try { tx.sendModify(() => { throw new Error("explicit panic"); }); } catch { panicked = true; }
  const t = mockTask();
  const p1 = changed.poll(t.cx).ready;
  tx.sendModify(() => "three");
  const p2 = changed.poll(t.cx).ready;
  console.log(a, b, panicked, p1, p2, rx.borrowAndUpdate());`,
      expect: ['two two true false true three'],
    },
    {
      test: 'notify_in_drop_after_wake (sync_notify.rs): a Waker whose drop notifies does not deadlock',
      body: `  const notify = new Arc(new Notify());
  const fut = (async () => { await notify.notified(); })();
  {
    const n = notify.clone();
    const waker = Waker.from({ wake() {}, [Symbol.dispose]() { n.notifyWaiters(); } } as never);
    console.log(fut.poll(new Context(waker)).ready);
  }
  notify.notifyWaiters();
  console.log("no deadlock");`,
      expect: ['false', 'no deadlock'],
    },
    {
      test: 'an Arc of an async Mutex is shared by the tasks of its thread, and refused, saying why, when it would cross threads',
      body: `  const m = new Arc(new Mutex(0));
  const hs = [];
  for (let i = 0; i < 3; i++) { const m2 = m.clone(); hs.push(spawn(async () => { using g = await m2.lock(); g.value += 1; })); }
  for (const h of hs) await h;
  console.log((await m.lock()).value === 3 ? "shared" : "not shared");
  const m3 = m.clone();
  try { spawnThread(() => { m3.tryLock(); }).join(); console.log("crossed"); } catch (e) { console.log((e as Error).name, (e as Error).message.includes("weft/task Mutex")); }
  const sem = new Semaphore(1);
  try { await spawnBlocking(() => sem.availablePermits()); console.log("crossed"); } catch (e) { console.log((e as Error).name, (e as Error).message.includes("weft/task Semaphore")); }`,
      expect: ['shared', 'NotSendError true', 'NotSendError true'],
    },
  ],
});

ported('tokio tests/task_local_set.rs (run_until_does_not_get_own_budget)', {
  imports: IMPORTS + `\nimport { LocalSet, consumeBudget, pin } from "weft/task";`,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'run_until_does_not_get_own_budget',
      body: `  await consumeBudget();
  await new LocalSet().runUntil(async () => {
    const spawned = spawn(async () => {
      let spawnedN = 0;
      {
        using f = pin((async () => { for (;;) { spawnedN++; await consumeBudget(); } })());
        assert(!f.poll(mockTask().cx).ready);
      }
      return spawnedN;
    });
    let runUntilN = 0;
    {
      using g = pin((async () => { for (;;) { runUntilN++; await consumeBudget(); } })());
      assert(!g.poll(mockTask().cx).ready);
    }
    const spawnedN = await spawned;
    console.log(spawnedN !== 0, runUntilN !== 0, spawnedN > runUntilN);
  });`,
      expect: ['true true true'],
    },
  ],
});
