/**
 * Rayon's `join` and `scope`: fork-join on the pool.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/fn.join.html, https://docs.rs/rayon/latest/rayon/fn.scope.html
 *
 * `join(a, b)` puts `b` on the pool (the calling worker's own deque, or the
 * injector from outside the pool), runs `a` here, then takes `b` back and
 * runs it here too if no thread has stolen it yet, as Rayon does; otherwise
 * it waits for the thief (a worker runs other tasks meanwhile). `b`'s
 * captures are borrowed: encoded once, weft handles shared.
 *
 * `scope(s => …)` runs its closure here; every `s.spawn(f)` goes to the
 * pool, and `scope` returns only once all of them have finished, rethrowing
 * the first panic, so spawned closures may borrow the caller's handles.
 *
 * `ThreadPool.join` (thread-pool.ts) called from outside its pool puts both
 * closures on the pool and waits (joinOnPool), as Rayon's does.
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeCaptures, encodeValue } from '../runtime/codec.ts';
import { scheduled } from '../runtime/scheduler.ts';
import { enterParWork, leaveParWork, pieceMicros, pieceStart, traceEventWithResults, traceJoinOrder, traceResults, type PieceWork } from '../runtime/trace.ts';
import { rebuildClosure, type Lifted } from '../runtime/lift.ts';
import { liftedForPar } from './lifted.ts';
import { currentRegistry, withRegistry } from './current.ts';
import { FnContext, type BroadcastContext } from './contexts.ts';
import { scopeBroadcastIn, setBroadcastScopeMaker } from './broadcast.ts';
import { currentWorker, DETACHED, WITH_CONTEXT, ensureStarted, runDetached, newTask, panicOf, push, recordPanic, rethrow, setScopeMaker, takePanic, TaskKind, TaskState, T, waitFor, type ParPanic } from './registry.ts';
import { lazyCallerLocation } from '../runtime/context.ts';
import { runLocal } from '../runtime/run-local.ts';

/** A call task for `lifted`, its captures stored in run memory. */
function callTask(lifted: Lifted, latch = 0): number {
  const mem = context().memory;
  const captures = encodeCaptures(lifted.captures(), { mode: 'borrow' });
  return newTask(TaskKind.call, lifted.id, captures.length > 0 ? mem.store(captures) : 0, captures.length, latch);
}

/**
 * Runs `a` and `b`, potentially in parallel, and returns both results
 * (Rayon's `join`). Both always run: if either panics, `join` rethrows it
 * once both are over (`a`'s panic first), as Rayon does.
 */
export function join<A, B>(a: () => A, b: () => B): [A, B] {
  return joinIn(undefined, a, b);
}

/**
 * `join`, whose closures are each given a FnContext saying whether they
 * run on another thread than the caller's (Rayon's `join_context`): `b`'s
 * `migrated()` is true when a pool thread stole it. weft runs `a` on the
 * calling thread, so `a`'s is false, even where Rayon (called from outside
 * any pool) would have moved both into the pool (par/contexts.ts).
 */
export function joinContext<A, B>(a: (ctx: FnContext) => A, b: (ctx: FnContext) => B): [A, B] {
  return joinIn(undefined, a, b, true);
}

/**
 * @internal `join` on the current registry (`pool` undefined), or on `pool`, as
 * `ThreadPool.join` (thread-pool.ts): called on one of the pool's own
 * threads, or under a seed (where every join runs its closures in turn on
 * the calling thread), that is `join` with the pool current; called anywhere
 * else, both closures go to the pool and this thread waits (joinOnPool).
 */
