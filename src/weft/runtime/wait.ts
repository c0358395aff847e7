/**
 * Blocking waits, the one place weft calls Atomics.wait.
 *
 * Waits are cut into finite slices (SLICE_MS) so a blocked thread notices a
 * stop request and, later, a scheduler's decision; Rust's futex waits are
 * the model (https://man7.org/linux/man-pages/man2/futex.2.html): a waiter
 * may wake spuriously, so every caller re-checks its condition in a loop.
 */
import { traceEvent } from './trace.ts';
import { context } from './context.ts';
import { H } from './memory.ts';
import { S, slot } from './thread-table.ts';
import { RunStopped, SLICE_MS } from './stop.ts';
import { scheduled, scheduledWait } from './scheduler.ts';

const headers = new WeakMap<ArrayBufferLike, Int32Array>();

/**
 * The run's header, for the stop flag, whatever view a wait was given: a
 * primitive may wait through a fixed-length view of its own record, whose
 * index 0 is not the header's.
 */
function stopWordView(i32: Int32Array): Int32Array {
  if (i32.byteOffset === 0) return i32;
  let header = headers.get(i32.buffer);
  if (header === undefined) headers.set(i32.buffer, (header = new Int32Array(i32.buffer, 0, H.stop + 1)));
  return header;
}

/**
 * Blocks while `i32[index] === value`, at most `timeoutMs`.
 * Returns false on timeout, true when woken or the value differs (which may
 * be spurious: callers re-check).
 */
/** A `wake` event's data word 0 when the wait ran out of time instead of being woken. */
export const WAKE_TIMED_OUT = 1;

export function waitWhileEqual(i32: Int32Array, index: number, value: number, timeoutMs = Infinity, spin = true): boolean {
  if (spin && timeoutMs > 0 && spinWhileEqual(i32, index, value)) return true;
  const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
  for (;;) {
    if (Atomics.load(stopWordView(i32), H.stop) !== 0) throw new RunStopped();
    const remaining = deadline - performance.now();
    if (remaining <= 0) return false;
    const result = Atomics.wait(i32, index, value, Math.min(SLICE_MS, remaining));
    if (result !== 'timed-out') return true;
  }
}

/**
 * How long a waiter watches the word before it sleeps. Waking a sleeping
 * thread costs 20-150 µs on this 2-core VM under load (measured: spawn+join
 * 55-400 µs without the spin, one Atomics.wait/notify round trip 3 µs when
 * neither side sleeps long), while a join, a recv or a rendezvous is often
 * answered within microseconds. Short enough that a waiter that does sleep
 * has wasted little (parking_lot and glibc's adaptive mutex spin likewise).
 */
export const SPIN_MS = 0.03;

