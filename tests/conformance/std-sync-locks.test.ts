/**
 * Rust's own tests of std::sync's locks (library/std/tests/sync/mutex.rs,
 * rwlock.rs, condvar.rs, barrier.rs, once.rs, once_lock.rs), ported to weft.
 * Counts of threads and iterations are smaller than upstream's, and sleeps
 * shorter, to keep the suite quick; the behaviour asserted is upstream's.
 * A Rust `static` becomes an `Arc` made in the case, since weft runs
 * top-level statements once per thread; `catch_unwind` becomes try/catch;
 * a `Drop` that runs during unwinding becomes a `finally`.
 */
import { ported } from './support/ported.ts';

const IMPORTS = `import { spawn, scope, sleep, yieldNow } from "weft/thread";
import { Arc, Mutex, RwLock, Condvar, Barrier, Once, OnceLock, AtomicBool, AtomicI32, mpsc, drop, PoisonError, TryRecvError } from "weft/sync";`;

ported('std sync/mutex.rs', {
  imports: IMPORTS,
  cases: [
    {
      test: 'smoke',
      body: `  const m = new Mutex(null);
  drop(m.lock());
  drop(m.lock());
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'lots_and_lots',
      body: `  const J = 100, K = 3;
  const m = new Arc(new Mutex(0));
  const [tx, rx] = mpsc.channel<null>();
  for (let k = 0; k < 2 * K; k++) {
    const tx2 = tx.clone();
    const m2 = m.clone();
    spawn(() => {
      for (let j = 0; j < J; j++) { using g = m2.lock(); g.value += 1; }
      tx2.send(null);
    });
  }
  drop(tx);
  for (let k = 0; k < 2 * K; k++) rx.recv();
  using g = m.lock();
  console.log(g.value);`,
      expect: ['600'],
    },
    {
      test: 'try_lock',
      body: `  const m = new Mutex(0);
  const g = m.tryLock();
  assert(g !== undefined, "try_lock on a free Mutex");
  g!.value = 1;
  g!.unlock();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_into_inner',
      body: `  const m = new Mutex({ n: 10 });
  console.log(JSON.stringify(m.intoInner()));
  try { m.lock(); } catch (e) { console.log((e as Error).name); }`,
      expect: ['{"n":10}', 'MovedValueError'],
    },
    {
      test: 'test_get_mut',
      body: `  const m = new Mutex({ n: 10 });
  const g = m.getMut();
  g.value = { n: 20 };
  g.unlock();
  console.log(JSON.stringify(m.intoInner()));`,
      expect: ['{"n":20}'],
    },
    {
      test: 'test_mutex_arc_nested',
      body: `  const arc = new Arc(new Mutex(1));
  const arc2 = new Arc(new Mutex(arc));
  const [tx, rx] = mpsc.channel<null>();
  spawn(() => {
    using lock = arc2.lock();
    using lock2 = lock.value.lock();
    assertEq(lock2.value, 1);
    tx.send(null);
  });
  rx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_mutex_unsized',
      body: `  const mutex = new Mutex([1, 2, 3]);
  {
    using b = mutex.lock();
    b.value[0] = 4;
    b.value[2] = 5;
  }
  using g = mutex.lock();
  console.log(JSON.stringify(g.value));`,
      expect: ['[4,2,5]'],
    },
    {
      test: 'test_panics',
      body: `  const mutex = new Mutex(42);
  for (const what of ["once", "twice", "thrice"]) {
    let failed = false;
    try {
      using _guard = mutex.lock();
      throw new Error("test panic with mutex " + what);
    } catch {
      failed = true;
    }
    console.log(what, failed);
  }`,
      expect: ['once true', 'twice true', 'thrice true'],
    },
    {
      test: 'test_mutex_arc_access_in_unwind',
      body: `  const arc = new Arc(new Mutex(1));
  const arc2 = arc.clone();
  try {
    spawn(() => {
      try {
        throw new Error("unwinding");
      } finally {
        // The Unwinder's Drop: runs while the panic unwinds.
        using g = arc2.lock();
        g.value += 1;
      }
    }).join();
  } catch {}
  using lock = arc.lock();
  console.log(lock.value);`,
      expect: ['2'],
      panics: 1,
    },
    {
      test: 'test_into_inner_poison (poisoned by catch_unwind, as upstream)',
      body: `  const m = new Mutex({ n: 10 });
  try {
    using _g = m.lock();
    throw new Error("test panic to poison mutex");
  } catch {}
  console.log("poisoned", m.isPoisoned());
  try {
    m.intoInner();
    console.log("into_inner of poisoned Mutex is Ok");
  } catch (e) {
    console.log(e instanceof PoisonError, JSON.stringify((e as PoisonError<unknown>).intoInner()));
  }`,
      expect: ['poisoned true', 'true {"n":10}'],
    },
    {
      test: 'test_get_mut_poison (poisoned by a thread that panicked holding the lock)',
      body: `  const m = new Arc(new Mutex({ n: 10 }));
  const m2 = m.clone();
  try { spawn(() => { const _g = m2.lock(); throw new Error("poison"); }).join(); } catch {}
  try {
    m.getMut();
    console.log("get_mut of poisoned Mutex is Ok");
  } catch (e) {
    const g = (e as PoisonError<{ value: unknown; unlock(): void }>).intoInner();
    console.log(e instanceof PoisonError, JSON.stringify(g.value));
    g.unlock();
  }`,
      expect: ['true {"n":10}'],
      panics: 1,
    },
    {
      test: 'test_mutex_arc_poison',
      body: `  const arc = new Arc(new Mutex(1));
  assert(!arc.isPoisoned());
  const arc2 = arc.clone();
  try {
    spawn(() => {
      const lock = arc2.lock();
      assertEq(lock.value, 2); // deliberate assertion failure to poison the mutex
    }).join();
  } catch {}
  let err = false;
  try { arc.lock(); } catch (e) { err = e instanceof PoisonError; }
  console.log(err, arc.isPoisoned());`,
      expect: ['true true'],
      panics: 1,
    },
    {
      test: 'test_mutex_arc_poison (the guard held by using, as the chapters write it)',
      body: `  const arc = new Arc(new Mutex(1));
  const arc2 = arc.clone();
  try {
    spawn(() => {
      using lock = arc2.lock();
      assertEq(lock.value, 2);
    }).join();
  } catch {}
  let err = false;
  try { arc.lock(); } catch (e) { err = e instanceof PoisonError; }
  console.log(err, arc.isPoisoned());`,
      expect: ['true true'],
      panics: 1,
    },
  ],
});

ported('std sync/rwlock.rs', {
  imports: IMPORTS,
  helpers: `/** A tiny xorshift generator: each thread's own, like upstream's test_rng. */
function rng(seed: number): () => number {
  let s = seed | 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return (s >>> 0) / 4294967296; };
}`,
  cases: [
    {
      test: 'smoke',
      body: `  const l = new RwLock(null);
  drop(l.read());
  drop(l.write());
  const a = l.read(), b = l.read();
  drop(a); drop(b);
  drop(l.write());
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'frob',
      body: `  const N = 4, M = 50;
  const r = new Arc(new RwLock(null));
  const [tx, rx] = mpsc.channel<null>();
  for (let i = 0; i < N; i++) {
    const tx2 = tx.clone();
    const r2 = r.clone();
    spawn(() => {
      const random = rng(i + 1);
      for (let j = 0; j < M; j++) {
        if (random() < 1 / N) drop(r2.write());
        else drop(r2.read());
      }
      drop(tx2);
    });
  }
  drop(tx);
  try { rx.recv(); } catch {}
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_rw_arc',
      body: `  const arc = new Arc(new RwLock(0));
  const arc2 = arc.clone();
  const [tx, rx] = mpsc.channel<null>();
  spawn(() => {
    const lock = arc2.write();
    for (let i = 0; i < 10; i++) {
      const tmp = lock.value;
      lock.value = -1;
      yieldNow();
      lock.value = tmp + 1;
    }
    lock.unlock();
    tx.send(null);
  });
  // Readers try to catch the writer in the act.
  const children = [];
  for (let i = 0; i < 5; i++) {
    const arc3 = arc.clone();
    children.push(spawn(() => { using lock = arc3.read(); assert(lock.value >= 0); }));
  }
  for (const child of children) child.join();
  rx.recv();
  using lock = arc.read();
  console.log(lock.value);`,
      expect: ['10'],
    },
    {
      test: 'test_rw_arc_access_in_unwind',
      body: `  const arc = new Arc(new RwLock(1));
  const arc2 = arc.clone();
  try {
    spawn(() => {
      try { throw new Error("unwinding"); } finally { using lock = arc2.write(); lock.value += 1; }
    }).join();
  } catch {}
  using lock = arc.read();
  console.log(lock.value);`,
      expect: ['2'],
      panics: 1,
    },
    {
      test: 'test_rwlock_unsized',
      body: `  const rw = new RwLock([1, 2, 3]);
  {
    using b = rw.write();
    b.value[0] = 4;
    b.value[2] = 5;
  }
  using r = rw.read();
  console.log(JSON.stringify(r.value));`,
      expect: ['[4,2,5]'],
    },
    {
      test: 'test_into_inner',
      body: `  const m = new RwLock({ n: 10 });
  console.log(JSON.stringify(m.intoInner()));`,
      expect: ['{"n":10}'],
    },
    {
      test: 'test_get_mut',
      body: `  const m = new RwLock({ n: 10 });
  const g = m.getMut();
  g.value = { n: 20 };
  g.unlock();
  console.log(JSON.stringify(m.intoInner()));`,
      expect: ['{"n":20}'],
    },
    {
      test: 'test_downgrade_basic',
      body: `  const r = new RwLock(null);
  const writeGuard = r.write();
  const readGuard = writeGuard.downgrade();
  readGuard.unlock();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_downgrade_observe',
      body: `  const W = 4, N = 10;
  const rw = new Arc(new RwLock(0));
  const handles = [];
  for (let w = 0; w < W; w++) {
    const rw2 = rw.clone();
    handles.push(spawn(() => {
      for (let i = 0; i < N; i++) {
        const writeGuard = rw2.write();
        writeGuard.value += 1;
        const cur = writeGuard.value;
        // Downgraded: no writer can change the value before we read it.
        using readGuard = writeGuard.downgrade();
        assertEq(readGuard.value, cur);
      }
    }));
  }
  for (const h of handles) h.join();
  using r = rw.read();
  console.log(r.value);`,
      expect: ['40'],
    },
    {
      test: 'test_downgrade_atomic',
      body: `  const NEW_VALUE = -1;
  const W = 5;
  const rwlock = new Arc(new RwLock(0));
  const mainWriteGuard = rwlock.write();
  const handles = [];
  for (let w = 0; w < W; w++) {
    const rw2 = rwlock.clone();
    handles.push(spawn(() => { using evil = rw2.write(); evil.value += 1; }));
  }
  sleep(5); // let the evil writers go to sleep
  mainWriteGuard.value = NEW_VALUE;
  const mainReadGuard = mainWriteGuard.downgrade();
  assertEq(mainReadGuard.value, NEW_VALUE, "downgrade was not atomic");
  drop(mainReadGuard);
  for (const h of handles) h.join();
  using finalCheck = rwlock.read();
  console.log(finalCheck.value);`,
      expect: ['4'],
    },
    {
      test: 'poison_test_rwlock_try_write',
      body: `  const lock = new RwLock(0);
  const readGuard = lock.read();
  console.log("try_write while read:", lock.tryWrite() === undefined ? "WouldBlock" : "Ok");
  drop(readGuard);
  const w = lock.tryWrite();
  console.log("after:", w === undefined ? "WouldBlock" : "Ok");
  w?.unlock();`,
      expect: ['try_write while read: WouldBlock', 'after: Ok'],
    },
    {
      test: 'test_into_inner_poison (poisoned by catch_unwind, as upstream)',
      body: `  const m = new RwLock({ n: 10 });
  try {
    using _g = m.write();
    throw new Error("test panic to poison RwLock");
  } catch {}
  console.log("poisoned", m.isPoisoned());
  try {
    m.intoInner();
    console.log("into_inner of poisoned RwLock is Ok");
  } catch (e) {
    console.log(e instanceof PoisonError, JSON.stringify((e as PoisonError<unknown>).intoInner()));
  }`,
      expect: ['poisoned true', 'true {"n":10}'],
    },
    {
      test: 'test_get_mut_poison (poisoned by a thread that panicked holding the write lock)',
      body: `  const m = new Arc(new RwLock({ n: 10 }));
  const m2 = m.clone();
  try { spawn(() => { const _g = m2.write(); throw new Error("poison"); }).join(); } catch {}
  try {
    m.getMut();
    console.log("get_mut of poisoned RwLock is Ok");
  } catch (e) {
    const g = (e as PoisonError<{ value: unknown; unlock(): void }>).intoInner();
    console.log(e instanceof PoisonError, JSON.stringify(g.value));
    g.unlock();
  }`,
      expect: ['true {"n":10}'],
      panics: 1,
    },
    {
      test: 'test_rw_arc_poison_wr',
      body: `  const arc = new Arc(new RwLock(1));
  const arc2 = arc.clone();
  try { spawn(() => { const _lock = arc2.write(); throw new Error("panic"); }).join(); } catch {}
  try { arc.read(); console.log("read is Ok"); } catch (e) { console.log("read is Err", e instanceof PoisonError); }`,
      expect: ['read is Err true'],
      panics: 1,
    },
    {
      test: 'test_rw_arc_poison_ww',
      body: `  const arc = new Arc(new RwLock(1));
  assert(!arc.isPoisoned());
  const arc2 = arc.clone();
  try { spawn(() => { const _lock = arc2.write(); throw new Error("panic"); }).join(); } catch {}
  try { arc.write(); console.log("write is Ok"); } catch (e) { console.log("write is Err", e instanceof PoisonError); }
  console.log(arc.isPoisoned());`,
      expect: ['write is Err true', 'true'],
      panics: 1,
    },
    {
      test: 'test_rw_arc_no_poison_rr',
      body: `  const arc = new Arc(new RwLock(1));
  const arc2 = arc.clone();
  try { spawn(() => { const _lock = arc2.read(); throw new Error("panic"); }).join(); } catch {}
  using lock = arc.read();
  console.log(lock.value);`,
      expect: ['1'],
      panics: 1,
    },
    {
      test: 'test_rw_arc_no_poison_rw',
      body: `  const arc = new Arc(new RwLock(1));
  const arc2 = arc.clone();
  try { spawn(() => { const _lock = arc2.read(); throw new Error("panic"); }).join(); } catch {}
  using lock = arc.write();
  console.log(lock.value);`,
      expect: ['1'],
      panics: 1,
    },
  ],
});