export function joinIn<A, B>(pool: number | undefined, a: (ctx: FnContext) => A, b: (ctx: FnContext) => B, withContext = false): [A, B] {
  const api = withContext ? 'joinContext' : 'join';
  const la = liftedForPar(a, api, pool === undefined ? (withContext ? JOIN_CONTEXT_HOW : JOIN_HOW) : POOL_JOIN_HOW);
  const lb = liftedForPar(b, api, pool === undefined ? (withContext ? JOIN_CONTEXT_HOW : JOIN_HOW) : POOL_JOIN_HOW);
  // What a closure run here is called with: joinContext's FnContext, for a closure that did not migrate.
  const here: unknown[] = withContext ? [new FnContext(false)] : [];
  const latch = withContext ? WITH_CONTEXT : 0;
  const mem = context().memory;
  const at = traceEventWithResults('par-join', joinDepth);
  // In a traced free run, how long each closure took, µs, on whichever thread ran it.
  const work: PieceWork | undefined = at >= 0 && pieceStart() >= 0 ? { first: 0, second: 0 } : undefined;
  // Under a seed, how near to sorted the numbers the closures were handed are (a quicksort's sides, or a copy sorted beforehand).
  if (at >= 0 && work === undefined) traceJoinOrder(at, la.captures(), lb.captures());
  joinDepth++;
  enterParWork(); // the closures' atomic changes are traced as the pool's work (trace.ts, par-atomic)
  try {
    let results: [A, B];
    const call: JoinCall = { la, lb, here, latch };
    if (pool === undefined) results = joinOnRegistry<A, B>(currentRegistry(), call, mem, work);
    else if (scheduled(mem) || currentWorker()?.registry === pool) results = withRegistry(pool, () => joinOnRegistry<A, B>(pool, call, mem, work));
    else results = joinOnPool<A, B>(pool, call, mem, work);
    traceResults(at, results[0], results[1], work, true); // the par-join event carries both results, when they are numbers
    return results;
  } finally {
    leaveParWork();
    joinDepth--;
  }
}

/** What to write when `join`'s closures arrive unlifted (a `join` reached under another name). */
const JOIN_HOW = 'Call join by the name it is imported as from weft/par, with the closures written in the call: join(() => …, () => …)';
/** What to write when `joinContext`'s closures arrive unlifted. */
const JOIN_CONTEXT_HOW = 'Call joinContext by the name it is imported as from weft/par, with the closures written in the call: joinContext((a) => …, (b) => …)';
/** The two closures of one join, what a closure run on the calling thread is given, and the latch `b`'s task carries (registry.ts WITH_CONTEXT). */
interface JoinCall {
  la: Lifted;
  lb: Lifted;
  here: unknown[];
  latch: number;
}
/** What to write when `pool.join`'s closures arrive unlifted (a pool the compile step cannot follow, such as a parameter). */
const POOL_JOIN_HOW =
  'Call join on a pool made in place or held in a const, with the closures written in the call: ' +
  'const pool = new ThreadPoolBuilder().build(); pool.join(() => …, () => …). ' +
  'For a pool that comes from elsewhere (a parameter), write pool.install(() => join(() => …, () => …))';

/** How many join calls enclose the running code on this thread (the trace's par-join events carry it). */
let joinDepth = 0;
runLocal(() => (joinDepth = 0));

type Memory = ReturnType<typeof context>['memory'];

function joinOnRegistry<A, B>(registry: number, call: JoinCall, mem: Memory, work: PieceWork | undefined): [A, B] {
  const { la, lb, here } = call;
  if (scheduled(mem)) return sequential(la, lb, here, work);
  ensureStarted(registry);
  const task = callTask(lb, call.latch);
  const i32 = mem.i32;
  const base = task >> 2;
  // Read while the record is surely ours: once `b` is taken back below, a thread that pops the stale entry frees the record at once (registry.ts runCall), and its memory may already hold another task.
  const capturesPtr = i32[base + T.b]!;
  const capturesLen = i32[base + T.c]!;
  if (!push(registry, task)) {
    freeCaptures(task);
    mem.free(task);
    return sequential(la, lb, here, work);
  }
  const { value: ra, panic: panicA } = runA<A>(la, here, work);
  if (Atomics.compareExchange(i32, base + T.state, TaskState.pending, TaskState.inline) === TaskState.pending) {
    // Nobody took `b`: run it here. The deque entry is now stale; whoever pops it frees the record (registry.ts runCall), so the record is not read again.
    if (capturesLen > 0) mem.free(capturesPtr);
    return [ra as A, runAfter<B>(lb, here, panicA, work)];
  }
  const b = awaitCall(registry, task, mem);
  if (work !== undefined) work.second = b.micros; // the thief timed it (registry.ts runCall)
  if (panicA) throw panicA.error;
  if (b.panicked) rethrow(b.value as ParPanic);
  return [ra as A, b.value as B];
}

/**
 * `pool.join` from a thread that is not one of the pool's: `a` and `b` both
 * go to the pool's injector, in that order, and this thread waits for the
 * two. Rayon's `ThreadPool::join` is `install(|| join(a, b))`, and Rayon's
 * `install` from outside the pool hands the whole call to a pool thread: so
 * both closures run on the pool, never on the caller. Both always run; `a`'s
 * panic wins over `b`'s, as in `join`.
 */
