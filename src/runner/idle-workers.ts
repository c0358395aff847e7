/**
 * The run's idle thread workers, kept in run memory so that `spawn` hands a
 * thread to one without a message: a blocked spawner cannot receive
 * messages, and in Chromium a blocked worker cannot start a new one
 * (ARCHITECTURE.md, constraint 1). A message costs a worker's event loop
 * turn; a hand-off here costs one Atomics.notify.
 *
 * An idle worker has compiled the run's program already and sleeps on the
 * state word of its own slot. The spawner pops it from the idle stack,
 * writes the thread's start (thread id, closure id, captures) into the slot
 * and wakes it. When the thread ends, the worker pushes itself back and
 * sleeps again, so one worker runs many threads of the same run. The
 * supervisor (the page, or Node's main thread, which never blocks) adds
 * workers when a spawner reports the stack running low, and answers a
 * spawn that found it empty.
 *
 * Layout (Int32 words from the region's address):
 *   0 lock (futex-lock.ts)   1 idle count   2 refill requested (0/1)
 *   STACK ...                MAX_WORKERS idle worker indices
 *   SLOTS ...                MAX_WORKERS slots of SLOT_WORDS words (below)
 */
import { lockWord, tryLockWord, unlockWord } from '../weft/runtime/futex-lock.ts';
import { H, MAX_THREADS, type RunMemory } from '../weft/runtime/memory.ts';
import { spinWhileEqual } from '../weft/runtime/wait.ts';
import type { SpawnRequest } from '../weft/runtime/context.ts';

export const MAX_WORKERS = MAX_THREADS;
/** Below this many idle workers, a spawner asks the supervisor for more. */
export const LOW_WATER = 1;
/** A worker whose thread ends while this many are idle retires instead of waiting. */
export const MAX_IDLE = 32;

const R = { lock: 0, count: 1, refill: 2 } as const;
const STACK = 4;
const SLOTS = STACK + MAX_WORKERS;
const SLOT_WORDS = 8;
/** Words of a worker's slot. */
const W = { state: 0, threadId: 1, closureId: 2, capturesPtr: 3, capturesLen: 4, scoped: 5 } as const;
/** Slot states: `busy` running a thread (or not yet idle), `idle` asleep on the word, `assigned` has work to take. */
const State = { busy: 0, idle: 1, assigned: 2 } as const;

/** How long an idle worker sleeps between checks for a stop (it is terminated anyway; this only bounds the wait). */
const IDLE_SLICE_MS = 100;
/** How long a returning worker watches its word before sleeping: a spawn that follows a join often comes within microseconds. */
const IDLE_SPIN_MS = 0.05;

/** Allocates the region in a new run's memory (done by the supervisor before any worker runs). */
export function createIdleWorkers(memory: RunMemory): number {
  const words = SLOTS + MAX_WORKERS * SLOT_WORDS;
  const addr = memory.alloc(words * 4);
  memory.i32.fill(0, addr >> 2, (addr >> 2) + words);
  return addr;
}

function slotIndex(base: number, worker: number, word: number): number {
  return base + SLOTS + worker * SLOT_WORDS + word;
}

/** The thread idle worker `worker` is running, if it is running one (the supervisor names it when the worker fails). */
export function threadOfWorker(i32: Int32Array, addr: number, worker: number): number | undefined {
  const base = addr >> 2;
  if (Atomics.load(i32, slotIndex(base, worker, W.state)) !== State.busy) return undefined;
  const threadId = i32[slotIndex(base, worker, W.threadId)]!;
  return threadId > 0 ? threadId : undefined;
}

/** How many workers are idle now (the supervisor reads it to decide how many to add). */
export function idleCount(i32: Int32Array, addr: number): number {
  return Atomics.load(i32, (addr >> 2) + R.count);
}

function pop(i32: Int32Array, base: number): number {
  const count = i32[base + R.count]!;
  if (count === 0) return -1;
  Atomics.store(i32, base + R.count, count - 1);
  return i32[base + STACK + count - 1]!;
}

function assign(i32: Int32Array, base: number, worker: number, request: SpawnRequest): void {
  i32[slotIndex(base, worker, W.threadId)] = request.threadId;
  i32[slotIndex(base, worker, W.closureId)] = request.closureId;
  i32[slotIndex(base, worker, W.capturesPtr)] = request.capturesPtr;
  i32[slotIndex(base, worker, W.capturesLen)] = request.capturesLen;
  i32[slotIndex(base, worker, W.scoped)] = request.scoped ? 1 : 0;
  const state = slotIndex(base, worker, W.state);
  Atomics.store(i32, state, State.assigned);
  Atomics.notify(i32, state, 1);
}