ported('std sync/condvar.rs', {
  imports: IMPORTS,
  cases: [
    {
      test: 'smoke',
      body: `  const c = new Condvar();
  c.notifyOne();
  c.notifyAll();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'notify_one',
      body: `  const m = new Arc(new Mutex(null));
  const m2 = m.clone();
  const c = new Arc(new Condvar());
  const c2 = c.clone();
  const g = m.lock();
  spawn(() => {
    using _g = m2.lock();
    c2.notifyOne();
  });
  c.wait(g);
  g.unlock();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'notify_all',
      body: `  const N = 4;
  const lock = new Arc(new Mutex(0));
  const cond = new Arc(new Condvar());
  const [tx, rx] = mpsc.channel<null>();
  for (let i = 0; i < N; i++) {
    const lock2 = lock.clone(), cond2 = cond.clone(), tx2 = tx.clone();
    spawn(() => {
      const cnt = lock2.lock();
      cnt.value += 1;
      if (cnt.value === N) tx2.send(null);
      while (cnt.value !== 0) cond2.wait(cnt);
      cnt.unlock();
      tx2.send(null);
    });
  }
  drop(tx);
  rx.recv();
  {
    using cnt = lock.lock();
    cnt.value = 0;
    cond.notifyAll();
  }
  for (let i = 0; i < N; i++) rx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_mutex_arc_condvar',
      body: `  const lock = new Arc(new Mutex(false));
  const cvar = new Arc(new Condvar());
  const lock2 = lock.clone(), cvar2 = cvar.clone();
  const [tx, rx] = mpsc.channel<null>();
  spawn(() => {
    rx.recv(); // wait until the parent has taken the lock
    using guard = lock2.lock();
    guard.value = true;
    cvar2.notifyOne();
  });
  using guard = lock.lock();
  tx.send(null);
  assert(!guard.value);
  while (!guard.value) cvar.wait(guard);
  console.log(guard.value);`,
      expect: ['true'],
    },
    {
      test: 'wait_while',
      body: `  const lock = new Arc(new Mutex(false));
  const cvar = new Arc(new Condvar());
  const lock2 = lock.clone(), cvar2 = cvar.clone();
  spawn(() => {
    using started = lock2.lock();
    started.value = true;
    cvar2.notifyOne();
  });
  using guard = cvar.waitWhile(lock.lock(), (started) => !started);
  console.log(guard.value);`,
      expect: ['true'],
    },
    {
      test: 'wait_timeout_wait',
      body: `  const m = new Mutex(null);
  const c = new Condvar();
  for (;;) {
    const g = m.lock();
    const { timedOut } = c.waitTimeout(g, 1);
    g.unlock();
    if (!timedOut) continue; // a spurious wakeup: try again
    break;
  }
  console.log("timed out");`,
      expect: ['timed out'],
    },
    {
      test: 'wait_timeout_while_wait',
      body: `  const m = new Mutex(null);
  const c = new Condvar();
  const { guard, timedOut } = c.waitTimeoutWhile(m.lock(), 1, () => true);
  guard.unlock();
  console.log(timedOut);`,
      expect: ['true'],
    },
    {
      test: 'wait_timeout_while_instant_satisfy',
      body: `  const m = new Mutex(null);
  const c = new Condvar();
  const { guard, timedOut } = c.waitTimeoutWhile(m.lock(), 0, () => false);
  guard.unlock();
  console.log(timedOut);`,
      expect: ['false'],
    },
  ],
});

// Upstream waits with Duration::from_millis(u64::MAX); under a seed weft
// must treat such a timeout as forever (issue 10, item 8), so these cases
// get their own program: a hang stops only them.
ported('std sync/condvar.rs (a u64::MAX timeout)', {
  imports: IMPORTS,
  timeoutMs: 10_000,
  cases: [
    {
      test: 'wait_timeout_while_wake',
      body: `  const lock = new Arc(new Mutex(false));
  const cvar = new Arc(new Condvar());
  const lock2 = lock.clone(), cvar2 = cvar.clone();
  const g = lock.lock();
  spawn(() => {
    using started = lock2.lock();
    sleep(1);
    started.value = true;
    cvar2.notifyOne();
  });
  const { guard, timedOut } = cvar.waitTimeoutWhile(g, 2 ** 64, (notified) => !notified);
  console.log(timedOut, guard.value);
  guard.unlock();`,
      expect: ['false true'],
    },
    {
      test: 'wait_timeout_wake',
      body: `  const m = new Arc(new Mutex(null));
  const c = new Arc(new Condvar());
  for (;;) {
    const g = m.lock();
    const c2 = c.clone(), m2 = m.clone();
    const notified = new Arc(new AtomicBool(false));
    const notified2 = notified.clone();
    const t = spawn(() => {
      using _g = m2.lock();
      sleep(1);
      notified2.store(true);
      c2.notifyOne();
    });
    const { guard, timedOut } = c.waitTimeout(g, 2 ** 64);
    assert(!timedOut);
    guard.unlock();
    t.join();
    if (!notified.load()) continue; // a spurious wakeup
    break;
  }
  console.log("notified");`,
      expect: ['notified'],
    },
  ],
});

ported('std sync/barrier.rs', {
  imports: IMPORTS,
  cases: [
    {
      test: 'test_barrier',
      body: `  const N = 6;
  const barrier = new Arc(new Barrier(N));
  const [tx, rx] = mpsc.channel<boolean>();
  for (let i = 0; i < N - 1; i++) {
    const c = barrier.clone(), tx2 = tx.clone();
    spawn(() => { tx2.send(c.wait().isLeader()); });
  }
  // Every spawned thread is blocked at the barrier: nothing has been sent.
  try { rx.tryRecv(); console.log("got a value"); } catch (e) { console.log((e as TryRecvError).kind); }
  let leaders = barrier.wait().isLeader() ? 1 : 0;
  for (let i = 0; i < N - 1; i++) if (rx.recv()) leaders++;
  console.log("leaders", leaders);`,
      expect: ['empty', 'leaders 1'],
    },
  ],
});

ported('std sync/once.rs', {
  imports: IMPORTS,
  cases: [
    {
      test: 'smoke_once',
      body: `  const o = new Once();
  let a = 0;
  o.callOnce(() => { a += 1; });
  assertEq(a, 1);
  o.callOnce(() => { a += 1; });
  console.log(a);`,
      expect: ['1'],
    },
    {
      test: 'stampede_once',
      body: `  const o = new Arc(new Once());
  const run = new Arc(new AtomicBool(false));
  const [tx, rx] = mpsc.channel<null>();
  for (let i = 0; i < 6; i++) {
    const o2 = o.clone(), run2 = run.clone(), tx2 = tx.clone();
    spawn(() => {
      for (let j = 0; j < 4; j++) yieldNow();
      o2.callOnce(() => { assert(!run2.load()); run2.store(true); });
      assert(run2.load());
      tx2.send(null);
    });
  }
  o.callOnce(() => { assert(!run.load()); run.store(true); });
  assert(run.load());
  for (let i = 0; i < 6; i++) rx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'poison_bad',
      body: `  const o = new Once();
  try { o.callOnce(() => { throw new Error("panic"); }); console.log("no panic"); } catch { console.log("poisoned"); }
  try { o.callOnce(() => {}); console.log("no panic"); } catch { console.log("poison propagates"); }
  let called = false;
  o.callOnceForce((p) => { called = true; assert(p.isPoisoned()); });
  console.log("forced", called);
  o.callOnce(() => {});
  console.log("done", o.isCompleted());`,
      expect: ['poisoned', 'poison propagates', 'forced true', 'done true'],
    },
    {
      test: 'wait_for_force_to_finish',
      body: `  const o = new Arc(new Once());
  try { o.callOnce(() => { throw new Error("panic"); }); } catch {}
  const [tx1, rx1] = mpsc.channel<null>();
  const [tx2, rx2] = mpsc.channel<null>();
  const oa = o.clone();
  const t1 = spawn(() => {
    oa.callOnceForce((p) => { assert(p.isPoisoned()); tx1.send(null); rx2.recv(); });
  });
  rx1.recv();
  const ob = o.clone();
  const t2 = spawn(() => {
    let called = false;
    ob.callOnce(() => { called = true; });
    assert(!called);
  });
  tx2.send(null);
  t1.join();
  t2.join();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'wait',
      body: `  for (let round = 0; round < 5; round++) {
    const val = new AtomicBool(false);
    const once = new Once();
    scope((s) => {
      for (let i = 0; i < 4; i++) {
        s.spawn(() => {
          once.wait();
          assert(val.load());
        });
      }
      once.callOnce(() => val.store(true));
    });
  }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'wait_on_poisoned',
      body: `  const once = new Once();
  try { once.callOnce(() => { throw new Error("panic"); }); } catch { console.log("call_once panicked"); }
  try { once.wait(); console.log("wait returned"); } catch { console.log("wait panicked"); }`,
      expect: ['call_once panicked', 'wait panicked'],
    },
    {
      test: 'wait_force_on_poisoned',
      body: `  const once = new Once();
  scope((s) => {
    try { once.callOnce(() => { throw new Error("panic"); }); } catch {}
    s.spawn(() => {
      sleep(10);
      once.callOnceForce(() => {});
    });
    once.waitForce();
  });
  console.log(once.isCompleted());`,
      expect: ['true'],
    },
  ],
});

