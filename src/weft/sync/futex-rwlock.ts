/**
 * The lock word of weft's RwLock: Rust's futex rwlock
 * (library/std/src/sys/sync/rwlock/futex.rs), ported word for word — the
 * state word's bits, the contended read and write paths, unlocking, and
 * waking a writer or the readers. The RwLock and its guards (rwlock.ts) are
 * built on it, as Rust's `std::sync::RwLock` is on `sys::sync::RwLock`.
 * The record's layout and the fairness rules are described in rwlock.ts.
 */
import { context } from '../runtime/context.ts';
import { blockWhileEqual, wake } from '../runtime/wait.ts';

/** The RwLock's record in run memory (Int32 words at its address; rwlock.ts). */
export const W = { state: 0, poisoned: 1, kind: 2, ptr: 3, len: 4, writer: 5, number: 6, writerNotify: 8 } as const;
export const WORDS = 10;

// The state word's parts (signed Int32 arithmetic: bit 31 is the sign).
export const READ_LOCKED = 1;
const MASK = (1 << 30) - 1;
export const WRITE_LOCKED = MASK;
const MAX_READERS = MASK - 1;
const READERS_WAITING = 1 << 30;
const WRITERS_WAITING = 1 << 31;
const SPINS = 100;

export const isUnlocked = (s: number) => (s & MASK) === 0;
const isWriteLocked = (s: number) => (s & MASK) === WRITE_LOCKED;
const hasReadersWaiting = (s: number) => (s & READERS_WAITING) !== 0;
const hasWritersWaiting = (s: number) => (s & WRITERS_WAITING) !== 0;
// Readers also wait while anyone waits: that is what makes the lock writer-preferring.
export const isReadLockable = (s: number) => (s & MASK) < MAX_READERS && !hasReadersWaiting(s) && !hasWritersWaiting(s);

function spin(i32: Int32Array, index: number, done: (state: number) => boolean): number {
  for (let spins = SPINS; ; spins--) {
    const state = Atomics.load(i32, index);
    if (done(state) || spins === 0) return state;
  }
}

/**
 * Takes a read lock once it is free of writers (Rust: `read_contended`).
 * `writerWaits` is called before sleeping behind a waiting writer: it
 * throws if this thread already reads, which would deadlock.
 */
export function readContended(i32: Int32Array, index: number, addr: number, writerWaits: () => void): void {
  const target = { kind: 'rwlock-read', object: addr } as const;
  const spinRead = () => spin(i32, index, (s) => !isWriteLocked(s) || hasReadersWaiting(s) || hasWritersWaiting(s));
  let state = spinRead();
  for (;;) {
    if (isReadLockable(state)) {
      const seen = Atomics.compareExchange(i32, index, state, (state + READ_LOCKED) | 0);
      if (seen === state) return;
      state = seen;
      continue;
    }
    if ((state & MASK) === MAX_READERS) throw new Error('too many active read locks on RwLock');
    if (hasWritersWaiting(state)) writerWaits();
    // Make sure the readers-waiting bit is set before sleeping.
    if (!hasReadersWaiting(state)) {
      const seen = Atomics.compareExchange(i32, index, state, state | READERS_WAITING);
      if (seen !== state) {
        state = seen;
        continue;
      }
    }
    blockWhileEqual(i32, index, state | READERS_WAITING, Infinity, target);
    state = spinRead();
  }
}

/** Takes the write lock once no one reads or writes (Rust: `write_contended`). */
export function writeContended(i32: Int32Array, index: number, addr: number): void {
  const notify = (addr >> 2) + W.writerNotify;
  const target = { kind: 'rwlock-write', object: addr } as const;
  const spinWrite = () => spin(i32, index, (s) => isUnlocked(s) || hasWritersWaiting(s));
  let state = spinWrite();
  let otherWritersWaiting = 0;
  for (;;) {
    if (isUnlocked(state)) {
      const next = state | WRITE_LOCKED | otherWritersWaiting;
      const seen = Atomics.compareExchange(i32, index, state, next);
      if (seen === state) return;
      state = seen;
      continue;
    }
    if (!hasWritersWaiting(state)) {
      const seen = Atomics.compareExchange(i32, index, state, state | WRITERS_WAITING);
      if (seen !== state) {
        state = seen;
        continue;
      }
    }
    // Other writers may be waiting too: keep their bit on once we lock.
    otherWritersWaiting = WRITERS_WAITING;
    // Read the notify counter before re-checking the state, so no notify is missed.
    const seq = Atomics.load(i32, notify);
    state = Atomics.load(i32, index);
    if (isUnlocked(state) || !hasWritersWaiting(state)) continue;
    blockWhileEqual(i32, notify, seq, Infinity, target);
    state = spinWrite();
  }
}

export function readUnlock(addr: number): void {
  const i32 = context().memory.i32;
  const index = (addr >> 2) + W.state;
  const state = (Atomics.sub(i32, index, READ_LOCKED) - READ_LOCKED) | 0;
  // The last reader out wakes a waiting writer.
  if (isUnlocked(state) && hasWritersWaiting(state)) wakeWriterOrReaders(addr, state);
}

export function writeUnlock(addr: number): void {
  const i32 = context().memory.i32;
  const index = (addr >> 2) + W.state;
  const state = (Atomics.sub(i32, index, WRITE_LOCKED) - WRITE_LOCKED) | 0;
  if (hasWritersWaiting(state) || hasReadersWaiting(state)) wakeWriterOrReaders(addr, state);
}

/**
 * After unlocking with waiters: wake one writer if any waits, else every
 * waiting reader. If the lock is taken meanwhile, its new holder wakes the
 * waiters when it unlocks.
 */
function wakeWriterOrReaders(addr: number, state: number): void {
  const i32 = context().memory.i32;
  const index = (addr >> 2) + W.state;
  if (state === WRITERS_WAITING) {
    const seen = Atomics.compareExchange(i32, index, state, 0);
    if (seen === state) {
      wakeWriter(addr);
      return;
    }
    state = seen; // readers may be waiting now too
  }
  if (state === (READERS_WAITING | WRITERS_WAITING)) {
    if (Atomics.compareExchange(i32, index, state, READERS_WAITING) !== state) return;
    if (wakeWriter(addr)) return;
    // No writer was asleep (it may be about to sleep, or between wait slices): wake the readers too.
    state = READERS_WAITING;
  }
  if (state === READERS_WAITING) {
    if (Atomics.compareExchange(i32, index, state, 0) === state) wake(i32, index);
  }
}

/** Wakes one writer; true if one was asleep. */
function wakeWriter(addr: number): boolean {
  const i32 = context().memory.i32;
  const notify = (addr >> 2) + W.writerNotify;
  Atomics.add(i32, notify, 1);
  return wake(i32, notify, 1) > 0;
}

/**
 * Turns the write lock into one read lock, atomically, so no writer gets in
 * between (Rust's futex `downgrade`), and wakes the readers waiting.
 */
export function downgradeWord(addr: number): void {
  const i32 = context().memory.i32;
  const base = addr >> 2;
  const state = Atomics.add(i32, base + W.state, READ_LOCKED - WRITE_LOCKED);
  if (hasReadersWaiting(state)) {
    // We held the lock exclusively: nobody else clears this bit meanwhile.
    Atomics.and(i32, base + W.state, ~READERS_WAITING);
    wake(i32, base + W.state);
  }
}