export type HandOff = 'handed' | 'handed-low' | 'none';

/**
 * A spawner's hand-off: gives `request` to an idle worker. 'handed-low' when
 * it did and the stack is now low (the caller asks the supervisor for more,
 * see `claimRefill`); 'none' when no worker was idle.
 */
export function handToIdle(i32: Int32Array, addr: number, request: SpawnRequest): HandOff {
  const base = addr >> 2;
  if (Atomics.load(i32, base + R.count) === 0) return 'none';
  lockWord(i32, base + R.lock);
  const worker = pop(i32, base);
  const left = i32[base + R.count]!;
  unlockWord(i32, base + R.lock);
  if (worker < 0) return 'none';
  assign(i32, base, worker, request);
  return left < LOW_WATER ? 'handed-low' : 'handed';
}

/**
 * The supervisor's hand-off: like `handToIdle`, but never waits (the page's
 * thread may not block): 'busy' when the stack's lock is held right now.
 */
export function tryHandToIdle(i32: Int32Array, addr: number, request: SpawnRequest): 'handed' | 'none' | 'busy' {
  const base = addr >> 2;
  if (Atomics.load(i32, base + R.count) === 0) return 'none';
  if (!tryLockWord(i32, base + R.lock)) return 'busy';
  const worker = pop(i32, base);
  unlockWord(i32, base + R.lock);
  if (worker < 0) return 'none';
  assign(i32, base, worker, request);
  return 'handed';
}

/** true for the one caller that should tell the supervisor the stack is low; the supervisor resets it. */
export function claimRefill(i32: Int32Array, addr: number): boolean {
  return Atomics.compareExchange(i32, (addr >> 2) + R.refill, 0, 1) === 0;
}

/** The supervisor has seen the refill request: the next low stack may ask again. */
export function refillSeen(i32: Int32Array, addr: number): void {
  Atomics.store(i32, (addr >> 2) + R.refill, 0);
}

/**
 * A worker offers itself for the next thread; false when enough workers are
 * idle already (`MAX_IDLE`) and this one should end instead. A spawner may
 * hand it a thread from now on; `waitForThread` picks it up.
 */
export function offerIdle(i32: Int32Array, addr: number, worker: number): boolean {
  const base = addr >> 2;
  const state = slotIndex(base, worker, W.state);
  Atomics.store(i32, state, State.idle);
  lockWord(i32, base + R.lock);
  const count = i32[base + R.count]!;
  if (count >= MAX_IDLE) {
    unlockWord(i32, base + R.lock);
    Atomics.store(i32, state, State.busy);
    return false;
  }
  i32[base + STACK + count] = worker;
  Atomics.store(i32, base + R.count, count + 1);
  unlockWord(i32, base + R.lock);
  return true;
}

/**
 * Wakes the idle workers `0 … workers - 1` at once when the run stops (the
 * stop flag is up), instead of at their next look (IDLE_SLICE_MS): they come
 * to rest, and can serve the program's next run, that much sooner.
 */
export function wakeIdleWorkers(i32: Int32Array, addr: number, workers: number): void {
  const base = addr >> 2;
  for (let worker = 0; worker < workers; worker++) Atomics.notify(i32, slotIndex(base, worker, W.state));
}

/**
 * An offered worker sleeps until a spawner gives it a thread. Returns the
 * thread's start, or undefined when the run is stopping.
 */
export function waitForThread(i32: Int32Array, addr: number, worker: number): SpawnRequest | undefined {
  const base = addr >> 2;
  const state = slotIndex(base, worker, W.state);

  spinWhileEqual(i32, state, State.idle, IDLE_SPIN_MS);
  while (Atomics.load(i32, state) === State.idle) {
    if (Atomics.load(i32, H.stop) !== 0) return undefined;
    Atomics.wait(i32, state, State.idle, IDLE_SLICE_MS);
  }
  Atomics.store(i32, state, State.busy);
  return {
    threadId: i32[slotIndex(base, worker, W.threadId)]!,
    closureId: i32[slotIndex(base, worker, W.closureId)]!,
    capturesPtr: i32[slotIndex(base, worker, W.capturesPtr)]!,
    capturesLen: i32[slotIndex(base, worker, W.capturesLen)]!,
    name: undefined, // the thread table has it (thread-table.ts, threadName)
    scoped: i32[slotIndex(base, worker, W.scoped)] === 1,
  };
}
