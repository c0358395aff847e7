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
import { ported } from '../../conformance/support/ported.ts';
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