ported('std sync/once_lock.rs', {
  imports: IMPORTS,
  cases: [
    {
      test: 'sync_once_cell',
      body: `  const cell = new Arc(new OnceLock<number>());
  assert(cell.get() === undefined);
  const cell2 = cell.clone();
  spawn(() => {
    cell2.getOrInit(() => 92);
    assertEq(cell2.get(), 92);
  }).join();
  cell.getOrInit(() => { throw new Error("Kaboom!"); });
  console.log(cell.get());`,
      expect: ['92'],
    },
    {
      test: 'get_or_try_init (its panicking initializer)',
      body: `  const cell = new OnceLock<string>();
  assert(cell.get() === undefined);
  try { cell.getOrInit(() => { throw new Error("panic"); }); } catch { console.log("panicked"); }
  console.log(cell.get());
  console.log(cell.getOrInit(() => "hello"), cell.get());`,
      expect: ['panicked', 'undefined', 'hello hello'],
    },
    {
      test: 'eval_once_macro',
      body: `  const cell = new OnceLock<number[]>();
  const fib = cell.getOrInit(() => {
    const res = [1, 1];
    for (let i = 0; i < 10; i++) res.push(res[i]! + res[i + 1]!);
    return res;
  });
  console.log(fib[5]);`,
      expect: ['8'],
    },
    {
      test: 'clone (set, then read through another handle)',
      body: `  const s = new Arc(new OnceLock<string>());
  const c = s.clone();
  assert(c.get() === undefined);
  const r = s.set("hello");
  console.log(r.ok, c.get(), s.set("again").ok);`,
      expect: ['true hello false'],
    },
  ],
});

// Readers spin on OnceLock.get() until a writer sets it: under a seed a spin
// of non-blocking reads must still let the writers run (issue 10, item 8),
// so this case has its own program.
ported('std sync/once_lock.rs (readers spinning on get)', {
  imports: IMPORTS,
  timeoutMs: 10_000,
  cases: [
    {
      test: 'sync_once_cell_does_not_leak_partially_constructed_boxes',
      body: `  const cell = new Arc(new OnceLock<string>());
  const nReaders = 4, nWriters = 3;
  const MSG = "Hello, World";
  const [tx, rx] = mpsc.channel<string>();
  for (let i = 0; i < nReaders; i++) {
    const c = cell.clone(), tx2 = tx.clone();
    spawn(() => {
      for (;;) {
        const msg = c.get();
        if (msg !== undefined) { tx2.send(msg); break; }
      }
    });
  }
  for (let i = 0; i < nWriters; i++) {
    const c = cell.clone();
    spawn(() => { c.set(MSG); });
  }
  for (let i = 0; i < nReaders; i++) assertEq(rx.recv(), MSG);
  console.log("ok");`,
      expect: ['ok'],
    },
  ],
});