function joinOnPool<A, B>(registry: number, call: JoinCall, mem: Memory, work: PieceWork | undefined): [A, B] {
  const { la, lb, here: args } = call;
  ensureStarted(registry);
  const ta = callTask(la, call.latch);
  if (!push(registry, ta)) {
    // The injector is full (1024 waiting tasks): join as install(() => join(a, b)) does, `a` here.
    freeCaptures(ta);
    mem.free(ta);
    return withRegistry(registry, () => joinOnRegistry<A, B>(registry, call, mem, work));
  }
  const tb = callTask(lb, call.latch);
  let b: { value: unknown; panicked: boolean; micros: number } | undefined;
  let here: { value?: B; panic?: { error: unknown } } | undefined;
  if (push(registry, tb)) b = awaitCall(registry, tb, mem);
  else {
    // Full after `a`: `b` runs here, as a push that finds the deque full runs its task in place.
    freeCaptures(tb);
    mem.free(tb);
    here = withRegistry(registry, () => runA<B>(lb, args, undefined));
  }
  const a = awaitCall(registry, ta, mem);
  if (work !== undefined) {
    work.first = a.micros;
    if (b !== undefined) work.second = b.micros;
  }
  if (a.panicked) rethrow(a.value as ParPanic);
  if (here?.panic) throw here.panic.error;
  if (b?.panicked) rethrow(b.value as ParPanic);
  return [a.value as A, (b !== undefined ? b.value : here!.value) as B];
}

/**
 * Waits until a call task on `registry` has run (a worker of that registry
 * runs other tasks meanwhile), then takes its result, or its panic, and
 * frees the task: the value it returned, or the ParPanic it threw, and how
 * long it took when it was timed (registry.ts runCall).
 */
function awaitCall(registry: number, task: number, mem: Memory): { value: unknown; panicked: boolean; micros: number } {
  const i32 = mem.i32;
  const base = task >> 2;
  for (let state = Atomics.load(i32, base + T.state); state === TaskState.pending || state === TaskState.running; state = Atomics.load(i32, base + T.state)) {
    waitFor(registry, base + T.state, state);
  }
  const state = Atomics.load(i32, base + T.state);
  const len = i32[base + T.resultLen]!;
  const value = len > 0 ? decodeValue(mem.read(i32[base + T.resultPtr]!, len), { owned: state === TaskState.done }) : undefined;
  if (len > 0) mem.free(i32[base + T.resultPtr]!);
  const micros = i32[base + T.micros]!;
  mem.free(task);
  return { value, panicked: state === TaskState.panicked, micros };
}

/**
 * `a` then `b` on this thread. Rayon runs both closures whatever happens:
 * if `a` panics, `b` still runs, then `a`'s panic propagates (and wins over
 * `b`'s if both panic). https://docs.rs/rayon/latest/rayon/fn.join.html#panics
 */
function sequential<A, B>(la: Lifted, lb: Lifted, args: unknown[], work?: PieceWork): [A, B] {
  const { value: ra, panic: panicA } = runA<A>(la, args, work);
  return [ra as A, runAfter<B>(lb, args, panicA, work)];
}

/** Runs `a` here, catching its panic so that `b` still runs before it propagates; its time goes in `work.first`. */
function runA<A>(la: Lifted, args: unknown[], work: PieceWork | undefined): { value?: A; panic?: { error: unknown } } {
  const started = work !== undefined ? pieceStart() : -1;
  try {
    return { value: la.fn(...args) as A };
  } catch (error) {
    return { panic: { error } };
  } finally {
    if (work !== undefined) work.first = pieceMicros(started);
  }
}

/** Runs `b` here after `a` ended, then rethrows `a`'s panic if it had one; its time goes in `work.second`. */
function runAfter<B>(lb: Lifted, args: unknown[], panicA: { error: unknown } | undefined, work: PieceWork | undefined): B {
  let rb: B;
  const started = work !== undefined ? pieceStart() : -1;
  try {
    rb = lb.fn(...args) as B;
  } catch (error) {
    throw panicA ? panicA.error : error;
  } finally {
    if (work !== undefined) work.second = pieceMicros(started);
  }
  if (panicA) throw panicA.error;
  return rb;
}

function freeCaptures(task: number): void {
  const mem = context().memory;
  const i32 = mem.i32;
  if (i32[(task >> 2) + T.c]! > 0) mem.free(i32[(task >> 2) + T.b]!);
}

/** Rayon's `Scope`: spawns closures onto the pool that `scope` waits for. */
export class Scope {
  readonly #registry: number;
  /** Words: 0 spawns not finished, 1-3 the first panic (registry.ts recordPanic), 4 whether it is FIFO (SCOPE_FIFO). */
  readonly #record: number;

