/**
 * A futex lock over one Int32 word: Drepper's three-state mutex
 * ("Futexes Are Tricky", 2011, mutex #3 — https://www.akkadia.org/drepper/futex.pdf).
 *   0 unlocked, 1 locked, 2 locked and maybe waited on.
 * Unlocking wakes a waiter only when the word says one may be waiting, so an
 * uncontended lock/unlock is two atomic operations and no syscall.
 */
import { context } from './context.ts';
import { now } from './scheduler.ts';
import { blockWhileEqual, waitWhileEqual, wake, type WaitTarget } from './wait.ts';

const SPINS = 64;

export function tryLockWord(i32: Int32Array, index: number): boolean {
  return Atomics.compareExchange(i32, index, 0, 1) === 0;
}

/**
 * Blocks until the lock is taken; false only when `timeoutMs` ran out first.
 * `target` names the primitive the word belongs to, so a blocked thread is
 * reported as waiting for it (wait.ts, blockWhileEqual).
 */
export function lockWord(i32: Int32Array, index: number, timeoutMs = Infinity, target?: WaitTarget): boolean {
  let c = Atomics.compareExchange(i32, index, 0, 1);
  if (c === 0) return true;
  // Brief spin: a lock held for a few instructions is usually free again soon.
  for (let i = 0; i < SPINS && c === 1; i++) {
    c = Atomics.compareExchange(i32, index, 0, 1);
    if (c === 0) return true;
  }
  const deadline = timeoutMs === Infinity ? Infinity : now(context().memory) + timeoutMs;
  if (c !== 2) c = Atomics.exchange(i32, index, 2);
  while (c !== 0) {
    const remaining = deadline === Infinity ? Infinity : deadline - now(context().memory);
    if (remaining <= 0) return false;
    if (target === undefined) waitWhileEqual(i32, index, 2, remaining);
    else blockWhileEqual(i32, index, 2, remaining, target);
    c = Atomics.exchange(i32, index, 2);
  }
  return true;
}

/**
 * Takes a lock that is usually held for a few instructions (a Mutex's, a
 * channel queue's): a compare-exchange, then up to `watches` loads while
 * another thread holds it, then `lockWord`'s futex path. Sleeping on such a
 * lock makes its holder pay Atomics.notify to wake the sleeper, which costs
 * far more than the wait (issue 15).
 */
export function lockWordWatching(i32: Int32Array, index: number, watches: number, target?: WaitTarget): void {
  if (Atomics.compareExchange(i32, index, 0, 1) === 0) return;
  for (let i = 0; i < watches; i++) {
    if (Atomics.load(i32, index) === 0 && Atomics.compareExchange(i32, index, 0, 1) === 0) return;
  }
  lockWord(i32, index, Infinity, target);
}

export function unlockWord(i32: Int32Array, index: number): void {
  if (Atomics.sub(i32, index, 1) !== 1) {
    Atomics.store(i32, index, 0);
    wake(i32, index, 1);
  }
}
