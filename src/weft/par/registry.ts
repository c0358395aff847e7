/**
 * weft/par's registry: the threads and work-stealing deques behind a
 * `ThreadPool`, in run memory. Rayon calls this a *registry*
 * (rayon-core/src/registry.rs): a `ThreadPool` (thread-pool.ts) is a handle
 * to one, and the global pool is the global registry.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/struct.ThreadPool.html and the
 * design notes at https://github.com/rayon-rs/rayon/blob/main/rayon-core/src/README.md
 *
 * A registry is a record in run memory and `numThreads` weft threads
 * (started on first use, on the run's idle workers like any `spawn`). Each
 * worker owns a deque of task addresses; the registry has one more, the
 * injector, where threads outside the registry put work. A worker pops its own deque from the
 * bottom (newest first, the cache-warm end), and when it is empty takes from
 * the injector's top, then steals from the top (oldest, usually the largest
 * piece) of the other workers' deques. That is Rayon's scheme; Rayon's deques
 * are lock-free (Chase-Lev, crossbeam-deque), weft's take a futex lock for a
 * few instructions per push, pop or steal, which costs ~100 ns and is paid
 * per task, not per item.
 *
 * Tasks (TASK_WORDS words each):
 * - a *chunk range* [a, b) of a job's chunks (par/job.ts): the worker that
 *   runs it splits off the upper half onto its own deque until one chunk is
 *   left, runs that chunk, and so on: idle workers steal the halves, as
 *   Rayon's adaptive splitting hands halves of a producer to thieves;
 * - a *call* (a `join`'s second closure, a `scope` spawn): run one lifted
 *   closure from its borrowed captures and publish its result or panic.
 *
 * - a *broadcast* call (`broadcast`, `spawnBroadcast`, par/broadcast.ts):
 *   one per worker, on that worker's own broadcast queue, which nobody
 *   steals from; a worker takes them, oldest first, after its own deque and
 *   before the injector, as Rayon's workers take their broadcast jobs.
 *
 * Idle workers sleep on the registry's work sequence word, bumped by every push.
 * A worker that waits for a job of its own (a nested `join`, a par iterator
 * inside a par closure) keeps running tasks meanwhile, as Rayon's workers
 * do, so nested parallelism cannot deadlock the registry.
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeCaptures, encodeValue } from '../runtime/codec.ts';
import { lockWord, unlockWord } from '../runtime/futex-lock.ts';
import { H, type RunMemory } from '../runtime/memory.ts';
import { registerInternalEntry, type ClosureFactories } from '../runtime/lift.ts';
import { detachThread } from '../runtime/thread-table.ts';
import { RunStopped } from '../runtime/stop.ts';
import { enterParWork, pieceMicros, pieceStart } from '../runtime/trace.ts';
import { blockWhileEqual, waitWhileEqual, wake } from '../runtime/wait.ts';
import { assignPriority, scheduled } from '../runtime/scheduler.ts';
import { availableParallelism, waitForThreadEnd } from '../thread.ts';
import { closureFactories, rebuildClosure, type Lifted } from '../runtime/lift.ts';
import { runLocal } from '../runtime/run-local.ts';
import { letGoOfThread, panicPayload, takeThreadSlot } from '../runtime/threads.ts';
import { FnContext, ThreadBuilder } from './contexts.ts';

/** The closure id a registry's worker thread is started with (runtime/lift.ts, threadBody). */
const WORKER_ENTRY = -1;

/** Most threads one registry (one ThreadPool) may have. */
export const MAX_REGISTRY_THREADS = 64;
/**
 * Words of a registry record. `started`: 0 not yet, 1 starting, 2 started, 3 dropped before any start;
 * `terminated`: its ThreadPool was dropped (then 1 + the number of its threads yet to end); `names`: the record of its threads' names, 0 for the default ones;
 * `handlers`: the record of its start, exit and panic handlers (HANDLER_WORDS each), 0 for none.
 * From THREADS, its workers' thread ids (for the drop to reap).
 */
const P = { numThreads: 0, started: 1, workSeq: 2, sleepers: 3, cutoff: 4, terminated: 5, nextJob: 6, names: 7, handlers: 8 } as const;
const THREADS = 9;
/** A handler in the handlers record: its closure id + 1 (0: none), its borrowed captures' address and length. */
const HANDLER_WORDS = 3;
const HANDLER_COUNT = 4;
/** Which handler (`ThreadPoolBuilder.startHandler`, `exitHandler`, `panicHandler`, `buildScoped`'s wrapper). */
export const Handler = { start: 0, exit: 1, panic: 2, wrap: 3 } as const;
/** A pool's handlers as the builder has them, lifted by the compile step (par-closures.ts). */
export type Handlers = Partial<Record<keyof typeof Handler, Lifted>>;
const DEQUES = THREADS + MAX_REGISTRY_THREADS;
/** Task addresses one deque holds; a push that finds it full runs the task in place instead. */
const CAPACITY = 1024;
const DQ = { lock: 0, top: 1, bottom: 2, ring: 3 } as const;
const DEQUE_WORDS = DQ.ring + CAPACITY;
/** Broadcast tasks one worker's broadcast queue holds (same layout as a deque); a broadcast waits while one is full. */
const BROADCAST_CAPACITY = 256;
const BROADCAST_WORDS = DQ.ring + BROADCAST_CAPACITY;

