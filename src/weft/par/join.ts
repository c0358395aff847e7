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
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeCaptures, encodeValue } from '../runtime/codec.ts';
import { scheduled } from '../runtime/scheduler.ts';
import { pieceMicros, pieceStart, traceEventWithResults, traceResults, type PieceWork } from '../runtime/trace.ts';
import { type Lifted } from '../runtime/lift.ts';
import { liftedForPar } from './lifted.ts';
import { currentRegistry } from './current.ts';
import { ensureStarted, newTask, panicOf, push, recordPanic, rethrow, setScopeMaker, takePanic, TaskKind, TaskState, T, waitFor, type ParPanic } from './registry.ts';
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
  const la = liftedForPar(a, 'join');
  const lb = liftedForPar(b, 'join');
  const mem = context().memory;
  const at = traceEventWithResults('par-join', joinDepth);
  // In a traced free run, how long each closure took, µs, on whichever thread ran it.
  const work: PieceWork | undefined = at >= 0 && pieceStart() >= 0 ? { first: 0, second: 0 } : undefined;
  joinDepth++;
  try {
    const results = joinOnRegistry<A, B>(la, lb, mem, work);
    traceResults(at, results[0], results[1], work); // the par-join event carries both results, when they are numbers
    return results;
  } finally {
    joinDepth--;
  }
}

/** How many join calls enclose the running code on this thread (the trace's par-join events carry it). */
let joinDepth = 0;
runLocal(() => (joinDepth = 0));

function joinOnRegistry<A, B>(la: Lifted, lb: Lifted, mem: ReturnType<typeof context>['memory'], work: PieceWork | undefined): [A, B] {
  if (scheduled(mem)) return sequential(la, lb, work);
  const registry = currentRegistry();
  ensureStarted(registry);
  const task = callTask(lb);
  const i32 = mem.i32;
  const base = task >> 2;
  if (!push(registry, task)) {
    freeCaptures(task);
    mem.free(task);
    return sequential(la, lb, work);
  }
  const { value: ra, panic: panicA } = runA<A>(la, work);
  if (Atomics.compareExchange(i32, base + T.state, TaskState.pending, TaskState.inline) === TaskState.pending) {
    // Nobody took `b`: run it here. The deque entry is now stale; whoever pops it frees the record (registry.ts runCall).
    freeCaptures(task);
    return [ra as A, runAfter<B>(lb, panicA, work)];
  }
  while (Atomics.load(i32, base + T.state) === TaskState.running) waitFor(registry, base + T.state, TaskState.running);
  const state = Atomics.load(i32, base + T.state);
  if (work !== undefined) work.second = i32[base + T.micros]!; // the thief timed it (registry.ts runCall)
  const len = i32[base + T.resultLen]!;
  const value = len > 0 ? decodeValue(mem.read(i32[base + T.resultPtr]!, len), { owned: state === TaskState.done }) : undefined;
  if (len > 0) mem.free(i32[base + T.resultPtr]!);
  mem.free(task);
  if (panicA) throw panicA.error;
  if (state === TaskState.panicked) rethrow(value as ParPanic);
  return [ra as A, value as B];
}

/**
 * `a` then `b` on this thread. Rayon runs both closures whatever happens:
 * if `a` panics, `b` still runs, then `a`'s panic propagates (and wins over
 * `b`'s if both panic). https://docs.rs/rayon/latest/rayon/fn.join.html#panics
 */
function sequential<A, B>(la: Lifted, lb: Lifted, work?: PieceWork): [A, B] {
  const { value: ra, panic: panicA } = runA<A>(la, work);
  return [ra as A, runAfter<B>(lb, panicA, work)];
}

/** Runs `a` here, catching its panic so that `b` still runs before it propagates; its time goes in `work.first`. */
function runA<A>(la: Lifted, work: PieceWork | undefined): { value?: A; panic?: { error: unknown } } {
  const started = work !== undefined ? pieceStart() : -1;
  try {
    return { value: la.fn() as A };
  } catch (error) {
    return { panic: { error } };
  } finally {
    if (work !== undefined) work.first = pieceMicros(started);
  }
}

/** Runs `b` here after `a` ended, then rethrows `a`'s panic if it had one; its time goes in `work.second`. */
function runAfter<B>(lb: Lifted, panicA: { error: unknown } | undefined, work: PieceWork | undefined): B {
  let rb: B;
  const started = work !== undefined ? pieceStart() : -1;
  try {
    rb = lb.fn() as B;
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
  /** Words: 0 spawns not finished, 1-3 the first panic (registry.ts recordPanic). */
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
    const lifted = liftedForPar(f, 'spawn');
    const mem = context().memory;
    const i32 = mem.i32;
    if (scheduled(mem)) {
      try {
        lifted.fn(this);
      } catch (error) {
        recordPanic(this.#record, encodeValue(panicOf(error), { mode: 'borrow' }));
      }
      return;
    }
    ensureStarted(this.#registry);
    Atomics.add(i32, this.#record >> 2, 1);
    const task = callTask(lifted, this.#record);
    if (!push(this.#registry, task)) {
      freeCaptures(task);
      mem.free(task);
      Atomics.sub(i32, this.#record >> 2, 1);
      lifted.fn(this);
    }
  }
}

// A spawned closure that runs on a pool worker gets a Scope for the same record.
setScopeMaker((registry, record) => new Scope(registry, record));

/**
 * Runs `f` with a Scope; returns once every closure spawned in it has
 * finished, then rethrows the first panic among them (Rayon's `scope`).
 */
export function scope<R>(f: (s: Scope) => R): R {
  const mem = context().memory;
  const i32 = mem.i32;
  const registry = currentRegistry();
  const record = mem.allocRecord(4);
  const count = record >> 2;
  let result: R | undefined;
  let failure: { error: unknown } | undefined;
  try {
    result = f(new Scope(registry, record));
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
