/**
 * A fourth round of Rust std tests ported to weft: every test of the files
 * below that no other weft test ports and that means something in weft, and
 * the documented examples of the most used APIs. Each case names its
 * upstream test; the cases of a file share one program (ported.ts), run
 * free and under seeds 1 and 2. Counts and sleeps are scaled down; what
 * each case asserts is what upstream asserts.
 *
 * Upstream: library/std/src/thread/tests.rs, library/std/tests/thread.rs,
 * library/std/tests/sync/{mutex,rwlock,condvar,once_lock,lazy_lock}.rs,
 * library/coretests/tests/atomic.rs, library/alloctests (alloc sync
 * tests.rs), and the examples on doc.rust-lang.org/std for thread::spawn,
 * scope, park, park_timeout, available_parallelism, Builder, Mutex, RwLock,
 * Condvar, Barrier, Once, OnceLock, LazyLock, Arc, the atomics and mpsc.
 *
 * Not ported, and why:
 * - thread/tests.rs test_avoid_copying_the_body_* (compare raw addresses),
 *   test_size_of_option_thread_id (a type layout), test_named_thread_truncation
 *   (pthread_getname_np), test_thread_os_id_not_equal (`current_os_id`, an OS
 *   id: a worker has none), test_try_panic_any_message_unit_struct (a thrown
 *   class instance cannot be copied to the joiner: ThreadPanic.payload is
 *   undefined for it), test_scoped_threads_drop_result_before_join (a Drop impl
 *   that spawns: weft has no destructors for the reader's values).
 * - tests/thread.rs sleep_until (unstable), thread_local_* (`thread_local!`:
 *   in weft a module-level variable is already one per thread).
 * - mutex.rs / rwlock.rs: mapped guards (MappedMutexGuard, RwLockReadGuard::map,
 *   filter_map, panic_while_mapping_*: unstable, and a guard of part of a
 *   value needs references into it), the `nonpoison` locks (with, with_mut,
 *   unlocked: unstable), test_needs_drop, test_read_guard_covariance (types).
 * - lazy_lock.rs lazy_force_mut, lazy_lock_deref_mut_panic (LazyLock::force_mut,
 *   unstable), lazy_default (LazyCell, not a sync type), is_sync_send.
 * - coretests atomic.rs ptr_* (AtomicPtr: raw pointers), atomic_alignment
 *   (layout).
 * - alloc sync tests: into_from_raw and the other raw-pointer tests,
 *   test_downcast (Any), test_array_from_slice (fixed-size array types),
 *   the allocator and uninit tests.
 */
import { describe, expect, it } from 'vitest';
import { ported } from '../../conformance/support/ported.ts';
import { runProgram } from '../support/run-program.ts';

const IMPORTS = `import { spawn, scope, sleep, park, parkTimeout, current, builder, Builder, availableParallelism, yieldNow, ThreadPanic } from "weft/thread";
import { Arc, Weak, Mutex, RwLock, Condvar, Barrier, Once, OnceLock, LazyLock, AtomicBool, AtomicUsize, AtomicIsize, AtomicI32, Ordering, mpsc, drop, PoisonError, TryRecvError } from "weft/sync";`;

/** A channel's state as a canary: "empty" while a Sender lives, "disconnected" once the last is dropped. */
const CANARY = `
function state(rx: mpsc.Receiver<number>): string {
  try { rx.tryRecv(); return "message"; } catch (e) { return (e as TryRecvError).kind; }
}
`;