/** Words of a task record. */
export const T = { state: 0, kind: 1, a: 2, b: 3, c: 4, resultPtr: 5, resultLen: 6, latch: 7, micros: 8, fifo: 9 } as const;
export const TASK_WORDS = 10;
export const TaskKind = { chunks: 1, call: 2, broadcast: 3, lend: 4 } as const;
/** A call task's states. `inline`: its owner took it back and ran it in place; whoever pops the stale entry frees it. */
export const TaskState = { pending: 0, running: 1, done: 2, panicked: 3, inline: 4 } as const;

/**
 * The sequential cut-off when nobody set one: a terminal op hands work to
 * the pool only when what is left would take longer than this on the
 * calling thread (par/iter.ts). Measured by `npm run bench` (BENCHMARKS.md,
 * "Sequential cut-off"): on the reference machine a pool of 2 starts to beat
 * the calling thread between 375 µs (0.94×) and 770 µs (1.21×) of work.
 */
export const DEFAULT_CUTOFF_MICROS = 500;

/** What a registry's worker knows about itself (undefined on threads outside every registry). */
export interface WorkerState {
  registry: number;
  index: number;
  factories: ClosureFactories;
  /** Per-job state a worker built once (decoded captures, rebuilt closures), by job id. */
  cache: Map<number, unknown>;
}

let worker: WorkerState | undefined;
runLocal(() => (worker = undefined));

export function currentWorker(): WorkerState | undefined {
  return worker;
}

/** A chunk task's body and a call task's body, supplied by job.ts (kept there so this file is only the registry). */
export interface TaskRunners {
  chunk(state: WorkerState, job: number, chunk: number): void;
}
let runners: TaskRunners | undefined;
export function setTaskRunners(r: TaskRunners): void {
  runners = r;
}

/** A broadcast task's body, supplied by broadcast.ts. */
let broadcastRunner: ((state: WorkerState, task: number) => void) | undefined;
export function setBroadcastRunner(run: (state: WorkerState, task: number) => void): void {
  broadcastRunner = run;
}

/**
 * What a scope's spawned closure is called with: its Scope, so it can spawn
 * more (join.ts supplies it; Rayon's `s.spawn(|s| …)`).
 */
let scopeOf: ((registry: number, latch: number) => unknown) | undefined;
export function setScopeMaker(make: (registry: number, latch: number) => unknown): void {
  scopeOf = make;
}

function memory(): RunMemory {
  return context().memory;
}

function dequeBase(registry: number, deque: number): number {
  return (registry >> 2) + DEQUES + deque * DEQUE_WORDS;
}

/** Worker `index`'s broadcast queue, after the n + 1 deques. */
function broadcastBase(registry: number, index: number): number {
  const n = memory().i32[(registry >> 2) + P.numThreads]!;
  return (registry >> 2) + DEQUES + (n + 1) * DEQUE_WORDS + index * BROADCAST_WORDS;
}

/**
 * Allocates a registry record (threads start on first use). `names`: its
 * threads' names, by index (`ThreadPoolBuilder.threadName`), kept in run
 * memory so whichever thread starts the pool names them.
 */
export function createRegistry(numThreads: number, cutoffMicros: number, names?: readonly string[], handlers?: Handlers): number {
  const n = Math.max(1, Math.min(MAX_REGISTRY_THREADS, Math.floor(numThreads)));
  const mem = memory();
  const registry = mem.allocRecord(DEQUES + (n + 1) * DEQUE_WORDS + n * BROADCAST_WORDS);
  const i32 = mem.i32;
  i32[(registry >> 2) + P.numThreads] = n;
  i32[(registry >> 2) + P.cutoff] = cutoffMicros;
  if (names !== undefined) {
    const bytes = encodeValue([...names], { mode: 'borrow' });
    const record = mem.allocRecord(2);
    i32[(record >> 2) + 0] = mem.store(bytes);
    i32[(record >> 2) + 1] = bytes.length;
    i32[(registry >> 2) + P.names] = record;
  }
  if (handlers !== undefined && Object.values(handlers).some((h) => h !== undefined)) {
    const record = mem.allocRecord(HANDLER_COUNT * HANDLER_WORDS);
    for (const [which, lifted] of Object.entries(handlers)) {
      if (lifted === undefined) continue;
      const base = (record >> 2) + Handler[which as keyof typeof Handler] * HANDLER_WORDS;
      // A handler is called on every pool thread, as Rayon's `Fn + Sync` ones are: it borrows what it captures, as par closures do.
      const captures = encodeCaptures(lifted.captures(), { mode: 'borrow' });
      i32[base] = lifted.id + 1;
      if (captures.length > 0) {
        i32[base + 1] = mem.store(captures);
        i32[base + 2] = captures.length;
      }
    }
    i32[(registry >> 2) + P.handlers] = record;
  }
  return registry;
}

/** Whether the registry has handler `which`. */
export function hasHandler(registry: number, which: number): boolean {
  const i32 = memory().i32;
  const record = i32[(registry >> 2) + P.handlers]!;
  return record !== 0 && i32[(record >> 2) + which * HANDLER_WORDS]! !== 0;
}

