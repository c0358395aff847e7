/**
 * Upstream tests and documented examples that a literal port got wrong
 * before: Rust's accessor spellings (`thread::current().id()`, a `ThreadId`
 * that prints `ThreadId(N)` and is a `Hash` key), the Display and Debug of an
 * `Arc` (its value, not a wrapper), and Tokio's broadcast handing each
 * Receiver its own clone of a message (`T: Clone`), a runtime that waits
 * for its spawn_blocking jobs as it shuts down, and task ids unique across
 * runtimes (none for a block_on future).
 */
import { describe, expect, it } from 'vitest';
import { ported } from './support/ported.ts';
import { runProgram } from '../unit/support/run-program.ts';
import { TOKIO_HELPERS } from './support/tokio-helpers.ts';

ported('std thread/tests.rs and the ThreadId / Thread::id / JoinHandle::thread examples', {
  imports: `import { spawn, current, builder } from "weft/thread";
import { mpsc } from "weft/sync";`,
  cases: [
    {
      test: 'ThreadId (the example): a spawned thread returns its id, which is not main\'s',
      body: `  const otherThread = spawn(() => current().id());
  const otherThreadId = otherThread.join();
  assert(current().id() !== otherThreadId);
  console.log(String(current().id()), String(otherThreadId) !== "ThreadId(1)");`,
      expect: ['ThreadId(1) true'],
    },
    {
      test: 'JoinHandle::thread (the example): the handle\'s thread has the id the thread sends',
      body: `  const [tx, rx] = mpsc.channel();
  const handle = builder().name("named").spawn(() => { tx.send(current().id()); });
  const thread = handle.thread();
  const sent = rx.recv();
  handle.join();
  assert(thread.id() === sent, "the same ThreadId, received from the thread");
  console.log(thread.name(), sent === thread.id());`,
      expect: ['named true'],
    },
    {
      test: 'ThreadId is Eq + Hash + Copy + Debug: a Set and a Map key, across threads',
      body: `  const ids = [0, 1, 2].map(() => spawn(() => [current().id(), current().id()]).join());
  const set = new Set(ids.flat());
  const names = new Map(ids.map(([id], i) => [id, "t" + i]));
  console.log(set.size, names.get(ids[1][1]), ids.every(([a, b]) => a === b), ids[0][0].asU64() > 1);
  console.log([current().id()]);`,
      expect: ['3 t1 true true', '[ThreadId(1)]'],
    },
  ],
});

ported('alloc sync/tests.rs (show_arc) and Arc\'s Display', {
  imports: `import { Arc } from "weft/sync";`,
  cases: [
    {
      test: 'show_arc: format!("{a:?}") of Arc::new(5) is "5"',
      body: `  const a = new Arc(5);
  assertEq(String(a), "5");
  console.log(a, \`\${a}\`);`,
      expect: ['5 5'],
    },
    {
      test: 'Display of an Arc<String> and Debug of a Vec<Arc<String>>',
      body: `  const s = new Arc("hello");
  console.log(s, [s, s.clone()], { inner: new Arc([1, 2]) });`,
      expect: ['hello ["hello", "hello"] { inner: [1, 2] }'],
    },
  ],
});

ported('std sync MutexGuard, RwLockReadGuard, RwLockWriteGuard: Display and Debug print the value (the impls)', {
  imports: `import { Mutex, RwLock } from "weft/sync";`,
  cases: [
    {
      test: 'format!("{:?}", m.lock().unwrap()) is the value\'s Debug; format!("{}", guard) its Display',
      body: `  const m = new Mutex(7);
  { using g = m.lock(); console.log(g, String(g)); }
  const r = new RwLock([1, 2]);
  { using g = r.read(); console.log(g, [g]); }
  { using w = r.write(); console.log(w, \`\${w}\`); }`,
      expect: ['7 7', '[1, 2] [[1, 2]]', '[1, 2] 1,2'],
    },
  ],
});

