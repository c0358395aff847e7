/**
 * Condvar — Rust's `std::sync::Condvar`. https://doc.rust-lang.org/std/sync/struct.Condvar.html
 *
 * Made as Rust's own futex condvar is (library/std/src/sys/sync/condvar/futex.rs):
 * one sequence word that every notify bumps. A waiter reads the word while
 * it still holds the Mutex, releases the Mutex, and sleeps while the word
 * still has the value it read, so a notify that lands between the release
 * and the sleep is never lost. Then it takes the Mutex again.
 *
 * In run memory (Int32 words at `addr`):
 *   0 sequence: bumped by every notifyOne / notifyAll (wraps, as Rust's u32 does)
 *   1 reserved
 *
 * Spurious wakeups happen, as Rust allows: a waiter may return without a
 * notify (and a notifyOne may wake more than one waiter, because weft's
 * waits are cut into slices that re-check the word). Under a seed they are
 * made to happen: every other wait of a thread returns at once, the lock
 * taken again, the condition unchanged (runtime/scheduler.ts, "Fault
 * injection"). Always wait in a loop over your condition — `waitWhile`
 * writes that loop for you.
 */
import { now, spuriousWakeup } from '../runtime/scheduler.ts';
import { traceEvent } from '../runtime/trace.ts';
import { context } from '../runtime/context.ts';
import { ENCODE, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { blockWhileEqual, wake, waitKindCode } from '../runtime/wait.ts';
import { MutexGuard, WHILE_UNLOCKED } from './mutex.ts';

const W = { seq: 0 } as const;
const WORDS = 2;

/**
 * What `waitTimeout` and `waitTimeoutWhile` return: the guard, locked
 * again, and whether the wait ended because time ran out (Rust returns the
 * pair `(MutexGuard, WaitTimeoutResult)` and asks `result.timed_out()`;
 * here it is the field `timedOut`).
 */
export interface WaitTimeoutResult<T> {
  guard: MutexGuard<T>;
  timedOut: boolean;
}

/**
 * Lets threads sleep until another thread tells them a condition may have
 * changed. Pair it with the Mutex that guards the condition:
 *
 *   const pair = new Arc([new Mutex(false), new Condvar()] as const);
 *   const pair2 = pair.clone();
 *   spawn(() => {
 *     const [lock, cvar] = pair2;
 *     using started = lock.lock();
 *     started.value = true;
 *     cvar.notifyOne();
 *   });
 *   const [lock, cvar] = pair;
 *   using started = lock.lock();
 *   while (!started.value) cvar.wait(started);
 *
 * (`as const` keeps the pair's types apart when it is destructured.)
 */
export class Condvar extends MovableHandle {
  protected readonly what = 'Condvar';
  readonly #addr: number;

  constructor();
  constructor(addr?: number);
  constructor(addr?: number) {
    super();
    if (addr !== undefined) {
      this.#addr = addr;
      return;
    }
    const { memory } = context();
    this.#addr = memory.allocRecord(WORDS);
  }

  [ENCODE]() {
    return { kind: HandleKind.Condvar, addr: this.#addr };
  }

  /**
   * Releases the guard's Mutex and sleeps until notified, then locks it again
   * and returns the same guard (so `using g = m.lock(); while (!g.value) cv.wait(g);`
   * works; `g = cv.wait(g)` as in Rust works too). The guard's value is
   * written back before sleeping and read afresh after: do not keep a copy
   * of `g.value` across a wait. May wake spuriously. Throws PoisonError,
   * holding the guard, if the Mutex was poisoned meanwhile.
   */
  wait<T>(guard: MutexGuard<T>): MutexGuard<T> {
    this.#sleep(guard, Infinity);
    return guard;
  }

  /**
   * Waits while `condition(value)` is true, re-checking after every wakeup,
   * and returns the guard once it is false (Rust: `wait_while`). The
   * condition gets the guard's value; an object it changes is written back.
   */
  waitWhile<T>(guard: MutexGuard<T>, condition: (value: T) => boolean): MutexGuard<T> {
    while (condition(guard.value)) this.#sleep(guard, Infinity);
    return guard;
  }

  /**
   * Like `wait`, giving up after `ms` milliseconds: `{ guard, timedOut }`,
   * with `timedOut` true when time ran out rather than a notify (or a
   * spurious wakeup) ending the wait. The guard is locked again either way.
   */
  waitTimeout<T>(guard: MutexGuard<T>, ms: number): WaitTimeoutResult<T> {
    const woken = this.#sleep(guard, Math.max(0, ms));
    return { guard, timedOut: !woken };
  }

  /**
   * Waits while `condition(value)` is true, for at most `ms` milliseconds in
   * all. `timedOut` is true when time ran out with the condition still true
   * (Rust: `wait_timeout_while`).
   */
  waitTimeoutWhile<T>(guard: MutexGuard<T>, ms: number, condition: (value: T) => boolean): WaitTimeoutResult<T> {
    const deadline = now(context().memory) + Math.max(0, ms);
    while (condition(guard.value)) {
      const remaining = deadline - now(context().memory);
      if (remaining <= 0) return { guard, timedOut: true };
      this.#sleep(guard, remaining);
    }
    return { guard, timedOut: false };
  }

  /** Wakes one thread waiting on this Condvar, if any. */
  notifyOne(): void {
    this.#notify(1);
  }

  /** Wakes every thread waiting on this Condvar. */
  notifyAll(): void {
    this.#notify(Infinity);
  }

  #notify(count: number): void {
    this.assertUsable();
    const i32 = context().memory.i32;
    const index = (this.#addr >> 2) + W.seq;
    Atomics.add(i32, index, 1);
    wake(i32, index, count);
  }

  /** Sleeps with the guard's lock released; false when `ms` ran out. */
  #sleep<T>(guard: MutexGuard<T>, ms: number): boolean {
    this.assertUsable();
    if (!(guard instanceof MutexGuard)) {
      throw new TypeError('Condvar.wait takes the guard of a locked Mutex, like cvar.wait(guard) after `using guard = mutex.lock()`');
    }
    const i32 = context().memory.i32;
    const index = (this.#addr >> 2) + W.seq;
    if (spuriousWakeup()) {
      // Released and taken again with no other thread in between: what a wakeup without a notify looks like, and in the trace too.
      return guard[WHILE_UNLOCKED](() => {
        traceEvent('block', this.#addr, [waitKindCode('condvar')]);
        traceEvent('wake', this.#addr);
        return true;
      });
    }
    // Read before unlocking: a notify after this point changes the word, so the sleep below returns at once.
    const seen = Atomics.load(i32, index);
    return guard[WHILE_UNLOCKED](() => blockWhileEqual(i32, index, seen, ms, { kind: 'condvar', object: this.#addr }));
  }

  toString(): string {
    return 'Condvar { .. }';
  }
}

registerDecoder(HandleKind.Condvar, (addr) => new Condvar(addr));