/** Calls the registry's handler `which` with `arg`, rebuilt here from the captures it borrows; false when it has none. */
export function callHandler(registry: number, which: number, arg: unknown): boolean {
  const mem = memory();
  const i32 = mem.i32;
  const record = i32[(registry >> 2) + P.handlers]!;
  if (record === 0) return false;
  const base = (record >> 2) + which * HANDLER_WORDS;
  const id = i32[base]! - 1;
  if (id < 0) return false;
  const len = i32[base + 2]!;
  const captures = len > 0 ? (decodeValue(mem.read(i32[base + 1]!, len), { owned: false }) as Record<string, unknown>) : {};
  (rebuildClosure(id, captures) as (arg: unknown) => unknown)(arg);
  return true;
}

/**
 * A panic caught on the pool (a detached `spawn`'s, a start or exit
 * handler's): given to the pool's panic handler, on this thread, as Rayon
 * does; without one it is shown as a thread's panic is, and the pool goes on
 * (Rayon aborts the process). A panic in the panic handler itself, which
 * aborts in Rayon, is shown the same way.
 */
export function handlePoolPanic(registry: number | undefined, error: unknown): void {
  const ctx = context();
  if (registry !== undefined && hasHandler(registry, Handler.panic)) {
    try {
      callHandler(registry, Handler.panic, error);
      return;
    } catch (inHandler) {
      if (inHandler instanceof RunStopped) throw inHandler;
      error = inHandler;
    }
  }
  ctx.host.panic(panicPayload(error, ctx));
}

/** Runs the start or exit handler of worker `index`, its panic handled as `handlePoolPanic` says. */
function runLifeHandler(registry: number, which: number, index: number): void {
  try {
    callHandler(registry, which, index);
  } catch (error) {
    if (error instanceof RunStopped) throw error;
    handlePoolPanic(registry, error);
  }
}

/**
 * Under a seed no pool thread starts (the pool's work runs on the calling
 * thread), so the start handlers run here at `build()`, and the exit
 * handlers at the pool's drop, one per thread index in order: a seeded run
 * calls them as often, with the same indices, as a free run does.
 */
export function runLifeHandlersHere(registry: number, which: number): void {
  if (memory().i32[(registry >> 2) + P.handlers] === 0) return;
  const n = memory().i32[(registry >> 2) + P.numThreads]!;
  for (let index = 0; index < n; index++) runLifeHandler(registry, which, index);
}

/** The name of the registry's thread `index`: the builder's, or `par-worker-<index + 1>`. */
export function workerName(registry: number, index: number): string {
  const mem = memory();
  const record = mem.i32[(registry >> 2) + P.names]!;
  if (record !== 0) {
    const names = decodeValue(mem.read(mem.i32[(record >> 2) + 0]!, mem.i32[(record >> 2) + 1]!), { owned: false }) as string[];
    if (typeof names[index] === 'string') return names[index]!;
  }
  return `par-worker-${index + 1}`;
}

/**
 * Makes `registry` the run's global one, the pool that par operations use
 * outside any `install` (Rayon's `build_global`); false if there is one
 * already (made by an earlier `buildGlobal` or by the first par operation).
 */
export function installGlobal(registry: number): boolean {
  return Atomics.compareExchange(memory().header, H.parRegistry, 0, registry) === 0;
}

/** The run's global registry, created by whichever thread asks first (Rayon's `global_registry`). */
export function globalRegistry(): number {
  const header = memory().header;
  for (;;) {
    const addr = Atomics.load(header, H.parRegistry);
    if (addr > 0) return addr;
    if (addr === 0 && Atomics.compareExchange(header, H.parRegistry, 0, -1) === 0) {
      const registry = createRegistry(availableParallelism(), -1);
      Atomics.store(header, H.parRegistry, registry);
      Atomics.notify(header, H.parRegistry);
      return registry;
    }
    waitWhileEqual(header, H.parRegistry, -1, 10);
  }
}

/** A number no other job of this registry has had (a worker's per-job cache key). */
export function nextJobId(registry: number): number {
  return Atomics.add(memory().i32, (registry >> 2) + P.nextJob, 1);
}

export function registryThreads(registry: number): number {
  return memory().i32[(registry >> 2) + P.numThreads]!;
}

/** The registry's sequential cut-off in µs (`ThreadPoolBuilder.sequentialCutoff`), or the default. */
export function registryCutoff(registry: number): number {
  const value = memory().i32[(registry >> 2) + P.cutoff]!;
  return value < 0 ? DEFAULT_CUTOFF_MICROS : value;
}

/** Starts the registry's threads if nobody has; returns at once (they pick up work when they are up). */
export function ensureStarted(registry: number): void {
  const mem = memory();
  const i32 = mem.i32;
  const started = (registry >> 2) + P.started;
  if (Atomics.load(i32, started) !== 0 || Atomics.compareExchange(i32, started, 0, 1) !== 0) return;
  const ctx = context();
  const n = registryThreads(registry);
  for (let index = 0; index < n; index++) {
    const name = workerName(registry, index);
    const threadId = takeThreadSlot(mem, name);
    i32[(registry >> 2) + THREADS + index] = threadId;
    assignPriority(mem, threadId);
    const captures = encodeCaptures({ registry, index }, { mode: 'borrow' });
    ctx.host.spawn({
      threadId,
      closureId: WORKER_ENTRY,
      capturesPtr: mem.store(captures),
      capturesLen: captures.length,
      name,
      scoped: true,
    });
  }
  Atomics.store(i32, started, 2);
}