ported('std sync Mutex and RwLock: Debug (the impls: try_lock\'s view of the data, and the poison flag)', {
  imports: `import { Mutex, RwLock, Arc } from "weft/sync";
import { spawn } from "weft/thread";`,
  cases: [
    {
      test: 'format!("{:?}", m): data and poisoned; <locked> while a guard holds it',
      body: `  const m = new Mutex(7);
  console.log(m);
  { using g = m.lock(); console.log(m); }
  const r = new RwLock([1, 2]);
  { using g = r.read(); console.log(r); }
  { using w = r.write(); console.log(r); }`,
      expect: ['Mutex { data: 7, poisoned: false, .. }', 'Mutex { data: <locked>, poisoned: false, .. }', 'RwLock { data: [1, 2], poisoned: false, .. }', 'RwLock { data: <locked>, poisoned: false, .. }'],
    },
    {
      test: 'a poisoned Mutex shows its data and poisoned: true; an Arc of it prints the Mutex',
      body: `  const m = new Arc(new Mutex("hi"));
  const m2 = m.clone();
  try { spawn(() => { using g = m2.lock(); throw new Error("boom"); }).join(); } catch (e) { /* the thread's panic */ }
  console.log(m);`,
      expect: ['Mutex { data: "hi", poisoned: true, .. }'],
      panics: 1,
    },
  ],
});

ported('tokio tests/sync_broadcast.rs (T: Clone: every recv gives a clone)', {
  imports: `import { broadcast } from "weft/task";
import { Arc } from "weft/sync";`,
  async: true,
  helpers: `class Point {
  x: number;
  constructor(x: number) { this.x = x; }
  clone(): Point { return new Point(this.x); }
}
class Opaque { x = 1; }
class MyVal {
  v: number;
  constructor(v: number) { this.v = v; }
  clone(): MyVal { assert(this.v !== 0, "assert_ne!(0, self.0)"); return new MyVal(this.v); }
}`,
  cases: [
    {
      test: 'send_two_recv, with a Vec: changing one Receiver\'s message changes nothing for the other',
      body: `  const [tx, rx1] = broadcast.channel<number[]>(16);
  const rx2 = tx.subscribe();
  tx.send([1, 2]);
  const a = await rx1.recv();
  a.push(3);
  const b = await rx2.recv();
  console.log(a, b, a !== b);`,
      expect: ['[1, 2, 3] [1, 2] true'],
    },
    {
      test: 'a cloned Receiver, a user type with clone(), and an Arc: each clone made once per Receiver (strong_count 2 after both read)',
      body: `  const [tx, rx1] = broadcast.channel<Point>(4);
  const rx2 = rx1.clone();
  tx.send(new Point(7));
  const p1 = await rx1.recv(), p2 = await rx2.recv();
  console.log(p1 instanceof Point && p2 instanceof Point, p1 !== p2, p1.x + p2.x);
  const [atx, arx1] = broadcast.channel<Arc<number>>(4);
  const arx2 = atx.subscribe();
  atx.send(new Arc(5));
  const x = await arx1.recv(), y = await arx2.recv();
  console.log(Arc.strongCount(x), Arc.ptrEq(x, y));`,
      expect: ['true true 14', '2 true'],
    },
    {
      test: 'a message of a class with no clone() is refused at each recv (Rust: T: Clone), which moves past it',
      body: `  const [tx, rx1] = broadcast.channel<Opaque>(4);
  const rx2 = tx.subscribe();
  tx.send(new Opaque());
  for (const rx of [rx1, rx2]) {
    try { await rx.recv(); console.log("cloned"); } catch (e) { console.log(e instanceof TypeError, String(e).includes("has no clone() method")); }
  }
  console.log(rx1.isEmpty(), rx2.isEmpty());`,
      expect: ['true true', 'true true', 'true true'],
    },
    {
      test: 'panic_in_clone: a clone that panics makes try_recv panic, and the next message comes after it',
      body: `  const [tx, rx] = broadcast.channel<MyVal>(16);
  tx.send(new MyVal(0));
  tx.send(new MyVal(1));
  let panicked = false;
  try { rx.tryRecv(); } catch (e) { panicked = true; }
  assert(panicked, "try_recv cloned MyVal(0) without panicking");
  console.log(rx.tryRecv().v);`,
      expect: ['1'],
    },
  ],
});

