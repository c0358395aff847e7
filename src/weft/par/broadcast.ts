/**
 * Rayon's `broadcast` and `spawn_broadcast` (rayon-core 1.10): run one
 * closure once on every thread of a pool.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/fn.broadcast.html,
 * https://docs.rs/rayon/latest/rayon/fn.spawn_broadcast.html
 *
 * Each pool thread gets a task of its own on its broadcast queue, which no
 * other thread steals from (registry.ts). The tasks share one record in run
 * memory (B words): how many calls are left, the first panic
 * (registry.ts recordPanic), and the closure's captures, encoded once.
 * `broadcast` borrows its captures, as `join` does, waits for every call
 * and returns their results in thread order; `spawnBroadcast` takes its
 * captures, as `spawn` does, returns at once, and the last call to finish
 * drops them (Rust drops the closure's `Arc` then).
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeCaptures, encodeValue } from '../runtime/codec.ts';
import { lazyCallerLocation } from '../runtime/context.ts';
import { dropTree } from '../runtime/ownership.ts';
import { scheduled } from '../runtime/scheduler.ts';
import { wake } from '../runtime/wait.ts';
import { RunStopped } from '../runtime/stop.ts';
import { rebuildClosure } from '../runtime/lift.ts';
import { BroadcastContext } from './contexts.ts';
import { currentRegistry } from './current.ts';
import { liftedForPar } from './lifted.ts';
import {
  ensureStarted,
  helpOrPause,
  newTask,
  panicOf,
  pushBroadcast,
  recordPanic,
  registryThreads,
  rethrow,
  runDetached,
  setBroadcastRunner,
  takePanic,
  T,
  TaskKind,
  waitFor,
  type ParPanic,
  type WorkerState,
} from './registry.ts';

/**
 * Words of a broadcast's record: 0 calls left, 1-3 the first panic (recordPanic), 4-5 captures (pointer, length),
 * 6 whether nobody waits (spawnBroadcast), 7 the record of the scope it was spawned into (a scope's spawnBroadcast), or 0.
 */
const B = { left: 0, capturesPtr: 4, capturesLen: 5, detached: 6, scope: 7 } as const;
const B_WORDS = 8;

/** Makes the Scope or ScopeFifo a scope's broadcast call is given, on the pool thread that runs it (join.ts sets it). */
let scopeMaker: ((registry: number, record: number) => unknown) | undefined;
export function setBroadcastScopeMaker(make: (registry: number, record: number) => unknown): void {
  scopeMaker = make;
}

/**
 * @internal A scope's `spawnBroadcast` (Rayon's `Scope::spawn_broadcast`): `f(scope, ctx)` once on each
 * thread of the scope's pool, borrowing its captures as the scope's spawns do; the scope counts the
 * broadcast as one spawn, finished when its last call is, and takes the first panic of its calls.
 */
export function scopeBroadcastIn<S>(registry: number, scopeRecord: number, scope: S, f: (s: S, ctx: BroadcastContext) => void): void {
  const lifted = liftedForPar(f, 'spawnBroadcast', 'Write the closure in the call: s.spawnBroadcast((s, ctx) => …)');
  const mem = context().memory;
  const n = registryThreads(registry);
  if (scheduled(mem)) {
    for (let index = 0; index < n; index++) {
      try {
        lifted.fn(scope, new BroadcastContext(index, n));
      } catch (error) {
        recordPanic(scopeRecord, encodeValue(panicOf(error), { mode: 'borrow' }));
      }
    }
    return;
  }
  const captures = encodeCaptures(lifted.captures(), { mode: 'borrow' });
  Atomics.add(mem.i32, scopeRecord >> 2, 1);
  const record = newRecord(captures, false, n);
  mem.i32[(record >> 2) + B.scope] = scopeRecord;
  post(registry, lifted.id, record, n);
}

/**
 * Runs `f` once on each thread of the current pool (the one `install`ed, the
 * pool of the thread running this, else the global one), at the same time
 * where they are free, and returns what each call returned, in thread-index
 * order (Rayon's `broadcast`). `f` borrows what it captures, as `join`'s
 * closures do. Each call gets a BroadcastContext with its thread's index.
 * Every call runs even if one panics; then the first panic is rethrown here.
 * Under a seed, the calls run one after another on this thread.
 */