/**
 * Ends a registry whose ThreadPool was dropped (Rayon's `Registry::terminate`) and returns at once, as
 * Rayon's drop does: its workers run what is queued, see the flag, run their exit handlers and end. Each is
 * detached (nobody joins a pool's threads: each gives its thread slot back as it ends), and the last one out
 * frees the record (`leaveRegistry`), which they read until then. A pool never given work had no threads.
 * `waitForThreads` (buildScoped) waits for them to end before it returns.
 */
export function terminateRegistry(registry: number, waitForThreads = false): void {
  const mem = memory();
  const i32 = mem.i32;
  const pw = registry >> 2;
  let started = Atomics.compareExchange(i32, pw + P.started, 0, 3);
  while (started === 1) {
    // Another thread is starting it: its thread ids are written once it has.
    waitWhileEqual(i32, pw + P.started, 1, 1);
    started = Atomics.load(i32, pw + P.started);
  }
  // Never started: under a seed, where no pool thread ever starts, its exit handlers run here (runLifeHandlersHere).
  if (started === 0 && scheduled(mem)) runLifeHandlersHere(registry, Handler.exit);
  if (started === 2) {
    const n = i32[pw + P.numThreads]!;
    // Detached first: a thread that ends from now on gives its own slot back (runtime/threads.ts).
    for (let index = 0; index < n; index++) {
      const threadId = i32[pw + THREADS + index]!;
      if (detachThread(mem, threadId) === 'ended') letGoOfThread(mem, threadId);
    }
    const threadIds = waitForThreads ? Array.from({ length: n }, (_, index) => i32[pw + THREADS + index]!) : [];
    // Dropped, with n threads still to leave; the last one frees the record.
    Atomics.store(i32, pw + P.terminated, n + 1);
    Atomics.add(i32, pw + P.workSeq, 1);
    wake(i32, pw + P.workSeq);
    // buildScoped: its threads have ended when it returns (Rayon runs them in a std::thread::scope).
    for (const threadId of threadIds) waitForThreadEnd(threadId);
    return;
  }
  freeRegistry(registry);
}

/** A worker of a dropped registry leaves it: the last one out frees the record. */
function leaveRegistry(registry: number): void {
  if (Atomics.sub(memory().i32, (registry >> 2) + P.terminated, 1) === 2) freeRegistry(registry);
}

/** Frees a registry's record and what it points to (names, handlers). */
function freeRegistry(registry: number): void {
  const mem = memory();
  const i32 = mem.i32;
  const pw = registry >> 2;
  const names = i32[pw + P.names]!;
  if (names !== 0) {
    mem.free(i32[(names >> 2) + 0]!);
    mem.free(names);
  }
  const handlers = i32[pw + P.handlers]!;
  if (handlers !== 0) {
    for (let which = 0; which < HANDLER_COUNT; which++) {
      const base = (handlers >> 2) + which * HANDLER_WORDS;
      if (i32[base + 2]! > 0) mem.free(i32[base + 1]!);
    }
    mem.free(handlers);
  }
  mem.free(registry);
}

/** A fresh task record. */
export function newTask(kind: number, a: number, b: number, c: number, latch = 0): number {
  const task = memory().allocRecord(TASK_WORDS);
  const i32 = memory().i32;
  const base = task >> 2;
  i32[base + T.kind] = kind;
  i32[base + T.a] = a;
  i32[base + T.b] = b;
  i32[base + T.c] = c;
  i32[base + T.latch] = latch;
  return task;
}

/**
 * Puts `task` on the calling worker's own deque, or on the injector for a
 * thread outside this registry, and wakes `wakeCount` sleeping workers. False
 * when the deque is full: the caller runs the task itself.
 *
 * The owner pops its deque's bottom (newest first) and thieves take its top
 * (oldest first). A `fifo` task (not 0: the FIFO queue it belongs to, see
 * popBottom) pushed by a worker on its own deque is marked with it.
 */
export function push(registry: number, task: number, wakeCount = 1, fifo = 0): boolean {
  const i32 = memory().i32;
  const own = worker !== undefined && worker.registry === registry ? worker.index + 1 : 0;
  const base = dequeBase(registry, own);
  lockWord(i32, base + DQ.lock);
  const top = i32[base + DQ.top]!;
  const bottom = i32[base + DQ.bottom]!;
  if (bottom - top >= CAPACITY) {
    unlockWord(i32, base + DQ.lock);
    return false;
  }
  if (fifo !== 0 && own !== 0) i32[(task >> 2) + T.fifo] = fifo;
  i32[base + DQ.ring + ringSlot(bottom)] = task;
  i32[base + DQ.bottom] = bottom + 1;
  unlockWord(i32, base + DQ.lock);
  const pw = registry >> 2;
  Atomics.add(i32, pw + P.workSeq, 1);
  if (Atomics.load(i32, pw + P.sleepers) > 0) wake(i32, pw + P.workSeq, wakeCount);
  return true;
}

/**
 * Puts a broadcast task on worker `index`'s broadcast queue, behind those
 * already there, and wakes the sleeping workers (the one it is for may be
 * any of them). False when that queue is full: the caller tries again.
 */
