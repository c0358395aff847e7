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
 *   1 waiters: threads in a free-running wait
 *   2 tokens: notifyOne wakeups not yet claimed by a waiter
 *   3 notifyAll generation
 *   4 lock word over 1-3
 *
 * A free-running notifyOne wakes one waiter, as Rust's futex condvar does:
 * weft's waits are cut into slices that re-check the sequence word, so a
 * waiter that sees it change must also claim one of notifyOne's tokens (or
 * see a notifyAll) before it returns; otherwise the change was someone
 * else's wakeup and it sleeps again. Spurious wakeups are still allowed, as
 * in Rust. Under a seed they are made to happen: every other wait of a
 * thread returns at once, the lock taken again, the condition unchanged
 * (runtime/scheduler.ts, "Fault injection"), and a notify wakes every
 * thread whose word changed, as before. Always wait in a loop over your
 * condition — `waitWhile` writes that loop for you.
 */
import { now, scheduled, spuriousWakeup } from '../runtime/scheduler.ts';
import { lockWord, unlockWord } from '../runtime/futex-lock.ts';
import { traceEvent } from '../runtime/trace.ts';
import { context } from '../runtime/context.ts';
import { ENCODE, FREE_LOCAL, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { blockWhileEqual, wake, waitKindCode } from '../runtime/wait.ts';
import { MutexGuard, WHILE_UNLOCKED } from './mutex.ts';

const W = { seq: 0, waiters: 1, tokens: 2, all: 3, lock: 4 } as const;
const WORDS = 6;

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

  /** The end of its local variable's block (compile/local-drops.ts): nothing else can wait on it, so it is freed. */
  [FREE_LOCAL](): void {
    if (this.spendLocal(false)) context().memory.freeRecord(this.#addr);
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
    const memory = context().memory;
    const i32 = memory.i32;
    const base = this.#addr >> 2;
    const index = base + W.seq;
    if (scheduled(memory)) {
      // Under a seed, as it always was: every waiter whose word changed may go on (seeded runs replay unchanged).
      Atomics.add(i32, index, 1);
      wake(i32, index, count);
      return;
    }
    lockWord(i32, base + W.lock);
    const waiters = i32[base + W.waiters]!;
    if (count === Infinity) {
      i32[base + W.all] = (i32[base + W.all]! + 1) | 0;
      i32[base + W.tokens] = 0;
    } else if (waiters > i32[base + W.tokens]!) {
      i32[base + W.tokens]!++;
    } else {
      unlockWord(i32, base + W.lock);
      return; // every waiter already has a wakeup coming (or there is none): nothing to do, as in Rust
    }
    Atomics.add(i32, index, 1);
    unlockWord(i32, base + W.lock);
    if (waiters > 0) wake(i32, index, count);
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
    const memory = context().memory;
    if (scheduled(memory)) {
      return guard[WHILE_UNLOCKED](() => blockWhileEqual(i32, index, seen, ms, { kind: 'condvar', object: this.#addr }));
    }
    // Counted in while the Mutex is still held, so a notify made after the unlock finds this waiter.
    const base = this.#addr >> 2;
    lockWord(i32, base + W.lock);
    i32[base + W.waiters]!++;
    const all = i32[base + W.all]!;
    unlockWord(i32, base + W.lock);
    return guard[WHILE_UNLOCKED](() => this.#waitForWakeup(i32, base, seen, all, ms));
  }

  /** A free-running wait: true once this waiter claims a notifyOne's token or sees a notifyAll, false when `ms` runs out. */
  #waitForWakeup(i32: Int32Array, base: number, seen: number, all: number, ms: number): boolean {
    const memory = context().memory;
    const deadline = ms === Infinity ? Infinity : now(memory) + ms;
    for (let word = seen; ; ) {
      const remaining = deadline - now(memory);
      const changed = remaining > 0 && blockWhileEqual(i32, base + W.seq, word, remaining, { kind: 'condvar', object: this.#addr });
      lockWord(i32, base + W.lock);
      let woken: boolean | undefined;
      if (i32[base + W.all] !== all) woken = true;
      else if (i32[base + W.tokens]! > 0) {
        i32[base + W.tokens]!--;
        woken = true;
      } else if (!changed) woken = false;
      if (woken !== undefined) {
        const waiters = --i32[base + W.waiters]!;
        // A notifyOne counted a waiter that then left through a notifyAll: no one is left to take its token.
        if (i32[base + W.tokens]! > waiters) i32[base + W.tokens] = waiters;
        unlockWord(i32, base + W.lock);
        return woken;
      }
      // The word moved for another waiter's wakeup, already claimed: sleep again from its new value.
      word = Atomics.load(i32, base + W.seq);
      unlockWord(i32, base + W.lock);
    }
  }

  toString(): string {
    return 'Condvar { .. }';
  }
}

registerDecoder(HandleKind.Condvar, (addr) => new Condvar(addr));