ported('tokio tests/rt_handle_block_on.rs, Runtime drop (a runtime that shuts down waits for its spawn_blocking jobs)', {
  imports: `import { spawnBlocking, blockOn } from "weft/task";
import { sleep } from "weft/thread";
import { Arc, AtomicI32, Ordering } from "weft/sync";`,
  cases: [
    {
      test: 'spawn_blocking_started_before_shutdown_continues: the job started in block_on runs to its end, never awaited',
      body: `  const done = new Arc(new AtomicI32(0));
  const mine = done.clone();
  const answer = blockOn(async () => {
    spawnBlocking(() => { sleep(50); mine.store(42, Ordering.SeqCst); });
    return 1;
  });
  console.log(answer, done.load(Ordering.SeqCst));`,
      expect: ['1 42'],
    },
    {
      test: 'basic_spawn_blocking: awaited, its value comes back',
      body: `  console.log(blockOn(async () => await spawnBlocking(() => { sleep(20); return 42; })));`,
      expect: ['42'],
    },
  ],
});

ported('tokio tests/task_id.rs (ids are unique across runtimes; a block_on future is no task)', {
  imports: `import { spawn, spawnBlocking, blockOn, id, tryId } from "weft/task";`,
  async: true,
  cases: [
    {
      test: 'task_id_block_in_place_block_on_spawn (block_in_place is spawnBlocking here): a task of another runtime has another id',
      body: `  await spawn(async () => {
    const parentId = id();
    const childId = await spawnBlocking(() => blockOn(async () => await spawn(async () => id())));
    assert(parentId !== childId, "the same id " + parentId + " in two runtimes");
    assert(parentId === id());
  });
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'task_try_id_inside_block_on, task_id_inside_block_on_panic_caller',
      body: `  const [none, message] = await spawnBlocking(() => blockOn(async () => {
    let message = "";
    try { id(); } catch (e) { message = (e as Error).message; }
    return [tryId(), message];
  }));
  console.log(none, (message as string).startsWith("can't get a task id when not inside a task"));`,
      expect: ['undefined true'],
    },
    {
      test: 'task_id_collision_current_thread',
      body: `  const handle1 = spawn(async () => id());
  const handle2 = spawn(async () => id());
  console.log(await handle1 !== await handle2);`,
      expect: ['true'],
    },
  ],
});

ported('tokio tests/task_id.rs (the cases not ported before)', {
  imports: `import { spawn, oneshot, id, tryId, Poll, type Future, type Context } from "weft/task";`,
  async: true,
  helpers: `/** Upstream's MyFuture: ready at once (or never), it sends task::id() from its Drop. */
class MyFuture implements Future<void> {
  tx: oneshot.Sender<number> | null;
  ready: boolean;
  constructor(tx: oneshot.Sender<number>, ready: boolean) { this.tx = tx; this.ready = ready; }
  poll(_cx: Context): Poll<void> { return this.ready ? Poll.ready(undefined) : Poll.pending(); }
  [Symbol.dispose]() { const tx = this.tx; this.tx = null; tx?.send(id()); }
}`,
  cases: [
    {
      test: 'task_ids_match_current_thread: the id sent from the JoinHandle is the task\'s own',
      body: `  const [tx, rx] = oneshot.channel<number>();
  const handle = spawn(async () => {
    const got = await rx;
    assert(got === id(), "handle.id() " + got + " is not task::id() " + id());
  });
  tx.send(handle.id());
  await handle;
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'task_id_future_destructor_completion: a future dropped as its task completes still sees the task\'s id',
      body: `  const [tx, rx] = oneshot.channel<number>();
  const handle = spawn(new MyFuture(tx, true));
  const taskId = handle.id();
  await handle;
  console.log(await rx === taskId);`,
      expect: ['true'],
    },
    {
      test: 'task_id_future_destructor_abort: a future dropped as its task is aborted still sees the task\'s id',
      body: `  const [tx, rx] = oneshot.channel<number>();
  const handle = spawn(new MyFuture(tx, false));
  const taskId = handle.id();
  handle.abort();
  const result = await handle.result();
  console.log(!result.ok && result.value.isCancelled(), await rx === taskId);`,
      expect: ['true true'],
    },
  ],
});