export function pushBroadcast(registry: number, index: number, task: number): boolean {
  const i32 = memory().i32;
  const base = broadcastBase(registry, index);
  lockWord(i32, base + DQ.lock);
  const top = i32[base + DQ.top]!;
  const bottom = i32[base + DQ.bottom]!;
  const full = bottom - top >= BROADCAST_CAPACITY;
  if (!full) {
    i32[base + DQ.ring + (bottom % BROADCAST_CAPACITY)] = task;
    i32[base + DQ.bottom] = bottom + 1;
  }
  unlockWord(i32, base + DQ.lock);
  if (full) return false;
  const pw = registry >> 2;
  Atomics.add(i32, pw + P.workSeq, 1);
  if (Atomics.load(i32, pw + P.sleepers) > 0) wake(i32, pw + P.workSeq);
  return true;
}

/** Waiting for room in a full broadcast queue: a worker of `registry` runs a task meanwhile, any other thread pauses. */
export function helpOrPause(registry: number): void {
  if (worker !== undefined && worker.registry === registry) {
    const task = findTask(worker);
    if (task !== 0) return runTask(worker, task);
  }
  const i32 = memory().i32;
  waitWhileEqual(i32, (registry >> 2) + P.workSeq, Atomics.load(i32, (registry >> 2) + P.workSeq), 0.2);
}

/** Whether worker `state`'s own deque holds tasks (Rayon's `current_thread_has_pending_tasks`). */
export function hasLocalTasks(state: WorkerState): boolean {
  const base = dequeBase(state.registry, state.index + 1);
  const i32 = memory().i32;
  return Atomics.load(i32, base + DQ.bottom) - Atomics.load(i32, base + DQ.top) > 0;
}

/** A deque index's slot in its ring (an index below 0 too). */
function ringSlot(index: number): number {
  return ((index % CAPACITY) + CAPACITY) % CAPACITY;
}

function popBottom(i32: Int32Array, base: number): number {
  if (i32[base + DQ.bottom] === Atomics.load(i32, base + DQ.top)) return 0;
  lockWord(i32, base + DQ.lock);
  const top = i32[base + DQ.top]!;
  let bottom = i32[base + DQ.bottom]!;
  let task = 0;
  if (bottom > top) {
    bottom--;
    task = i32[base + DQ.ring + ringSlot(bottom)]!;
    i32[base + DQ.bottom] = bottom;
    // A FIFO task's place in the deque is what Rayon's is, a stub job: whoever pops it runs the oldest task of the
    // same FIFO queue (Rayon's JobFifo) still waiting, and the others move up one place of that queue's, so they stay
    // oldest at the top. A thief takes the top, which is the oldest one already.
    const fifo = i32[(task >> 2) + T.fifo]!;
    for (let i = bottom - 1; fifo !== 0 && i >= top; i--) {
      const slot = base + DQ.ring + ringSlot(i);
      const older = i32[slot]!;
      if (i32[(older >> 2) + T.fifo] !== fifo) continue;
      i32[slot] = task;
      task = older;
    }
  }
  unlockWord(i32, base + DQ.lock);
  return task;
}

function stealTop(i32: Int32Array, base: number, capacity = CAPACITY): number {
  if (Atomics.load(i32, base + DQ.bottom) === Atomics.load(i32, base + DQ.top)) return 0;
  lockWord(i32, base + DQ.lock);
  const top = i32[base + DQ.top]!;
  const bottom = i32[base + DQ.bottom]!;
  let task = 0;
  if (bottom > top) {
    task = i32[base + DQ.ring + (capacity === CAPACITY ? ringSlot(top) : top % capacity)]!;
    i32[base + DQ.top] = top + 1;
  }
  unlockWord(i32, base + DQ.lock);
  return task;
}

/**
 * The next task for worker `state`: its own newest, else the oldest of its
 * broadcasts, else the injector's oldest, else another worker's oldest.
 */
function findTask(state: WorkerState): number {
  const i32 = memory().i32;
  const registry = state.registry;
  let task = popBottom(i32, dequeBase(registry, state.index + 1));
  if (task !== 0) return task;
  task = stealTop(i32, broadcastBase(registry, state.index), BROADCAST_CAPACITY);
  if (task !== 0) return task;
  task = stealTop(i32, dequeBase(registry, 0));
  if (task !== 0) return task;
  const n = i32[(registry >> 2) + P.numThreads]!;
  for (let k = 1; k < n; k++) {
    task = stealTop(i32, dequeBase(registry, ((state.index + k) % n) + 1));
    if (task !== 0) return task;
  }
  return 0;
}

/** Runs one task popped from a deque, and frees what it owns. */
function runTask(state: WorkerState, task: number): void {
  const mem = memory();
  const i32 = mem.i32;
  const base = task >> 2;
  const kind = i32[base + T.kind]!;
  if (kind === TaskKind.chunks) {
    const job = i32[base + T.a]!;
    let a = i32[base + T.b]!;
    const b = i32[base + T.c]!;
    mem.free(task);
    // Split off upper halves for thieves (Rayon's adaptive splitting), then run the chunks left, lowest first.
    let end = b;
    while (end - a > 1) {
      const mid = (a + end) >>> 1;
      const half = newTask(TaskKind.chunks, job, mid, end);
      if (!push(state.registry, half)) {
        mem.free(half);
        break;
      }
      end = mid;
    }
    for (; a < end; a++) runners!.chunk(state, job, a);
    return;
  }
  if (kind === TaskKind.broadcast) return broadcastRunner!(state, task);
  if (kind === TaskKind.lend) return lendSelf(state, task);
  runCall(state, task);
}

