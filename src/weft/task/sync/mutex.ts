/**
 * tokio::sync::Mutex and RwLock: locks whose guard may be held across an
 * `await`. Waiting for one suspends the task, not the thread, so the other
 * tasks run meanwhile (weft/sync's Mutex would block the whole executor).
 * https://docs.rs/tokio/latest/tokio/sync/struct.Mutex.html
 *
 * Both are a fair Semaphore (semaphore.ts), as in Tokio: the Mutex has one
 * permit; the RwLock has MAX_READS, a reader takes one and a writer takes
 * them all, so a queued writer holds back the readers that come after it.
 * There is no poisoning: a task that panics while holding a guard gives the
 * lock back when the guard is dropped (Tokio's behaviour too).
 */
import type { Awaitable, Context, Poll } from '../future.ts';
import { pollFn } from './poll-fn.ts';
import { TAKE } from '../move.ts';
import { Semaphore, type SemaphorePermit } from './semaphore.ts';

function mapped<T, U>(inner: Awaitable<T>, map: (value: T) => U, what: () => string): Awaitable<U> {
  return pollFn(
    (cx: Context): Poll<U> => {
      const result = inner.poll(cx);
      return result.ready ? { ready: true, value: map(result.value) } : result;
    },
    what,
    () => inner[Symbol.dispose]?.(),
  );
}

class Guard<T> {
  #permit: SemaphorePermit | null;
  readonly #cell: { value: T };
  readonly #what: string;
  constructor(permit: SemaphorePermit, cell: { value: T }, what: string) {
    this.#permit = permit;
    this.#cell = cell;
    this.#what = what;
  }
  protected cell(): { value: T } {
    if (this.#permit === null) throw new Error(`this ${this.#what} was already unlocked: take the lock again to use the value`);
    return this.#cell;
  }
  /** Unlocks (also what disposing the guard does: `using guard = await m.lock()`). */
  unlock(): void {
    const permit = this.#permit;
    this.#permit = null;
    permit?.release();
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (this.#permit !== null) this.unlock();
  }
  /** Moved into a task (move.ts): the task holds the lock until it ends. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new (this.constructor as new (permit: SemaphorePermit, cell: { value: T }, what: string) => Guard<T>)(this.#permit!, this.#cell, this.#what);
    this.#permit = null;
    return { fresh, what: this.#what };
  }
}

export class MutexGuard<T> extends Guard<T> {
  get value(): T {
    return this.cell().value;
  }
  set value(next: T) {
    this.cell().value = next;
  }
}

export class Mutex<T> {
  readonly #semaphore = new Semaphore(1);
  readonly #cell: { value: T };
  constructor(value: T) {
    this.#cell = { value };
  }
  /** Waits for the lock (in turn: the Mutex is fair) and returns its guard. */
  lock(): Awaitable<MutexGuard<T>> {
    return mapped(this.#semaphore.acquire(), (permit) => new MutexGuard(permit, this.#cell, 'MutexGuard'), () => 'an async Mutex');
  }
  /** The guard if the lock is free now, else undefined. */
  tryLock(): MutexGuard<T> | undefined {
    try {
      return new MutexGuard(this.#semaphore.tryAcquire(), this.#cell, 'MutexGuard');
    } catch {
      return undefined;
    }
  }
}

export class RwLockReadGuard<T> extends Guard<T> {
  get value(): T {
    return this.cell().value;
  }
}

export class RwLockWriteGuard<T> extends Guard<T> {
  get value(): T {
    return this.cell().value;
  }
  set value(next: T) {
    this.cell().value = next;
  }
}

const MAX_READS = 1 << 20;

export class RwLock<T> {
  readonly #semaphore = new Semaphore(MAX_READS);
  readonly #cell: { value: T };
  constructor(value: T) {
    this.#cell = { value };
  }
  /** Shared access: many readers at once, none while a writer holds or waits for the lock. */
  read(): Awaitable<RwLockReadGuard<T>> {
    return mapped(this.#semaphore.acquire(1), (p) => new RwLockReadGuard(p, this.#cell, 'RwLockReadGuard'), () => 'read access to an async RwLock');
  }
  /** Exclusive access. */
  write(): Awaitable<RwLockWriteGuard<T>> {
    return mapped(this.#semaphore.acquire(MAX_READS), (p) => new RwLockWriteGuard(p, this.#cell, 'RwLockWriteGuard'), () => 'write access to an async RwLock');
  }
  tryRead(): RwLockReadGuard<T> | undefined {
    try {
      return new RwLockReadGuard(this.#semaphore.tryAcquire(1), this.#cell, 'RwLockReadGuard');
    } catch {
      return undefined;
    }
  }
  tryWrite(): RwLockWriteGuard<T> | undefined {
    try {
      return new RwLockWriteGuard(this.#semaphore.tryAcquire(MAX_READS), this.#cell, 'RwLockWriteGuard');
    } catch {
      return undefined;
    }
  }
}