/** true as soon as `i32[index] !== value`; false after SPIN_MS of watching. */
export function spinWhileEqual(i32: Int32Array, index: number, value: number, spinMs = SPIN_MS): boolean {
  const until = performance.now() + spinMs;
  for (;;) {
    for (let i = 0; i < 64; i++) if (Atomics.load(i32, index) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** Wakes up to `count` threads blocked on `i32[index]`; returns how many were asleep there. */
export function wake(i32: Int32Array, index: number, count = Infinity): number {
  return Atomics.notify(i32, index, count);
}

/**
 * What a blocked thread waits for. Every blocking call in weft goes through
 * `blockWhileEqual` with one of these, so a deadlock report, the trace and
 * the seeded scheduler all know who waits on what.
 */
export type WaitKind =
  | 'mutex' // Mutex.lock
  | 'rwlock-read'
  | 'rwlock-write'
  | 'condvar'
  | 'barrier'
  | 'once'
  | 'channel-recv'
  | 'channel-send' // a full syncChannel, or a rendezvous waiting for its receiver
  | 'join' // JoinHandle.join / scope end
  | 'park'
  | 'sleep'
  | 'par-job' // a weft/par caller waiting for its job (or a join's other half) to finish on the pool
  | 'par-idle' // a weft/par registry's worker with nothing to do
  | 'par-lent' // a weft/par registry's worker whose place another thread holds, to run install's or a scope's body (par/registry.ts runAsWorker)
  | 'thread-slot'; // a spawn waiting for a place in the full thread table (runtime/threads.ts takeThreadSlot)

export interface WaitTarget {
  kind: WaitKind;
  /**
   * The primitive's identity: the byte address of its record in run memory
   * (a Mutex's, a channel's, a thread slot's for join/park). 0 for sleep.
   */
  object: number;
}

/** Codes stored in a thread slot's waitKind word; 0 means "not blocked". */
export const WAIT_KINDS: readonly WaitKind[] = [
  'mutex',
  'rwlock-read',
  'rwlock-write',
  'condvar',
  'barrier',
  'once',
  'channel-recv',
  'channel-send',
  'join',
  'park',
  'sleep',
  'par-job',
  'par-idle',
  'thread-slot',
  'par-lent',
];

/** In an object without a prototype, so a program that rewrites Array.prototype.indexOf cannot change what the trace records. */
const WAIT_KIND_CODES: Record<string, number> = Object.create(null);
WAIT_KINDS.forEach((kind, i) => (WAIT_KIND_CODES[kind] = i + 1));

export function waitKindCode(kind: WaitKind): number {
  return WAIT_KIND_CODES[kind]!;
}

/**
 * Told of every blocking wait of this thread while weft/task's executor runs
 * on it (task/runtime.ts), so a blocking call made inside a task can be
 * reported as blocking the executor. Unset otherwise: one property read.
 */
export const blockingObserver: { current?: ((kind: WaitKind) => void) | undefined } = {};

/**
 * A thread that is still blocked after this long records where (the reader's
 * line): mapping a stack costs tens of microseconds, too much for every short
 * wait, and only a long wait can end up in a deadlock report.
 */
const LOCATE_AFTER_MS = 100;

/**
 * Blocks while `i32[index] === value`, at most `timeoutMs`, recording in the
 * calling thread's slot what it waits for (`target`) for as long as it waits.
 * Same contract as `waitWhileEqual`: true when woken or the value differs
 * (callers re-check), false on timeout. `spin`: false when the caller has
 * already watched the word (it sleeps at once).
 */
export function blockWhileEqual(
  i32: Int32Array,
  index: number,
  value: number,
  timeoutMs: number,
  target: WaitTarget,
  spin = true,
): boolean {
  if (Atomics.load(i32, index) !== value) return true;
  blockingObserver.current?.(target.kind);
  const ctx = context();
  const words = ctx.memory.i32;
  const at = (word: number) => slot(ctx.threadId, word);
  words[at(S.waitObject)] = target.object;
  words[at(S.waitTimed)] = timeoutMs === Infinity ? 0 : 1;
  words[at(S.waitLine)] = 0;
  words[at(S.waitColumn)] = 0;
  // The word and value it waits on, so the deadlock watchdog can tell a thread that has been woken but not yet run (runner/deadlock.ts).
  words[at(S.waitIndex)] = (i32.byteOffset >> 2) + index;
  words[at(S.waitValue)] = value;
  Atomics.add(words, at(S.blockSeq), 1);
  Atomics.store(words, at(S.waitKind), waitKindCode(target.kind));
  traceEvent('block', target.object, [waitKindCode(target.kind)]);
  if (scheduled(ctx.memory)) {
    // Under a seed the thread gives up its turn instead of sleeping; its line is recorded at once (speed matters less than replay).
    const location = ctx.locate(new Error().stack);
    if (location) {
      words[at(S.waitLine)] = location.line;
      words[at(S.waitColumn)] = location.column;
    }
    let woken = false;
    try {
      woken = scheduledWait(ctx.memory, ctx.threadId, (i32.byteOffset >> 2) + index, value, timeoutMs);
      return woken;
    } finally {
      Atomics.store(words, at(S.waitKind), 0);
      traceEvent('wake', target.object, woken ? undefined : [WAKE_TIMED_OUT]);
    }
  }
  let woken = false;
  try {
    const started = performance.now();
    if (waitWhileEqual(i32, index, value, Math.min(timeoutMs, LOCATE_AFTER_MS), spin)) return (woken = true);
    const remaining = timeoutMs - (performance.now() - started);
    if (remaining <= 0) return false;
    const location = ctx.locate(new Error().stack);
    if (location) {
      words[at(S.waitLine)] = location.line;
      words[at(S.waitColumn)] = location.column;
    }
    woken = waitWhileEqual(i32, index, value, remaining);
    return woken;
  } finally {
    Atomics.store(words, at(S.waitKind), 0);
    // A wait that ran out of time says so (data [WAKE_TIMED_OUT]): a timed Condvar wait in a loop, woken by its timer
    // and not by a notify, is a poll, and a check can tell it from a real sleep.
    traceEvent('wake', target.object, woken ? undefined : [WAKE_TIMED_OUT]);
  }
}