/** The latch of a call task nobody waits for (Rayon's `spawn`): its captures are its own, dropped when it ends; a panic is shown. */
export const DETACHED = -1;
/** The latch of `joinContext`'s second closure: a join's `b`, called with a FnContext (par/contexts.ts). */
export const WITH_CONTEXT = -2;

/** A detached call task popped by a worker: its record and captures freed, then run as `runDetached` says. */
function runDetachedTask(state: WorkerState, task: number): void {
  const mem = memory();
  const i32 = mem.i32;
  const base = task >> 2;
  const closureId = i32[base + T.a]!;
  const capturesPtr = i32[base + T.b]!;
  const capturesLen = i32[base + T.c]!;
  const captures = capturesLen > 0 ? mem.read(capturesPtr, capturesLen).slice() : undefined;
  if (capturesLen > 0) mem.free(capturesPtr);
  mem.free(task);
  runDetached((decoded) => state.factories[closureId]!(decoded) as () => unknown, captures, state.registry);
}

/**
 * Runs a detached call (`spawn`), built by `make` from its captures: as a
 * thread of its own would, it owns what it captured (moved into it) and
 * drops what it still holds when it ends, guards first (a panic poisons
 * their locks); a panic goes to `registry`'s panic handler, or else is
 * shown as a thread's is, and the pool goes on (Rayon, with no panic
 * handler, aborts the process): `handlePoolPanic`.
 */
export function runDetached(make: (captures: Record<string, unknown>) => () => unknown, captures: Uint8Array | undefined, registry: number | undefined): void {
  const ctx = context();
  const ownedBefore = new Set(ctx.owned);
  const guardsBefore = ctx.guards.length;
  let panicking = false;
  try {
    const decoded = captures !== undefined ? (decodeValue(captures, { owned: true }) as Record<string, unknown>) : {};
    make(decoded)();
  } catch (error) {
    if (error instanceof RunStopped) throw error;
    panicking = true;
    handlePoolPanic(registry, error);
  }
  const left = ctx.guards.splice(guardsBefore).reverse() as { dropOnExit(panicking: boolean): void }[];
  for (const value of [...ctx.owned].reverse()) {
    if (ownedBefore.has(value)) continue;
    ctx.owned.delete(value);
    left.push(value);
  }
  for (const value of left) {
    try {
      value.dropOnExit(panicking);
    } catch {
      // Dropping must not stop the others from being dropped.
    }
  }
}

/** A call task: `a` closure id, `b`/`c` its captures. Detached (latched) calls free themselves. */
function runCall(state: WorkerState, task: number): void {
  const mem = memory();
  const i32 = mem.i32;
  const base = task >> 2;
  if (Atomics.compareExchange(i32, base + T.state, TaskState.pending, TaskState.running) !== TaskState.pending) {
    // Its owner ran it in place (join); this was the last reference.
    mem.free(task);
    return;
  }
  const latch = i32[base + T.latch]!;
  if (latch === DETACHED) return runDetachedTask(state, task);
  let result: Uint8Array;
  let outcome: number = TaskState.done;
  try {
    const capturesLen = i32[base + T.c]!;
    const captures = capturesLen > 0 ? (decodeValue(mem.read(i32[base + T.b]!, capturesLen), { owned: false }) as Record<string, unknown>) : {};
    const closure = state.factories[i32[base + T.a]!]!(captures) as (scope?: unknown) => unknown;
    const started = latch <= 0 ? pieceStart() : -1;
    const value =
      latch > 0 && scopeOf !== undefined ? closure(scopeOf(state.registry, latch)) : latch === WITH_CONTEXT ? closure(new FnContext(true)) : closure();
    if (started >= 0) i32[base + T.micros] = pieceMicros(started); // a join's `b`, as the par-join event records it (join.ts)
    result = encodeValue(value, { mode: 'move', target: { into: 'the thread that joins it' } });
  } catch (error) {
    if (error instanceof RunStopped) throw error;
    result = encodeValue(panicOf(error), { mode: 'borrow' });
    outcome = TaskState.panicked;
  }
  if (i32[base + T.c]! > 0) mem.free(i32[base + T.b]!);
  if (latch > 0) {
    // A scope's spawn: nobody reads the result; a panic is the scope's.
    if (outcome === TaskState.panicked) recordPanic(latch, result);
    mem.free(task);
    const count = latch >> 2;
    if (Atomics.sub(i32, count, 1) === 1) wake(i32, count);
    return;
  }
  if (result.length > 0) {
    i32[base + T.resultPtr] = mem.store(result);
    i32[base + T.resultLen] = result.length;
  }
  Atomics.store(i32, base + T.state, outcome);
  wake(i32, base + T.state);
}

/** A panic as it travels back to the caller: the stack too, so the caller's report maps to the closure's line. */
export interface ParPanic {
  name: string;
  message: string;
  stack: string;
}

export function panicOf(error: unknown): ParPanic {
  if (error instanceof Error) return { name: error.name, message: error.message, stack: error.stack ?? '' };
  return { name: 'Error', message: String(error), stack: '' };
}