ported('tokio tests/task_id.rs (outside any runtime)', {
  imports: `import { id, tryId } from "weft/task";`,
  cases: [
    {
      test: 'task_try_id_outside_task, task_id_outside_task_panic_caller',
      body: `  let message = "";
  try { id(); } catch (e) { message = (e as Error).message; }
  console.log(tryId(), message.startsWith("can't get a task id when not inside a task"));`,
      expect: ['undefined true'],
    },
  ],
});

ported('tokio tests/time_panic.rs, sync_panic.rs, task_panic.rs (what panics, at the reader\'s call)', {
  imports: `import { spawn, blockOn, time, interval, broadcast, mpsc, RwLock, Semaphore } from "weft/task";`,
  cases: [
    {
      test: 'pause_panic_caller: pausing paused time panics',
      body: `  try { blockOn(async () => { time.pause(); time.pause(); }); console.log("no panic"); } catch (e) { console.log((e as Error).message.startsWith("time is already frozen")); }`,
      expect: ['true'],
    },
    {
      test: 'resume_panic_caller: resuming time that runs panics',
      body: `  try { blockOn(async () => { time.resume(); }); console.log("no panic"); } catch (e) { console.log((e as Error).message.startsWith("time is not frozen")); }`,
      expect: ['true'],
    },
    {
      test: 'pause then resume then pause again is fine',
      body: `  blockOn(async () => { time.pause(); time.resume(); time.pause(); });
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'spawn_panic_caller: spawn outside a runtime panics',
      body: `  try { spawn(async () => {}); console.log("no panic"); } catch (e) { console.log((e as Error).message.startsWith("spawn must be called from async code")); }`,
      expect: ['true'],
    },
    {
      test: 'interval_panic_caller: a zero period panics',
      body: `  try { blockOn(async () => { interval(0); }); console.log("no panic"); } catch (e) { console.log("panicked"); }`,
      expect: ['panicked'],
    },
    {
      test: 'broadcast_channel_panic_caller, mpsc_bounded_channel_panic_caller, rwlock_with_max_readers_panic_caller: a capacity of 0 panics',
      body: `  for (const make of [() => broadcast.channel(0), () => mpsc.channel(0), () => RwLock.withMaxReaders(0, 0)]) {
    try { make(); console.log("no panic"); } catch (e) { console.log(e instanceof RangeError); }
  }`,
      expect: ['true', 'true', 'true'],
    },
    {
      test: 'semaphore_merge_unrelated_permits: merging permits of two Semaphores panics',
      body: `  const s1 = new Semaphore(1), s2 = new Semaphore(1);
  try {
    blockOn(async () => { const a = await s1.acquire(); const b = await s2.acquire(); a.merge(b); });
    console.log("no panic");
  } catch (e) { console.log((e as Error).message.includes("different Semaphores")); }`,
      expect: ['true'],
    },
  ],
});

ported('tokio tests/time_rt.rs, task_builder.rs, sync_broadcast.rs (cases not ported before)', {
  imports: `import { spawn, sleepUntil, timeout, time, oneshot, broadcast, Elapsed, drop, yieldNow, select, type Awaitable } from "weft/task";`,
  helpers: TOKIO_HELPERS,
  async: true,
  cases: [
    {
      test: 'timer_with_current_thread_scheduler: sleep_until a deadline wakes at or after it',
      body: `  const when = time.now() + 10;
  await sleepUntil(when);
  console.log(time.now() >= when);`,
      expect: ['true'],
    },
    {
      test: 'timeout_value: a oneshot that never gets a value times out, after the duration',
      body: `  const [tx, rx] = oneshot.channel<null>();
  const now = time.now();
  let elapsed = false;
  try { await timeout(10, rx); } catch (e) { elapsed = e instanceof Elapsed; }
  console.log(elapsed, time.now() >= now + 10);
  drop(tx);`,
      expect: ['true true'],
    },
    {
      test: 'spawn_with_name: a named task runs and gives its value',
      body: `  console.log(await spawn(async () => "task executed", { name: "name" }));`,
      expect: ['task executed'],
    },
    {
      test: 'send_slow_rx: a receiver that reads late still gets every message, in order',
      body: `  const [tx, rx1] = broadcast.channel<string>(16);
  const rx2 = tx.subscribe();
  // Upstream's task::spawn(rx.recv()): the recv future borrows its Receiver, as here (an async closure would own it).
  const recv2 = spawn(rx2.recv());
  const recv1 = spawn(rx1.recv());
  await settle();
  console.log("pending", !recv1.isFinished(), !recv2.isFinished());
  tx.send("one");
  tx.send("two");
  console.log(await recv1, await rx1.recv());
  const again = spawn(rx1.recv());
  await settle();
  console.log("pending", !again.isFinished());
  tx.send("three");
  console.log(await again, await recv2, await rx2.recv(), await rx2.recv());`,
      expect: ['pending true true', 'one two', 'pending true', 'three one two three'],
    },
  ],
});

// Free runs only: under a seed weft runs a pool's work, and its exit handlers at the drop, on the calling thread,
// so a job or a handler that waits for the caller cannot finish there.
describe('rayon-core src/spawn/test.rs, src/test.rs (a dropped ThreadPool does not wait)', () => {
  const IMPORTS = `import { ThreadPoolBuilder, spawn } from "weft/par";
import { Arc, AtomicUsize, Barrier, mpsc, drop } from "weft/sync";`;

  it('termination_while_things_are_executing: the pool is dropped while its job waits; the job still runs and spawns', async () => {
    const run = await runProgram(`${IMPORTS}
function main() {
  const [tx0, rx0] = mpsc.channel<number>();
  const [tx1, rx1] = mpsc.channel<number>();
  const threadPool = new ThreadPoolBuilder().build();
  threadPool.spawn(() => {
    const data = rx0.recv()!;
    spawn(() => { tx1.send(data); });
  });
  drop(threadPool);
  tx0.send(22);
  console.log(rx1.recv());
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['22']);
  });

  it('exit_callback_called, as upstream writes it: drop(pool), then meet the exit handlers at a barrier', async () => {
    const run = await runProgram(`${IMPORTS}
function main() {
  const nThreads = 4;
  const nCalled = new Arc(new AtomicUsize(0));
  const barrier = new Arc(new Barrier(nThreads + 1));
  const b = barrier.clone(), nc = nCalled.clone();
  const pool = new ThreadPoolBuilder().numThreads(nThreads).exitHandler((_) => { nc.fetchAdd(1); b.wait(); }).build();
  drop(pool);
  barrier.wait();
  console.log(nCalled.load());
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['4']);
  });
});

describe('tokio Runtime drop at the end of #[tokio::main]', () => {
  it('an async main that returns while a spawn_blocking job runs waits for the job, which prints its line', async () => {
    const run = await runProgram(`import { spawnBlocking, sleep as asleep } from "weft/task";
import { sleep } from "weft/thread";
async function main() {
  spawnBlocking(() => { sleep(100); console.log("blocking job done"); });
  await asleep(1);
  console.log("main returns");
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['main returns', 'blocking job done']);
  });
});