  /** @internal made by `scope`. */
  constructor(registry: number, record: number) {
    this.#registry = registry;
    this.#record = record;
  }

  /**
   * Runs `f` on the pool; the enclosing `scope` waits for it. `f` borrows
   * what it captures (weft handles shared, plain data copied). As in Rayon,
   * `f` is given the scope, so it may spawn more work into it:
   * `s.spawn((s) => { s.spawn(() => …); })`, recursively, and `scope`
   * still waits for all of it.
   */
  spawn(f: (s: Scope) => void): void {
    spawnInto(this, this.#registry, this.#record, f, 'spawn', false);
  }

  /**
   * Runs `f(s, ctx)` once on each thread of the scope's pool; the enclosing
   * `scope` waits for every call (Rayon's `Scope::spawn_broadcast`). `f`
   * borrows what it captures, as `spawn`'s closures do; `ctx` is a
   * BroadcastContext with the thread's index.
   */
  spawnBroadcast(f: (s: Scope, ctx: BroadcastContext) => void): void {
    scopeBroadcastIn(this.#registry, this.#record, this, f);
  }
}

/**
 * Rayon's `ScopeFifo`, made by `scopeFifo`: its `spawnFifo` starts the
 * closures one thread spawned in the order it spawned them, where a plain
 * scope starts the newest first.
 */
export class ScopeFifo {
  readonly #registry: number;
  readonly #record: number;

  /** @internal made by `scopeFifo`. */
  constructor(registry: number, record: number) {
    this.#registry = registry;
    this.#record = record;
  }

  /**
   * Runs `f` on the pool, as `Scope.spawn` does, but behind the closures
   * this thread spawned into the scope before it rather than ahead of them
   * (Rayon's `spawn_fifo`). `f` is given the scope, to spawn more.
   */
  spawnFifo(f: (s: ScopeFifo) => void): void {
    spawnInto(this, this.#registry, this.#record, f, 'spawnFifo', true);
  }

  /** `Scope.spawnBroadcast`, given this ScopeFifo (Rayon's `ScopeFifo::spawn_broadcast`). */
  spawnBroadcast(f: (s: ScopeFifo, ctx: BroadcastContext) => void): void {
    scopeBroadcastIn(this.#registry, this.#record, this, f);
  }
}

/**
 * A scope's spawn: counted in the scope's record, run on the pool, or here
 * under a seed (or with the queue full). A worker pops its own deque newest
 * first, which is a plain scope's order (Rayon's LIFO); a FIFO scope's
 * spawns from a worker are marked as the scope's FIFO queue, and popping
 * one runs the oldest of them still waiting, as Rayon's stub jobs do
 * (registry.ts push and popBottom). Spawns from outside the pool go on its
 * injector, which workers take oldest first. (Rayon runs a scope's body on a
 * pool thread; weft runs it on the calling thread, so the pool's threads may
 * start its first spawns while it is still spawning.)
 */
function spawnInto<S>(scope: S, registry: number, record: number, f: (s: S) => void, api: string, fifo: boolean): void {
  const lifted = liftedForPar(f, api);
  const mem = context().memory;
  const i32 = mem.i32;
  if (scheduled(mem)) {
    try {
      lifted.fn(scope);
    } catch (error) {
      recordPanic(record, encodeValue(panicOf(error), { mode: 'borrow' }));
    }
    return;
  }
  ensureStarted(registry);
  Atomics.add(i32, record >> 2, 1);
  const task = callTask(lifted, record);
  const onWorker = currentWorker()?.registry === registry;
  if (!push(registry, task, 1, fifo && onWorker ? record : 0)) {
    freeCaptures(task);
    mem.free(task);
    Atomics.sub(i32, record >> 2, 1);
    lifted.fn(scope);
  }
}

// A spawned closure that runs on a pool worker gets a Scope for the same record, as does a scope's broadcast call.
const scopeFor = (registry: number, record: number): Scope | ScopeFifo =>
  context().memory.i32[(record >> 2) + SCOPE_FIFO] !== 0 ? new ScopeFifo(registry, record) : new Scope(registry, record);
setScopeMaker(scopeFor);
setBroadcastScopeMaker(scopeFor);

/** The FIFO queue of `spawnFifo`s from a pool thread: the thread's own (a ScopeFifo's is the scope's record). */
const OWN_FIFO = -1;

/** A scope's record: 0 spawns not finished, 1-3 the first panic (registry.ts recordPanic), 4 whether it is a FIFO scope. */
const SCOPE_FIFO = 4;

/**
 * Runs `f` with a Scope; returns once every closure spawned in it has
 * finished, then rethrows the first panic among them (Rayon's `scope`).
 */
export function scope<R>(f: (s: Scope) => R): R {
  return runScope(false, (registry, record) => f(new Scope(registry, record)));
}

/**
 * Like `scope`, with a ScopeFifo whose `spawnFifo` starts the closures a
 * thread spawned in the order it spawned them (Rayon's `scope_fifo`).
 */
export function scopeFifo<R>(f: (s: ScopeFifo) => R): R {
  return runScope(true, (registry, record) => f(new ScopeFifo(registry, record)));
}

function runScope<R>(fifo: boolean, body: (registry: number, record: number) => R): R {
  const mem = context().memory;
  const i32 = mem.i32;
  const registry = currentRegistry();
  const record = mem.allocRecord(5);
  if (fifo) i32[(record >> 2) + SCOPE_FIFO] = 1;
  const count = record >> 2;
  let result: R | undefined;
  let failure: { error: unknown } | undefined;
  try {
    result = body(registry, record);
  } catch (error) {
    failure = { error };
  }
  for (let left = Atomics.load(i32, count); left !== 0; left = Atomics.load(i32, count)) waitFor(registry, count, left);
  const panic = takePanic(record);
  mem.free(record);
  if (failure) throw failure.error;
  if (panic !== undefined) rethrow(panic);
  return result as R;
}

/**
 * `scope`, as Rayon's `in_place_scope` is: its body runs on the calling
 * thread, which is where weft's `scope` always runs it.
 */
export function inPlaceScope<R>(f: (s: Scope) => R): R {
  return scope(f);
}

/**
 * `scopeFifo`, as Rayon's `in_place_scope_fifo` is: its body runs on the
 * calling thread, which is where weft's `scopeFifo` always runs it.
 */
export function inPlaceScopeFifo<R>(f: (s: ScopeFifo) => R): R {
  return scopeFifo(f);
}


/**
 * Runs `f` on the pool, some time later, and returns at once: nobody waits
 * for it (Rayon's `spawn`). Like a thread's, `f` takes what it captures:
 * handles move into it (clone them first to keep one) and are dropped when
 * it ends, so a Sender it held disconnects then. It may outlive the code
 * that spawned it, but not the run: when `main` returns, the run ends. A
 * panic in `f` is shown as a thread's and the pool goes on (Rayon, with no
 * panic handler set, aborts the process).
 */
export function spawn(f: () => void): void {
  spawnIn(currentRegistry(), f);
}

/**
 * `spawn`, but a pool thread that spawns several closures starts them in
 * the order it spawned them, oldest first, where `spawn` starts its newest
 * first (Rayon's `spawn_fifo`). From outside the pool both are FIFO: the
 * pool takes work from outside in the order it came, as Rayon's injector does.
 */
export function spawnFifo(f: () => void): void {
  spawnIn(currentRegistry(), f, true);
}

/** @internal `spawn` (or `spawnFifo`) onto `registry` (ThreadPool.spawn, ThreadPool.spawnFifo). */
export function spawnIn(registry: number, f: () => void, fifo = false): void {
  const api = fifo ? 'spawnFifo' : 'spawn';
  const lifted = liftedForPar(f, api, `Write the closure in the call: ${api}(() => …), with ${api} imported from weft/par, or pool.${api}(() => …)`);
  const mem = context().memory;
  const location = lazyCallerLocation();
  const captures = encodeCaptures(lifted.captures(), {
    mode: 'move',
    target: {
      into: 'a task spawned on the thread pool',
      get location() {
        return location();
      },
    },
  });
  // Under a seed, or with the pool's queue full: run now, on this thread, rebuilt from the captures it took.
  const runHere = (): void => runDetached((decoded) => rebuildClosure(lifted.id, decoded) as () => unknown, captures.length > 0 ? captures : undefined, registry);
  if (scheduled(mem)) return runHere();
  ensureStarted(registry);
  const task = newTask(TaskKind.call, lifted.id, captures.length > 0 ? mem.store(captures) : 0, captures.length, DETACHED);
  // A worker pops its own deque newest first; a FIFO spawn from one of this registry's workers is marked as one of
  // the worker's own FIFO queue (-1), so it pops them oldest first, as Rayon's worker's JobFifo does (registry.ts popBottom).
  if (!push(registry, task, 1, fifo && currentWorker()?.registry === registry ? OWN_FIFO : 0)) {
    freeCaptures(task);
    mem.free(task);
    runHere();
  }
}