/** Rethrows a registry thread's panic in the caller, as Rayon resumes it (`resume_unwind`). */
export function rethrow(panic: ParPanic): never {
  const error = new Error(panic.message);
  error.name = panic.name;
  if (panic.stack !== '') error.stack = panic.stack;
  throw error;
}

/**
 * Records the first panic of a job or a scope. `record` words: 0 counter,
 * 1 panicked flag, 2/3 the panic's encoding.
 */
export function recordPanic(record: number, encoded: Uint8Array): void {
  const mem = memory();
  const i32 = mem.i32;
  const base = record >> 2;
  if (Atomics.compareExchange(i32, base + 1, 0, 1) !== 0) return;
  i32[base + 3] = encoded.length;
  Atomics.store(i32, base + 2, mem.store(encoded));
}

/** The first panic recorded by `recordPanic`, if any (freed). */
export function takePanic(record: number): ParPanic | undefined {
  const mem = memory();
  const i32 = mem.i32;
  const base = record >> 2;
  if (Atomics.load(i32, base + 1) === 0) return undefined;
  const ptr = Atomics.load(i32, base + 2);
  const panic = decodeValue(mem.read(ptr, i32[base + 3]!), { owned: false }) as ParPanic;
  mem.free(ptr);
  return panic;
}

/**
 * Waits until `i32[index] !== value`. A pool's thread runs its own pool's
 * tasks meanwhile (possibly its own job's, when `registry` is its pool); any
 * other thread blocks.
 */
export function waitFor(registry: number, index: number, value: number): void {
  const i32 = memory().i32;
  // A pool's thread waiting on another pool runs its own pool's tasks meanwhile, as Rayon's does (in_worker_cross):
  // it may be the one thread left to run what that other pool's work waits for (broadcast_mutual).
  if (worker !== undefined) {
    while (Atomics.load(i32, index) === value) {
      const task = findTask(worker);
      if (task !== 0) runTask(worker, task);
      else waitWhileEqual(i32, index, value, 0.2);
    }
    return;
  }
  while (Atomics.load(i32, index) === value) {
    blockWhileEqual(i32, index, value, Infinity, { kind: 'par-job', object: registry });
  }
}

/**
 * The pool threads whose place this thread holds (`runAsWorker`), innermost
 * last: each one's own thread is parked in `lendSelf` until it is given back.
 */
const standingIn: WorkerState[] = [];
runLocal(() => (standingIn.length = 0));

/**
 * Runs `f` as one of `registry`'s threads, where Rayon's `install` and a
 * pool's `scope` run their closure: on a thread of that pool, while the
 * calling thread waits. weft cannot move `f` (its captures are borrowed, and
 * Rust lets it change them: `pool.install(|| v.push(1))`), so it moves the
 * pool thread instead: a *lend* task goes to the pool like any other work,
 * the worker that takes it parks (lendSelf) and hands over its index, and
 * this thread runs `f` as that worker: `currentThreadIndex()` is its index,
 * what `f` spawns or joins goes on that worker's deque (and so runs newest
 * first when `f` waits for it, Rayon's LIFO order), and while `f` waits it
 * runs the pool's tasks, as the worker would. Then the worker gets its place
 * back, with whatever `f` left on its deque (a `spawn` nobody waited for).
 * `f`'s panic comes out here, on the caller, as Rayon resumes it. Already one
 * of `registry`'s threads (or holding the place of one further out), `f`
 * runs in place, as Rayon's does.
 *
 * What stays the calling thread's: `thread.current()` (its name and id) and
 * its thread-locals; a Rayon program reading them inside `install` sees the
 * pool thread's.
 */
export function runAsWorker<R>(registry: number, f: () => R): R {
  if (worker !== undefined && worker.registry === registry) return f();
  const outer = worker;
  const held = standingIn.find((w) => w.registry === registry);
  if (held !== undefined) {
    worker = held;
    try {
      return f();
    } finally {
      worker = outer;
    }
  }
  const i32 = memory().i32;
  ensureStarted(registry);
  const task = borrowWorker(registry, outer);
  if (task === 0) return f();
  const base = task >> 2;
  const state: WorkerState = { registry, index: i32[base + T.a]!, factories: closureFactories(), cache: new Map() };
  worker = state;
  standingIn.push(state);
  try {
    return f();
  } finally {
    standingIn.pop();
    worker = outer;
    Atomics.store(i32, base + T.state, TaskState.done);
    wake(i32, base + T.state);
  }
}

/**
 * Asks `registry` for one of its threads (runAsWorker): a lend task on its
 * injector, granted by the worker that takes it. The task, once granted; 0
 * when the injector is full. A thread outside every pool blocks meanwhile. A
 * pool's thread (`outer`) keeps running its own pool's tasks, as Rayon's
 * does while it waits on another pool (in_worker_cross), but never while it
 * holds a grant: before it runs one it takes its request back (the worker
 * that pops a taken-back request frees it) and asks again after. Else a task
 * it ran could ask the same pool again and wait for a thread that waits,
 * parked, for the outer request to end (cross-pool.rs cross_pool_busy).
 */