ported('std thread/tests.rs (the tests not ported elsewhere)', {
  imports: IMPORTS,
  helpers: `
/** test_spawn_sched: each thread spawns the next, the tenth sends. */
function f(i: number, tx: mpsc.Sender<null>): void {
  const tx2 = tx.clone();
  spawn(() => {
    if (i === 0) tx2.send(null);
    else f(i - 1, tx2);
  });
}
/** test_child_doesnt_ref_parent: sixteen generations, each spawned by the one before (which is not kept alive). */
function childNo(x: number, done: mpsc.Sender<number>): void {
  if (x < 16) spawn(() => childNo(x + 1, done));
  else done.send(x);
}
`,
  cases: [
    {
      test: 'test_spawn_sched',
      body: `  const [tx, rx] = mpsc.channel<null>();
  f(10, tx);
  console.log(rx.recv());`,
      expect: ['null'],
    },
    {
      test: 'test_child_doesnt_ref_parent (the last generation reports, so the run shows it got there)',
      body: `  const [tx, rx] = mpsc.channel<number>();
  spawn(() => childNo(0, tx));
  console.log(rx.recv());`,
      expect: ['16'],
    },
    {
      test: 'test_try_panic_message_string_literal (the payload is the message)',
      body: `  try { spawn(() => { throw new Error("static string"); }).join(); console.log("Ok"); }
  catch (e) { const p = (e as ThreadPanic).payload; console.log(typeof p, p); }`,
      expect: ['string static string'],
      panics: 1,
    },
    {
      test: 'test_try_panic_any_message_owned_str',
      body: `  try { spawn(() => { throw "owned string"; }).join(); console.log("Ok"); }
  catch (e) { const p = (e as ThreadPanic).payload; console.log(e instanceof ThreadPanic, typeof p, p); }`,
      expect: ['true string owned string'],
      panics: 1,
    },
    {
      test: 'test_try_panic_any_message_any',
      body: `  try { spawn(() => { throw 413; }).join(); console.log("Ok"); }
  catch (e) { const p = (e as ThreadPanic).payload; console.log(typeof p, p); }
  try { spawn(() => { throw { code: 413 }; }).join(); console.log("Ok"); }
  catch (e) { console.log(JSON.stringify((e as ThreadPanic).payload)); }`,
      expect: ['number 413', '{"code":413}'],
      panics: 2,
    },
    {
      test: 'test_park_timeout_unpark_called_other_thread',
      body: `  for (let i = 0; i < 3; i++) {
    const th = current();
    spawn(() => { sleep(5); th.unpark(); });
    parkTimeout(2 ** 32 - 1);
  }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'scope_join_race',
      body: `  for (let n = 0; n < 10; n++) {
    const aBool = new AtomicBool(false);
    scope((s) => {
      for (let i = 0; i < 5; i++) s.spawn(() => aBool.load(Ordering.Relaxed));
      for (let i = 0; i < 5; i++) s.spawn(() => aBool.load(Ordering.Relaxed));
    });
  }
  console.log("ok");`,
      expect: ['ok'],
    },
  ],
});

ported('std tests/thread.rs', {
  imports: IMPORTS,
  cases: [
    {
      test: 'available_parallelism',
      body: `  const n = availableParallelism();
  console.log(Number.isInteger(n) && n >= 1);`,
      expect: ['true'],
    },
    {
      test: 'sleep_very_long (a thread asleep for u64::MAX seconds, never joined)',
      body: `  const finished = new Arc(new Mutex(false));
  const tFinished = finished.clone();
  spawn(() => {
    sleep(2 ** 64 * 1000);
    using g = tFinished.lock();
    g.value = true;
  });
  sleep(100);
  using g = finished.lock();
  console.log(g.value);`,
      expect: ['false'],
    },
  ],
});

const POISONED = `
function newPoisonedMutex<T>(value: T): Mutex<T> {
  const mutex = new Mutex(value);
  try {
    using _guard = mutex.lock();
    throw new Error("test panic to poison mutex");
  } catch {}
  assert(mutex.isPoisoned());
  return mutex;
}
function newPoisonedRwLock<T>(value: T): RwLock<T> {
  const lock = new RwLock(value);
  try {
    using _guard = lock.write();
    throw new Error("test panic to poison RwLock");
  } catch {}
  assert(lock.isPoisoned());
  return lock;
}
/** NonCopy(n) and NonCopyNeedsDrop(n): plain data either way in weft. */
const nonCopy = (n: number) => ({ nonCopy: n });
const needsDrop = (n: number) => ({ needsDrop: n, name: "x" + n });
`;

ported('std sync/mutex.rs (get_cloned, set, replace, and dropping what they replace)', {
  imports: IMPORTS,
  helpers: CANARY + POISONED,
  cases: [
    {
      test: 'test_get_cloned',
      body: `  const m = new Mutex({ cloneable: 10 });
  const c = m.getCloned();
  c.cloneable = 11; // a copy of its own
  console.log(JSON.stringify(c), m.lock().value.cloneable);`,
      expect: ['{"cloneable":11} 10'],
    },
    {
      test: 'test_set',
      body: `  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const m = new Mutex(init);
    { using g = m.lock(); assertEq(g.value, init); }
    m.set(value);
    { using g = m.lock(); assertEq(g.value, value); }
  }
  const n = new Mutex(1);
  n.set(2);
  console.log(n.intoInner());`,
      expect: ['2'],
    },
    {
      test: 'test_replace',
      body: `  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const m = new Mutex(init);
    assertEq(m.replace(value), init);
    { using g = m.lock(); assertEq(g.value, value); }
  }
  const n = new Mutex(1);
  console.log(n.replace(2), n.replace(3), n.intoInner());`,
      expect: ['1 2 3'],
    },
    {
      test: 'test_set_drop (a Sender is the canary: the replaced value is dropped, its channel closed)',
      body: `  const [tx, rx] = mpsc.channel<number>();
  const m = new Mutex({ foo: tx });
  console.log(state(rx));
  const [other, otherRx] = mpsc.channel<number>();
  m.set({ foo: other });
  console.log(state(rx), state(otherRx));`,
      expect: ['empty', 'disconnected empty'],
    },
    {
      test: 'test_into_inner_drop (the value taken out belongs to the caller, and is dropped with it)',
      body: `  const [tx, rx] = mpsc.channel<number>();
  const m = new Mutex({ foo: tx });
  const inner = m.intoInner();
  console.log(state(rx));
  drop(inner);
  console.log(state(rx));
  const [tx2, rx2] = mpsc.channel<number>();
  spawn(() => { const m2 = new Mutex({ foo: tx2 }); const kept = m2.intoInner(); }).join();
  console.log(state(rx2));`,
      expect: ['empty', 'disconnected', 'disconnected'],
    },
    {
      test: 'test_get_cloned_poison',
      body: `  const m = newPoisonedMutex({ cloneable: 10 });
  try { m.getCloned(); console.log("get of poisoned Mutex is Ok"); }
  catch (e) { console.log(e instanceof PoisonError, (e as PoisonError<undefined>).intoInner()); }`,
      expect: ['true undefined'],
    },
    {
      test: 'test_set_poison',
      body: `  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const m = newPoisonedMutex(init);
    try { m.set(value); console.log("set of poisoned Mutex is Ok"); }
    catch (e) {
      assertEq((e as PoisonError<unknown>).intoInner(), value);
      try { m.intoInner(); } catch (e2) { assertEq((e2 as PoisonError<unknown>).intoInner(), init); console.log("poisoned, unchanged"); }
    }
  }`,
      expect: ['poisoned, unchanged', 'poisoned, unchanged'],
    },
    {
      test: 'test_replace_poison',
      body: `  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const m = newPoisonedMutex(init);
    try { m.replace(value); console.log("replace of poisoned Mutex is Ok"); }
    catch (e) {
      assertEq((e as PoisonError<unknown>).intoInner(), value);
      try { m.intoInner(); } catch (e2) { assertEq((e2 as PoisonError<unknown>).intoInner(), init); console.log("poisoned, unchanged"); }
    }
  }`,
      expect: ['poisoned, unchanged', 'poisoned, unchanged'],
    },
  ],
});

ported('std sync/rwlock.rs (get_cloned, set, replace, and dropping what they replace)', {
  imports: IMPORTS,
  helpers: CANARY + POISONED,
  cases: [
    {
      test: 'test_get_cloned',
      body: `  const m = new RwLock({ cloneable: 10 });
  const c = m.getCloned();
  c.cloneable = 11; // a copy of its own, not a read guard's frozen value
  console.log(JSON.stringify(c), m.read().value.cloneable);`,
      expect: ['{"cloneable":11} 10'],
    },
    {
      test: 'test_set',
      body: `  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const m = new RwLock(init);
    { using g = m.read(); assertEq(g.value, init); }
    m.set(value);
    { using g = m.read(); assertEq(g.value, value); }
  }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_replace',
      body: `  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const m = new RwLock(init);
    { using g = m.read(); assertEq(g.value, init); }
    assertEq(m.replace(value), init);
    { using g = m.read(); assertEq(g.value, value); }
  }
  const n = new RwLock(1);
  console.log(n.replace(2), n.intoInner());`,
      expect: ['1 2'],
    },
    {
      test: 'test_into_inner_drop and set dropping the old value (a Sender as the canary)',
      body: `  const [tx, rx] = mpsc.channel<number>();
  const m = new RwLock({ foo: tx });
  const inner = m.intoInner();
  console.log(state(rx));
  drop(inner);
  console.log(state(rx));
  const [tx2, rx2] = mpsc.channel<number>();
  const n = new RwLock({ foo: tx2 });
  n.set({ foo: undefined as unknown as mpsc.Sender<number> });
  console.log(state(rx2));`,
      expect: ['empty', 'disconnected', 'disconnected'],
    },
    {
      test: 'test_get_cloned_poison, test_set_poison, test_replace_poison',
      body: `  const m = newPoisonedRwLock({ cloneable: 10 });
  try { m.getCloned(); console.log("Ok"); } catch (e) { console.log(e instanceof PoisonError, (e as PoisonError<undefined>).intoInner()); }
  for (const [init, value] of [[nonCopy(10), nonCopy(20)], [needsDrop(10), needsDrop(20)]]) {
    const s = newPoisonedRwLock(init);
    try { s.set(value); console.log("set Ok"); } catch (e) { assertEq((e as PoisonError<unknown>).intoInner(), value); }
    const r = newPoisonedRwLock(init);
    try { r.replace(value); console.log("replace Ok"); } catch (e) { assertEq((e as PoisonError<unknown>).intoInner(), value); }
    for (const l of [s, r]) try { l.intoInner(); } catch (e) { assertEq((e as PoisonError<unknown>).intoInner(), init); }
  }
  console.log("unchanged");`,
      expect: ['true undefined', 'unchanged'],
    },
  ],
});