export function broadcast<R>(f: (ctx: BroadcastContext) => R): R[] {
  return broadcastIn(currentRegistry(), f);
}

/**
 * Runs `f` once on each thread of the current pool, some time later, and
 * returns at once: nobody waits for it (Rayon's `spawn_broadcast`). Like
 * `spawn`'s, `f` takes what it captures (handles move into it) and they are
 * dropped after its last call. A panic in a call is shown as a thread's, and
 * the other calls run (Rayon hands it to the pool's panic handler, or aborts).
 */
export function spawnBroadcast(f: (ctx: BroadcastContext) => void): void {
  spawnBroadcastIn(currentRegistry(), f);
}

const HOW = 'Write the closure in the call: broadcast((ctx) => …), with broadcast imported from weft/par, or pool.broadcast((ctx) => …)';
const SPAWN_HOW = 'Write the closure in the call: spawnBroadcast((ctx) => …), with spawnBroadcast imported from weft/par, or pool.spawnBroadcast((ctx) => …)';

/** @internal `broadcast` on `registry` (ThreadPool.broadcast). */
export function broadcastIn<R>(registry: number, f: (ctx: BroadcastContext) => R): R[] {
  const lifted = liftedForPar(f, 'broadcast', HOW);
  const mem = context().memory;
  const n = registryThreads(registry);
  if (scheduled(mem)) {
    const results: R[] = [];
    let failure: { error: unknown } | undefined;
    for (let index = 0; index < n; index++) {
      try {
        results.push(lifted.fn(new BroadcastContext(index, n)) as R);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
    return results;
  }
  const captures = encodeCaptures(lifted.captures(), { mode: 'borrow' });
  const record = newRecord(captures, false, n);
  const tasks = post(registry, lifted.id, record, n);
  const i32 = mem.i32;
  const left = (record >> 2) + B.left;
  for (let now = Atomics.load(i32, left); now !== 0; now = Atomics.load(i32, left)) waitFor(registry, left, now);
  const panic = takePanic(record);
  const results: R[] = [];
  for (const task of tasks) {
    const base = task >> 2;
    const len = i32[base + T.resultLen]!;
    const value = len > 0 ? decodeValue(mem.read(i32[base + T.resultPtr]!, len), { owned: true }) : undefined;
    if (len > 0) mem.free(i32[base + T.resultPtr]!);
    mem.free(task);
    // A broadcast that panics returns nothing: what the other calls returned is dropped.
    if (panic !== undefined) dropTree(value);
    else results.push(value as R);
  }
  freeRecord(record);
  if (panic !== undefined) rethrow(panic);
  return results;
}

/** @internal `spawnBroadcast` on `registry` (ThreadPool.spawnBroadcast). */
export function spawnBroadcastIn(registry: number, f: (ctx: BroadcastContext) => void): void {
  const lifted = liftedForPar(f, 'spawnBroadcast', SPAWN_HOW);
  const mem = context().memory;
  const location = lazyCallerLocation();
  const captures = encodeCaptures(lifted.captures(), {
    mode: 'move',
    target: {
      into: 'a closure broadcast to the thread pool',
      get location() {
        return location();
      },
    },
  });
  const n = registryThreads(registry);
  if (scheduled(mem)) {
    // Under a seed: each call now, on this thread, rebuilt from the captures it took; then they are dropped.
    const bytes = captures.length > 0 ? captures : undefined;
    for (let index = 0; index < n; index++) {
      const decoded = bytes !== undefined ? (decodeValue(bytes, { owned: false }) as Record<string, unknown>) : {};
      const closure = rebuildClosure(lifted.id, decoded) as (ctx: BroadcastContext) => unknown;
      runDetached(() => () => closure(new BroadcastContext(index, n)), undefined, registry);
    }
    if (bytes !== undefined) dropTree(decodeValue(bytes, { owned: true }));
    return;
  }
  const record = newRecord(captures, true, n);
  post(registry, lifted.id, record, n);
}

function newRecord(captures: Uint8Array, detached: boolean, n: number): number {
  const mem = context().memory;
  const record = mem.allocRecord(B_WORDS);
  const base = record >> 2;
  mem.i32[base + B.left] = n;
  mem.i32[base + B.detached] = detached ? 1 : 0;
  if (captures.length > 0) {
    mem.i32[base + B.capturesPtr] = mem.store(captures);
    mem.i32[base + B.capturesLen] = captures.length;
  }
  return record;
}

function freeRecord(record: number): void {
  const mem = context().memory;
  const base = record >> 2;
  if (mem.i32[base + B.capturesLen]! > 0) mem.free(mem.i32[base + B.capturesPtr]!);
  mem.free(record);
}

/** One task per pool thread, each on that thread's broadcast queue (waiting while one is full). */
function post(registry: number, closureId: number, record: number, n: number): number[] {
  ensureStarted(registry);
  const tasks: number[] = [];
  for (let index = 0; index < n; index++) {
    const task = newTask(TaskKind.broadcast, closureId, record, index);
    tasks.push(task);
    while (!pushBroadcast(registry, index, task)) helpOrPause(registry);
  }
  return tasks;
}

/** A pool thread runs its call of a broadcast: `a` the closure id, `b` the shared record, `c` this thread's index. */
function runBroadcastTask(state: WorkerState, task: number): void {
  const mem = context().memory;
  const i32 = mem.i32;
  const base = task >> 2;
  const closureId = i32[base + T.a]!;
  const record = i32[base + T.b]!;
  const index = i32[base + T.c]!;
  const rb = record >> 2;
  const n = registryThreads(state.registry);
  const capturesLen = i32[rb + B.capturesLen]!;
  const borrowed = (): Record<string, unknown> =>
    capturesLen > 0 ? (decodeValue(mem.read(i32[rb + B.capturesPtr]!, capturesLen), { owned: false }) as Record<string, unknown>) : {};
  const ctx = new BroadcastContext(index, n);
  const scope = i32[rb + B.scope]!;
  if (scope !== 0) {
    // A scope's broadcast: nobody reads the results; a panic is the scope's, and its last call ends the scope's spawn.
    mem.free(task);
    try {
      const closure = state.factories[closureId]!(borrowed()) as (s: unknown, ctx: BroadcastContext) => unknown;
      closure(scopeMaker!(state.registry, scope), ctx);
    } catch (error) {
      if (error instanceof RunStopped) throw error;
      recordPanic(scope, encodeValue(panicOf(error) as ParPanic, { mode: 'borrow' }));
    }
    if (Atomics.sub(i32, rb + B.left, 1) === 1) {
      freeRecord(record);
      if (Atomics.sub(i32, scope >> 2, 1) === 1) wake(i32, scope >> 2);
    }
    return;
  }
  if (i32[rb + B.detached] === 1) {
    mem.free(task);
    runDetached(() => {
      const closure = state.factories[closureId]!(borrowed()) as (ctx: BroadcastContext) => unknown;
      return () => closure(ctx);
    }, undefined, state.registry);
    if (Atomics.sub(i32, rb + B.left, 1) === 1) {
      // The last call: the closure goes, and what it took with it.
      if (capturesLen > 0) dropTree(decodeValue(mem.read(i32[rb + B.capturesPtr]!, capturesLen), { owned: true }));
      freeRecord(record);
    }
    return;
  }
  let result: Uint8Array | undefined;
  try {
    const closure = state.factories[closureId]!(borrowed()) as (ctx: BroadcastContext) => unknown;
    result = encodeValue(closure(ctx), { mode: 'move', target: { into: 'the thread that called broadcast' } });
  } catch (error) {
    if (error instanceof RunStopped) throw error;
    recordPanic(record, encodeValue(panicOf(error) as ParPanic, { mode: 'borrow' }));
  }
  if (result !== undefined && result.length > 0) {
    i32[base + T.resultPtr] = mem.store(result);
    i32[base + T.resultLen] = result.length;
  }
  if (Atomics.sub(i32, rb + B.left, 1) === 1) wake(i32, rb + B.left);
}

setBroadcastRunner(runBroadcastTask);