function borrowWorker(registry: number, outer: WorkerState | undefined): number {
  const mem = memory();
  const i32 = mem.i32;
  for (;;) {
    const task = newTask(TaskKind.lend, -1, 0, 0);
    const state = (task >> 2) + T.state;
    if (!push(registry, task)) {
      mem.free(task);
      return 0;
    }
    if (outer === undefined) {
      while (Atomics.load(i32, state) === TaskState.pending) blockWhileEqual(i32, state, TaskState.pending, Infinity, { kind: 'par-job', object: registry });
      return task;
    }
    while (Atomics.load(i32, state) === TaskState.pending && !hasVisibleTask(outer)) waitWhileEqual(i32, state, TaskState.pending, 0.2);
    if (Atomics.compareExchange(i32, state, TaskState.pending, TaskState.inline) !== TaskState.pending) return task;
    const own = findTask(outer);
    if (own !== 0) runTask(outer, own);
  }
}

/** Whether worker `state` would find a task now (findTask without taking one). */
function hasVisibleTask(state: WorkerState): boolean {
  const i32 = memory().i32;
  const registry = state.registry;
  const waiting = (base: number): boolean => Atomics.load(i32, base + DQ.bottom) - Atomics.load(i32, base + DQ.top) > 0;
  if (waiting(broadcastBase(registry, state.index)) || waiting(dequeBase(registry, 0))) return true;
  const n = i32[(registry >> 2) + P.numThreads]!;
  for (let k = 0; k < n; k++) if (waiting(dequeBase(registry, k + 1))) return true;
  return false;
}

/** A lend task (runAsWorker): this worker hands its index over and parks until its place is given back; then it frees the task. */
function lendSelf(state: WorkerState, task: number): void {
  const mem = memory();
  const i32 = mem.i32;
  const base = task >> 2;
  i32[base + T.a] = state.index;
  if (Atomics.compareExchange(i32, base + T.state, TaskState.pending, TaskState.running) !== TaskState.pending) {
    // Taken back by the thread that asked (borrowWorker): this was the last reference.
    mem.free(task);
    return;
  }
  wake(i32, base + T.state);
  while (Atomics.load(i32, base + T.state) === TaskState.running) {
    blockWhileEqual(i32, base + T.state, TaskState.running, Infinity, { kind: 'par-lent', object: context().threadId });
  }
  mem.free(task);
}

/**
 * A registry's worker thread: its life in the pool (workerLife), run inside
 * `buildScoped`'s wrapper when the pool has one (Rayon's ThreadBuilder::run).
 * A wrapper that panics or returns without calling `run()` is reported to
 * the panic handler, and the thread runs its life anyway: a pool thread
 * that never ran would leave the pool's work waiting for ever.
 */
function workerMain(factories: ClosureFactories, registry: number, index: number): void {
  if (!hasHandler(registry, Handler.wrap)) return workerLife(factories, registry, index);
  const names = memory().i32[(registry >> 2) + P.names]! !== 0;
  const thread = new ThreadBuilder(index, names ? workerName(registry, index) : undefined, () => workerLife(factories, registry, index));
  try {
    callHandler(registry, Handler.wrap, thread);
  } catch (error) {
    if (error instanceof RunStopped) throw error;
    handlePoolPanic(registry, error);
  }
  if (!thread.ran) {
    handlePoolPanic(registry, new Error(`buildScoped's wrapper returned without calling thread.run() on pool thread ${index}; Rayon's pool would wait for that thread for ever, weft runs it anyway`));
    workerLife(factories, registry, index);
  }
}

/** The body of a registry's worker thread: run tasks, sleep when there are none, until its pool is dropped or the run stops. */
function workerLife(factories: ClosureFactories, registry: number, index: number): void {
  const state: WorkerState = { registry, index, factories, cache: new Map() };
  worker = state;
  enterParWork(); // everything a pool thread runs is the pool's work (trace.ts, par-atomic); it never leaves

  const mem = memory();
  const i32 = mem.i32;
  const pw = registry >> 2;
  const threadId = context().threadId;
  // Rayon's start handler: on this thread, before it takes any work.
  if (i32[pw + P.handlers] !== 0) runLifeHandler(registry, Handler.start, index);
  for (;;) {
    let task = findTask(state);
    if (task !== 0) {
      runTask(state, task);
      continue;
    }
    const seq = Atomics.load(i32, pw + P.workSeq);
    Atomics.add(i32, pw + P.sleepers, 1);
    // Looked again after counting itself asleep: a push in between either is found now or bumps the sequence.
    task = findTask(state);
    if (task !== 0) {
      Atomics.sub(i32, pw + P.sleepers, 1);
      runTask(state, task);
      continue;
    }
    // Nothing left, and the pool was dropped: this thread ends (the drop bumped the sequence after the flag).
    if (Atomics.load(i32, pw + P.terminated) !== 0) {
      Atomics.sub(i32, pw + P.sleepers, 1);
      // Rayon's exit handler: the last thing this thread runs.
      try {
        if (i32[pw + P.handlers] !== 0) runLifeHandler(registry, Handler.exit, index);
      } finally {
        leaveRegistry(registry);
      }
      return;
    }
    state.cache.clear();
    try {
      blockWhileEqual(i32, pw + P.workSeq, seq, Infinity, { kind: 'par-idle', object: threadId });
    } finally {
      Atomics.sub(i32, pw + P.sleepers, 1);
    }
  }
}

registerInternalEntry(WORKER_ENTRY, (factories, captures) => () => workerMain(factories, captures.registry as number, captures.index as number));