ported('std sync/condvar.rs and the Condvar examples, written as upstream writes them (one Arc of a Mutex and a Condvar)', {
  imports: IMPORTS,
  cases: [
    {
      test: 'notify_all',
      body: `  const N = 4;
  const data = new Arc([new Mutex(0), new Condvar()] as const);
  const [tx, rx] = mpsc.channel<null>();
  for (let i = 0; i < N; i++) {
    const data2 = data.clone();
    const tx2 = tx.clone();
    spawn(() => {
      const [lock, cond] = data2;
      let cnt = lock.lock();
      cnt.value += 1;
      if (cnt.value === N) tx2.send(null);
      while (cnt.value !== 0) cnt = cond.wait(cnt);
      cnt.unlock();
      tx2.send(null);
    });
  }
  drop(tx);
  const [lock, cond] = data;
  rx.recv();
  const cnt = lock.lock();
  cnt.value = 0;
  cond.notifyAll();
  cnt.unlock();
  for (let i = 0; i < N; i++) rx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'Condvar (the example): wait in a loop until a spawned thread has started',
      body: `  const pair = new Arc([new Mutex(false), new Condvar()] as const);
  const pair2 = pair.clone();
  spawn(() => {
    const [lock, cvar] = pair2;
    using started = lock.lock();
    started.value = true;
    cvar.notifyOne();
  });
  const [lock, cvar] = pair;
  let started = lock.lock();
  while (!started.value) started = cvar.wait(started);
  console.log(started.value);
  started.unlock();`,
      expect: ['true'],
    },
    {
      test: 'Condvar::wait_timeout_while (the example): a notified thread stops waiting before its timeout',
      body: `  const pair = new Arc([new Mutex(true), new Condvar()] as const);
  const pair2 = pair.clone();
  spawn(() => {
    const [lock, cvar] = pair2;
    { using pending = lock.lock(); pending.value = false; }
    cvar.notifyOne();
  });
  const [lock, cvar] = pair;
  const result = cvar.waitTimeoutWhile(lock.lock(), 60_000, (pending) => pending);
  console.log(result.timedOut, result.guard.value);
  result.guard.unlock();`,
      expect: ['false false'],
    },
    {
      test: 'Condvar::wait_timeout (the example): loop until notified or timed out',
      body: `  const pair = new Arc([new Mutex(false), new Condvar()] as const);
  const pair2 = pair.clone();
  spawn(() => {
    const [lock, cvar] = pair2;
    { using started = lock.lock(); started.value = true; }
    cvar.notifyOne();
  });
  const [lock, cvar] = pair;
  let started = lock.lock();
  for (;;) {
    const result = cvar.waitTimeout(started, 10);
    started = result.guard;
    if (started.value) break;
  }
  console.log(started.value);
  started.unlock();`,
      expect: ['true'],
    },
  ],
});

ported('std sync/once_lock.rs and lazy_lock.rs (the tests not ported elsewhere)', {
  imports: IMPORTS,
  helpers: `
const XS = new OnceLock<number[]>();
/** static_sync_lazy_via_fn: a module-level OnceLock (one per thread in weft: each thread runs the module). */
function xs(): number[] {
  return XS.getOrInit(() => { const v: number[] = []; v.push(1); v.push(2); v.push(3); return v; });
}
`,
  cases: [
    {
      test: 'clone (Clone for OnceLock<T: Clone>: a new cell of its own)',
      body: `  const s = new OnceLock<string>();
  const c = s.clone();
  assert(c.get() === undefined);
  assert(s.set("hello").ok);
  const c2 = s.clone();
  console.log(c.get(), c2.get());
  assert(c2.set("other").ok === false);
  assert(c.set("mine").ok);
  console.log(s.get(), c.get());
  const fromThread = spawn(() => c2.get()).join();
  console.log(fromThread);`,
      expect: ['undefined hello', 'hello mine', 'hello'],
    },
    {
      test: 'partialeq_impl',
      body: `  console.log(OnceLock.from("value").eq(OnceLock.from("value")), OnceLock.from("foo").ne(OnceLock.from("bar")));
  console.log(new OnceLock<string>().eq(new OnceLock<string>()), new OnceLock<string>().ne(OnceLock.from("value")));
  console.log(OnceLock.from({ a: [1, 2] }).eq(OnceLock.from({ a: [1, 2] })), OnceLock.from({ a: [1, 2] }).eq(OnceLock.from({ a: [1, 3] })));`,
      expect: ['true true', 'true true', 'true false'],
    },
    {
      test: 'sync_once_cell_drop_empty, dropck',
      body: `  const x = new OnceLock<string>();
  drop(x);
  const cell = new OnceLock<string>();
  { const s = ""; assert(cell.set(s).ok); }
  console.log(JSON.stringify(cell.get()));`,
      expect: ['""'],
    },
    {
      test: 'static_sync_lazy_via_fn',
      body: `  assertEq(xs(), [1, 2, 3]);
  console.log(xs() === xs(), JSON.stringify(spawn(() => xs()).join()));`,
      expect: ['true [1,2,3]'],
    },
    {
      test: 'lazy_type_inference',
      body: `  const lazy = new LazyLock(() => undefined);
  console.log(lazy.force());`,
      expect: ['undefined'],
    },
  ],
});

ported('core tests/atomic.rs and the atomics examples (the tests not ported elsewhere)', {
  imports: IMPORTS,
  cases: [
    {
      test: 'bool_',
      body: `  const a = new AtomicBool(false);
  console.log(JSON.stringify(a.compareExchange(false, true, Ordering.SeqCst, Ordering.SeqCst)));
  console.log(JSON.stringify(a.compareExchange(false, true, Ordering.SeqCst, Ordering.SeqCst)));
  a.store(false, Ordering.SeqCst);
  console.log(JSON.stringify(a.compareExchange(false, true, Ordering.SeqCst, Ordering.SeqCst)));`,
      expect: ['{"ok":true,"value":false}', '{"ok":false,"value":true}', '{"ok":true,"value":false}'],
    },
    {
      test: 'bool_and, bool_nand',
      body: `  const a = new AtomicBool(true);
  console.log(a.fetchAnd(false, Ordering.SeqCst), a.load(Ordering.SeqCst));
  const b = new AtomicBool(false);
  const seen = [];
  seen.push(b.fetchNand(false, Ordering.SeqCst), b.load(Ordering.SeqCst));
  seen.push(b.fetchNand(false, Ordering.SeqCst), b.load(Ordering.SeqCst));
  seen.push(b.fetchNand(true, Ordering.SeqCst), b.load(Ordering.SeqCst));
  seen.push(b.fetchNand(true, Ordering.SeqCst), b.load(Ordering.SeqCst));
  console.log(seen.join(" "));`,
      expect: ['true false', 'false true true true true false false true'],
    },
    {
      test: 'static_init',
      body: `  const sFalse = new AtomicBool(false), sTrue = new AtomicBool(true), sInt = new AtomicIsize(0), sUint = new AtomicUsize(0);
  console.log(!sFalse.swap(true, Ordering.SeqCst), sTrue.swap(false, Ordering.SeqCst), sInt.fetchAdd(1, Ordering.SeqCst) === 0, sUint.fetchAdd(1, Ordering.SeqCst) === 0);`,
      expect: ['true true true true'],
    },
    {
      test: 'atomic_access_bool',
      body: `  const a = new AtomicBool(false);
  const seen = [a.getMut().value];
  a.store(true, Ordering.SeqCst); seen.push(a.getMut().value);
  a.fetchOr(false, Ordering.SeqCst); seen.push(a.getMut().value);
  a.fetchAnd(false, Ordering.SeqCst); seen.push(a.getMut().value);
  a.fetchNand(true, Ordering.SeqCst); seen.push(a.getMut().value);
  a.fetchXor(true, Ordering.SeqCst); seen.push(a.getMut().value);
  console.log(seen.join(" "));`,
      expect: ['false true true false true false'],
    },
    {
      test: 'AtomicUsize::get_mut (the example)',
      body: `  const someVar = new AtomicUsize(10);
  const m = someVar.getMut();
  console.log(m.value);
  m.value = 5;
  console.log(someVar.load(Ordering.SeqCst));`,
      expect: ['10', '5'],
    },
    {
      test: 'atomic_compare_exchange (every ordering pair Rust accepts)',
      body: `  const { Relaxed, Acquire, Release, AcqRel, SeqCst } = Ordering;
  const a = new AtomicIsize(0);
  const pairs = [[Relaxed, Relaxed], [Acquire, Relaxed], [Release, Relaxed], [AcqRel, Relaxed], [SeqCst, Relaxed], [Acquire, Acquire], [AcqRel, Acquire], [SeqCst, Acquire], [SeqCst, SeqCst]] as const;
  let n = 0;
  for (const [s, f] of pairs) { a.compareExchange(0, 1, s, f); a.compareExchangeWeak(0, 1, s, f); n += 2; }
  let refused = "";
  try { a.compareExchange(1, 2, SeqCst, Release); } catch (e) { refused = (e as Error).message; }
  console.log(n, a.load(), refused);`,
      expect: ['18 1 there is no such thing as a release failure ordering'],
    },
    {
      test: 'AtomicUsize::update and try_update (the examples; Rust 1.95)',
      body: `  const x = new AtomicUsize(7);
  console.log(x.update(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1), x.update(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1), x.load(Ordering.SeqCst));
  const y = new AtomicUsize(7);
  console.log(JSON.stringify([y.tryUpdate(Ordering.SeqCst, Ordering.SeqCst, () => undefined), y.tryUpdate(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1), y.tryUpdate(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1)]), y.load());
  const b = new AtomicBool(false);
  console.log(b.update(Ordering.SeqCst, Ordering.SeqCst, (v) => !v), b.load());
  let refused = "";
  try { x.update(Ordering.SeqCst, Ordering.SeqCst, () => undefined as unknown as number); } catch (e) { refused = (e as Error).name; }
  console.log(refused, x.load());`,
      expect: ['7 8 9', '[{"ok":false,"value":7},{"ok":true,"value":7},{"ok":true,"value":8}] 9', 'false true', 'TypeError 9'],
    },
    {
      test: 'fetch_update, compare_exchange_weak (the examples), update racing in threads',
      body: `  const x = new AtomicI32(7);
  console.log(JSON.stringify([x.fetchUpdate(Ordering.SeqCst, Ordering.SeqCst, () => undefined), x.fetchUpdate(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1), x.fetchUpdate(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1)]), x.load());
  const val = new AtomicI32(4);
  let old = val.load(Ordering.Relaxed);
  for (;;) {
    const r = val.compareExchangeWeak(old, old * 2, Ordering.SeqCst, Ordering.Relaxed);
    if (r.ok) break;
    old = r.value;
  }
  console.log(val.load());
  const counter = new Arc(new AtomicUsize(0));
  const hs = [];
  for (let t = 0; t < 4; t++) { const c = counter.clone(); hs.push(spawn(() => { for (let i = 0; i < 50; i++) c.update(Ordering.SeqCst, Ordering.SeqCst, (v) => v + 1); })); }
  for (const h of hs) h.join();
  console.log(counter.load());`,
      expect: ['[{"ok":false,"value":7},{"ok":true,"value":7},{"ok":true,"value":8}] 9', '8', '200'],
    },
  ],
});

ported('alloc sync tests.rs: Arc (the tests not ported elsewhere)', {
  imports: IMPORTS,
  helpers: CANARY,
  cases: [
    {
      test: 'manually_share_arc',
      body: `  const arcV = new Arc([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const [tx, rx] = mpsc.channel<Arc<number[]>>();
  const t = spawn(() => { const v = rx.recv(); assertEq(v[3], 4); return v[3]; });
  tx.send(arcV.clone());
  console.log(arcV[2], arcV[4], t.join());`,
      expect: ['3 5 4'],
    },
    {
      test: 'try_unwrap and into_inner with a Weak alive',
      body: `  const x = new Arc(5);
  const w = Arc.downgrade(x);
  const r = Arc.tryUnwrap(x);
  console.log(r.ok, r.value, w.upgrade());
  const y = new Arc(5);
  const w2 = Arc.downgrade(y);
  console.log(Arc.intoInner(y), w2.upgrade());`,
      expect: ['true 5 undefined', '5 undefined'],
    },
    {
      test: 'weak_self_cyclic (the temporary clone dropped by hand, as Rust drops it at the end of the statement)',
      body: `  const a = new Arc({ x: new Mutex<Weak<unknown> | undefined>(undefined) });
  const tmp = a.clone();
  const b = Arc.downgrade(tmp);
  drop(tmp);
  { using g = a.x.lock(); g.value = b; }
  console.log(Arc.strongCount(a), Arc.weakCount(a));
  const w = Arc.downgrade(a);
  drop(a);
  console.log(w.upgrade());`,
      expect: ['1 1', 'undefined'],
    },
    {
      test: 'drop_arc (a Sender is the canary)',
      body: `  const [tx, rx] = mpsc.channel<number>();
  const x = new Arc({ canary: tx });
  console.log(state(rx));
  drop(x);
  console.log(state(rx));`,
      expect: ['empty', 'disconnected'],
    },
    {
      test: 'test_arc_cyclic_with_zero_refs',
      body: `  const zeroRefs = Arc.newCyclic<{ inner: Weak<unknown> }>((inner) => {
    assertEq(inner.strongCount(), 0);
    assert(inner.upgrade() === undefined);
    return { inner: new Weak() };
  });
  console.log(Arc.strongCount(zeroRefs), Arc.weakCount(zeroRefs), zeroRefs.inner.strongCount(), zeroRefs.inner.weakCount());`,
      expect: ['1 0 0 0'],
    },
    {
      test: 'test_arc_new_cyclic_one_ref',
      body: `  type OneRef = { inner: Weak<OneRef> };
  const oneRef = Arc.newCyclic<OneRef>((inner) => {
    assertEq(inner.strongCount(), 0);
    assert(inner.upgrade() === undefined);
    return { inner: inner.clone() };
  });
  console.log(Arc.strongCount(oneRef), Arc.weakCount(oneRef));
  const oneRef2 = oneRef.inner.upgrade()!;
  console.log(Arc.ptrEq(oneRef, oneRef2), Arc.strongCount(oneRef), Arc.weakCount(oneRef));`,
      expect: ['1 1', 'true 2 1'],
    },
    {
      test: 'test_arc_cyclic_two_refs, and the cycle seen from another thread',
      body: `  type TwoRefs = { inner1: Weak<TwoRefs>; inner2: Weak<TwoRefs>; n: number };
  const twoRefs = Arc.newCyclic<TwoRefs>((inner) => {
    assertEq(inner.strongCount(), 0);
    assert(inner.upgrade() === undefined);
    const inner1 = inner.clone();
    const inner2 = inner1.clone();
    return { inner1, inner2, n: 7 };
  });
  console.log(Arc.strongCount(twoRefs), Arc.weakCount(twoRefs));
  const twoRefs1 = twoRefs.inner1.upgrade()!;
  const twoRefs2 = twoRefs.inner2.upgrade()!;
  console.log(Arc.ptrEq(twoRefs, twoRefs1), Arc.ptrEq(twoRefs, twoRefs2), Arc.strongCount(twoRefs), Arc.weakCount(twoRefs));
  const mine = twoRefs.clone();
  console.log(spawn(() => mine.inner1.upgrade()!.n).join());`,
      expect: ['1 2', 'true true 3 2', '7'],
    },
    {
      test: 'the Weak that new_cyclic lends is only for its function',
      body: `  let kept: Weak<number> | undefined;
  const a = Arc.newCyclic<number>((me) => { kept = me; return 1; });
  try { kept!.upgrade(); console.log("used"); } catch (e) { console.log((e as Error).name); }
  try { Arc.newCyclic<number>(() => { throw new Error("no value"); }); } catch (e) { console.log((e as Error).message); }
  console.log(Arc.strongCount(a));`,
      expect: ['MovedValueError', 'no value', '1'],
    },
    {
      test: 'test_from_owned, test_from_str, test_from_vec, test_unsized',
      body: `  const fooArc = Arc.from(123);
  const r = Arc.from("foo");
  const v = Arc.from([1, 2, 3]);
  console.log(Arc.get(fooArc) === 123, Arc.get(r), JSON.stringify(Arc.get(v)));
  const x = new Arc([1, 2, 3]);
  const tmp = x.clone();
  const y = Arc.downgrade(tmp);
  drop(tmp);
  drop(x);
  console.log(y.upgrade());`,
      expect: ['true foo [1,2,3]', 'undefined'],
    },
  ],
});

ported('std documented examples: thread, Builder, park, Mutex, RwLock, Barrier, Once, OnceLock, LazyLock, Arc, mpsc', {
  imports: IMPORTS,
  cases: [
    {
      test: 'thread::spawn: a channel, and join returning the value',
      body: `  const [tx, rx] = mpsc.channel<number>();
  const sender = spawn(() => { tx.send(42); });
  const receiver = spawn(() => rx.recv());
  sender.join();
  const computation = spawn(() => 42);
  console.log(receiver.join(), computation.join());`,
      expect: ['42 42'],
    },
    {
      test: 'thread::scope, the weft way: the borrowed vector read by two threads, the sum returned by one',
      body: `  const a = [1, 2, 3];
  let x = 0;
  scope((s) => {
    s.spawn(() => { assertEq(a, [1, 2, 3]); });
    const h = s.spawn(() => a[0]! + a[2]!);
    x += h.join();
  });
  a.push(4);
  console.log(x, a.length);`,
      expect: ['4 4'],
    },
    {
      test: 'thread::Builder: name and stack_size',
      body: `  const b = new Builder().name("foo").stackSize(32 * 1024);
  const handler = b.spawn(() => current().name());
  console.log(handler.join(), builder().name("bar").spawn(() => 1).join());`,
      expect: ['foo 1'],
    },
    {
      test: 'thread::park: a flag, parked until it is set (spurious wakeups looped over)',
      body: `  const flag = new Arc(new AtomicBool(false));
  const flag2 = flag.clone();
  const parkedThread = spawn(() => {
    while (!flag2.load(Ordering.Acquire)) park();
    return "Thread unparked";
  });
  sleep(10);
  flag.store(true, Ordering.Release);
  parkedThread.thread().unpark();
  console.log(parkedThread.join());`,
      expect: ['Thread unparked'],
    },
    {
      test: 'thread::park_timeout: wait until a deadline, parking for what is left',
      body: `  const timeout = 20;
  const begin = Date.now();
  let elapsed = 0;
  while ((elapsed = Date.now() - begin) < timeout) parkTimeout(timeout - elapsed);
  console.log(Date.now() - begin >= timeout);`,
      expect: ['true'],
    },
    {
      test: 'Mutex: ten threads count to ten and tell main through a channel',
      body: `  const N = 10;
  const data = new Arc(new Mutex(0));
  const [tx, rx] = mpsc.channel<null>();
  for (let i = 0; i < N; i++) {
    const data2 = data.clone(), tx2 = tx.clone();
    spawn(() => {
      using d = data2.lock();
      d.value += 1;
      if (d.value === N) tx2.send(null);
    });
  }
  rx.recv();
  console.log(data.lock().value);`,
      expect: ['10'],
    },
    {
      test: 'Mutex: recovering from a poisoned mutex',
      body: `  const lock = new Arc(new Mutex(0));
  const lock2 = lock.clone();
  try { spawn(() => { using _g = lock2.lock(); throw new Error("poisoned"); }).join(); } catch {}
  let guard;
  try { guard = lock.lock(); } catch (e) { guard = (e as PoisonError<ReturnType<typeof lock.lock>>).intoInner(); }
  guard.value += 1;
  console.log(guard.value, lock.isPoisoned());
  guard.unlock();
  lock.clearPoison();
  console.log(lock.isPoisoned(), lock.getCloned());`,
      expect: ['1 true', 'false 1'],
      panics: 1,
    },
    {
      test: 'RwLock: many readers at once, or one writer',
      body: `  const lock = new RwLock(5);
  {
    using r1 = lock.read();
    using r2 = lock.read();
    console.log(r1.value, r2.value);
  }
  {
    using w = lock.write();
    w.value += 1;
    console.log(w.value);
  }`,
      expect: ['5 5', '6'],
    },
    {
      test: 'Barrier: ten threads, one leader',
      body: `  const n = 10;
  const barrier = new Arc(new Barrier(n));
  const handles = [];
  for (let i = 0; i < n; i++) {
    const c = barrier.clone();
    handles.push(spawn(() => c.wait().isLeader()));
  }
  console.log(handles.map((h) => h.join()).filter((leader) => leader).length);`,
      expect: ['1'],
    },
    {
      test: 'Once: call_once from several threads runs the initializer once',
      body: `  const INIT = new Arc(new Once());
  const VAL = new Arc(new AtomicUsize(0));
  const hs = [];
  for (let i = 0; i < 4; i++) {
    const init = INIT.clone(), val = VAL.clone();
    hs.push(spawn(() => { init.callOnce(() => { val.fetchAdd(1); }); return val.load(); }));
  }
  console.log(hs.map((h) => h.join()).join(" "), INIT.isCompleted());`,
      expect: ['1 1 1 1 true'],
    },
    {
      test: 'OnceLock: set from a thread, then read by main; get_or_init',
      body: `  const CELL = new Arc(new OnceLock<number>());
  console.log(CELL.get());
  const cell = CELL.clone();
  const v = spawn(() => cell.getOrInit(() => 12345)).join();
  console.log(v, CELL.get(), JSON.stringify(CELL.set(1)));`,
      expect: ['undefined', '12345 12345 {"ok":false,"value":1}'],
    },
    {
      test: 'LazyLock: a map built on first use, by whichever thread asks first',
      body: `  const HASHMAP = new Arc(new LazyLock(() => new Map([[0, "foo"], [1, "bar"], [2, "baz"]])));
  const h = HASHMAP.clone();
  console.log(spawn(() => h.force().get(0)).join(), HASHMAP.force().get(1), HASHMAP.force().size);`,
      expect: ['foo bar 3'],
    },
    {
      test: 'Arc: ten threads share one AtomicUsize',
      body: `  const val = new Arc(new AtomicUsize(5));
  const hs = [];
  for (let i = 0; i < 10; i++) {
    const v = val.clone();
    hs.push(spawn(() => { v.fetchAdd(1, Ordering.Relaxed); }));
  }
  for (const h of hs) h.join();
  console.log(val.load(Ordering.Relaxed), Arc.strongCount(val));`,
      expect: ['15 1'],
    },
    {
      test: 'mpsc: iter stops when every Sender is gone; try_iter takes what is there',
      body: `  const [tx, rx] = mpsc.channel<number>();
  spawn(() => { tx.send(1); tx.send(2); tx.send(3); });
  console.log([...rx.iter()].join(","));
  const [tx2, rx2] = mpsc.channel<number>();
  const [doneTx, doneRx] = mpsc.channel<null>();
  spawn(() => { tx2.send(1); tx2.send(2); doneTx.send(null); });
  doneRx.recv();
  console.log([...rx2.tryIter()].join(","), [...rx2.tryIter()].length);`,
      expect: ['1,2,3', '1,2 0'],
    },
    {
      test: 'mpsc: recv_timeout, and the errors of send, recv and try_recv',
      body: `  const [tx, rx] = mpsc.channel<number>();
  try { rx.recvTimeout(10); } catch (e) { console.log((e as Error).name, (e as { kind: string }).kind); }
  tx.send(1);
  console.log(rx.recvTimeout(10));
  drop(tx);
  try { rx.recvTimeout(10); } catch (e) { console.log((e as Error).name, (e as { kind: string }).kind); }
  try { rx.recv(); } catch (e) { console.log((e as Error).name); }
  const [tx2, rx2] = mpsc.channel<number>();
  drop(rx2);
  try { tx2.send(7); } catch (e) { console.log((e as Error).name, (e as { value: number }).value); }`,
      expect: ['RecvTimeoutError timeout', '1', 'RecvTimeoutError disconnected', 'RecvError', 'SendError 7'],
    },
    {
      test: 'mpsc::sync_channel(0): a rendezvous; try_send full and disconnected',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  const t = spawn(() => { tx.send(53); });
  console.log(rx.recv());
  t.join();
  const [stx, srx] = mpsc.syncChannel<number>(1);
  stx.send(1);
  try { stx.trySend(2); } catch (e) { console.log((e as { kind: string }).kind, (e as { value: number }).value); }
  drop(srx);
  try { stx.trySend(3); } catch (e) { console.log((e as { kind: string }).kind, (e as { value: number }).value); }`,
      expect: ['53', 'full 2', 'disconnected 3'],
    },
  ],
});

describe('std thread::scope, as Rust writes it: a scoped thread that changes what it borrows', () => {
  it('is refused at compile time, naming the variable and the line, where weft would lose the change', async () => {
    const run = await runProgram(`${IMPORTS}
function main() {
  const a = [1, 2, 3];
  let x = 0;
  scope((s) => {
    s.spawn(() => { console.log(a.length); });
    s.spawn(() => {
      x += a[0]! + a[2]!;
    });
  });
  a.push(4);
  console.log(x, a.length);
}
`);
    expect(run.outcome.status).not.toBe('ok');
    expect(run.lines).toEqual([]);
    const [error] = run.errors;
    expect(error?.message).toMatch(/^`x` is changed inside a scoped thread: in Rust a scoped thread borrows it/);
    expect(error?.location?.line).toBe(9);
  });

  it('a plain spawn changing its own copy is still allowed (Rust: a move closure), and so is a scoped thread changing its own locals', async () => {
    const run = await runProgram(`${IMPORTS}
function main() {
  let x = 0;
  const h = spawn(() => { x += 1; return x; });
  const r = scope((s) => s.spawn(() => { let sum = 0; for (const v of [1, 2]) sum += v; return sum; }).join());
  console.log(h.join(), x, r);
}
`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['1 0 3']);
  });

  it('Builder.spawnScoped and a scoped thread spawning into the same scope are checked too', async () => {
    const named = await runProgram(`${IMPORTS}
function main() {
  const totals = { n: 0 };
  scope((s) => {
    builder().name("adder").spawnScoped(s, () => { totals.n = 5; });
  });
  console.log(totals.n);
}
`);
    expect(named.outcome.status).not.toBe('ok');
    expect(named.errors[0]?.message).toMatch(/^`totals`'s content is changed inside a scoped thread/);
    const nested = await runProgram(`${IMPORTS}
function main() {
  let count = 0;
  scope((s) => {
    s.spawn(() => { s.spawn(() => { count++; }); });
  });
  console.log(count);
}
`);
    expect(nested.outcome.status).not.toBe('ok');
    expect(nested.errors[0]?.message).toMatch(/^`count` is changed inside a scoped thread/);
    expect(nested.errors[0]?.location?.line).toBe(6);
  });

  it("weft/par's scope refuses the same (rayon's scoped spawns borrow too)", async () => {
    const run = await runProgram(`import { scope } from "weft/par";
function main() {
  const v: number[] = [];
  scope((s) => {
    s.spawn(() => { v.push(1); });
  });
  console.log(v.length);
}
`);
    expect(run.outcome.status).not.toBe('ok');
    expect(run.errors[0]?.message).toMatch(/^`v` \(by `\.push\(\)`\) is changed inside a scoped thread/);
  });
});
