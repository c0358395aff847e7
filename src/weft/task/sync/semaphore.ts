/**
 * tokio::sync::Semaphore: a count of permits that tasks acquire and give back.
 * https://docs.rs/tokio/latest/tokio/sync/struct.Semaphore.html
 *
 * Fair, as Tokio's is: waiters are served first come, first served, and a
 * waiter that wants many permits holds back the smaller requests queued
 * after it (no overtaking), so none starves. A waiter that is cancelled
 * leaves the queue; permits it was already granted go back. The async
 * Mutex and RwLock are made of one (as Tokio's are).
 */
import { consume, proceed } from '../runtime/coop.ts';
import { localHandle } from '../../runtime/local-handle.ts';
import { PENDING, Poll, type Awaitable, type Context, type Waker } from '../future.ts';
import { pollFn } from './poll-fn.ts';
import { TAKE } from '../move.ts';
import { markErrValue } from '../../runtime/unwind.ts';

/** `acquire` on a closed Semaphore. */
export class AcquireError extends Error {
  constructor() {
    super('the semaphore was closed');
    this.name = 'AcquireError';
  }
}

/** `tryAcquire` could not get the permits now ('noPermits') or ever ('closed'). */
export class TryAcquireError extends Error {
  readonly kind: 'noPermits' | 'closed';
  constructor(kind: 'noPermits' | 'closed') {
    super(kind === 'closed' ? 'the semaphore was closed' : 'no permits available');
    this.name = 'TryAcquireError';
    this.kind = kind;
  }
}

interface Waiter {
  n: number;
  /** Permits already handed to this waiter while it waits for the rest (Tokio assigns them as they are released). */
  assigned: number;
  waker: Waker | null;
  granted: boolean;
  closed: boolean;
}

/** Permits held; given back by `release()` or by disposing it (`using permit = await sem.acquire()`). */
export class SemaphorePermit {
  #semaphore: Semaphore | null;
  #n: number;
  constructor(semaphore: Semaphore, n: number) {
    this.#semaphore = semaphore;
    this.#n = n;
  }
  /** How many permits this holds. */
  numPermits(): number {
    return this.#n;
  }
  /** Gives the permits back. */
  release(): void {
    const semaphore = this.#semaphore;
    this.#semaphore = null;
    semaphore?.addPermits(this.#n);
  }
  /**
   * Takes `other`'s permits into this one, leaving `other` empty (Tokio's
   * `SemaphorePermit::merge`). Both must come from the same Semaphore.
   */
  merge(other: SemaphorePermit): void {
    if (other.#semaphore !== null && this.#semaphore !== null && other.#semaphore !== this.#semaphore) {
      throw new Error('merge: these permits belong to different Semaphores');
    }
    if (this.#semaphore === null && other.#n > 0 && other.#semaphore !== null) {
      throw new Error('merge: this permit was already released or forgotten');
    }
    const moved = other.#semaphore === null ? 0 : other.#n;
    other.#semaphore = null;
    other.#n = 0;
    this.#n += moved;
  }
  /**
   * Splits `n` permits off into a permit of their own (Tokio's
   * `SemaphorePermit::split`); undefined if this one holds fewer than `n`.
   */
  split(n: number): SemaphorePermit | undefined {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`split needs a whole number of permits, got ${n}`);
    if (this.#semaphore === null || n > this.#n) return undefined;
    this.#n -= n;
    return new SemaphorePermit(this.#semaphore, n);
  }
  /** Keeps the permits taken for good (Tokio's `forget`). */
  forget(): void {
    this.#semaphore = null;
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (this.#semaphore !== null) this.release();
  }
  /** Moved into a task (move.ts): the task holds the permits until it ends. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new SemaphorePermit(this.#semaphore!, this.#n);
    this.#semaphore = null;
    return { fresh, what: 'SemaphorePermit' };
  }
}

export class Semaphore {
  /** The most permits a Semaphore can hold (Tokio's `MAX_PERMITS`, smaller here). */
  static readonly MAX_PERMITS = 2 ** 30;
  #permits: number;
  readonly #queue: Waiter[] = [];
  #closed = false;

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 0 || permits > Semaphore.MAX_PERMITS) {
      throw new RangeError(`a Semaphore needs a whole number of permits from 0 to ${Semaphore.MAX_PERMITS}, got ${permits}`);
    }
    this.#permits = permits;
  }

  availablePermits(): number {
    return this.#permits;
  }

  isClosed(): boolean {
    return this.#closed;
  }

  /**
   * Adds `n` permits, serving waiters in order. Throws a RangeError, as
   * Tokio panics, if what is left after the waiters are served would take
   * the available permits past MAX_PERMITS.
   */
  addPermits(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`addPermits needs a whole number of permits (0 or more); got ${n}`);
    if (this.#permits + n > Semaphore.MAX_PERMITS) this.#checkOverflow(n);
    this.#permits += n;
    this.#grant();
  }

  #checkOverflow(n: number): void {
    let wanted = 0;
    for (const waiter of this.#queue) wanted += waiter.n - waiter.assigned;
    const left = Math.max(0, n - wanted);
    if (this.#permits + left > Semaphore.MAX_PERMITS) {
      throw new RangeError(`number of added permits (${left}) would overflow MAX_PERMITS (${Semaphore.MAX_PERMITS}): ${this.#permits} are available already`);
    }
  }

  /** Waits for `n` permits (default 1), in turn behind earlier waiters. Throws AcquireError once the Semaphore is closed. */
  acquire(n = 1): Awaitable<SemaphorePermit> {
    this.#check(n);
    let waiter: Waiter | null = null;
    return pollFn(
      (cx: Context): Poll<SemaphorePermit> => {
        // Acquiring spends the task's coop budget, as Tokio's Acquire does (runtime/coop.ts); so does a Mutex's lock.
        if (!proceed(cx)) {
          if (waiter !== null) waiter.waker = cx.waker();
          return PENDING;
        }
        if (waiter === null) {
          if (this.#closed) throw new AcquireError();
          if (this.#queue.length === 0 && this.#permits >= n) {
            this.#permits -= n;
            waiter = { n, assigned: n, waker: null, granted: true, closed: false };
            consume();
            return Poll.ready(new SemaphorePermit(this, n));
          }
          // As Tokio's batch semaphore: a waiter first at the queue takes what is free now and waits for the rest,
          // so availablePermits() is 0 while it waits and no later, smaller request overtakes it.
          const assigned = this.#queue.length === 0 ? this.#permits : 0;
          this.#permits -= assigned;
          waiter = { n, assigned, waker: cx.waker(), granted: false, closed: false };
          this.#queue.push(waiter);
          return PENDING;
        }
        if (waiter.closed) throw new AcquireError();
        if (waiter.granted) {
          waiter.waker = null;
          consume();
          return Poll.ready(new SemaphorePermit(this, n));
        }
        waiter.waker = cx.waker();
        return PENDING;
      },
      () => `${n === 1 ? 'a permit' : `${n} permits`} of a Semaphore (${this.#permits} available, ${this.#queue.length} waiting)`,
      () => {
        // Cancelled: leave the queue, or give back what was granted but never taken.
        if (waiter === null || waiter.waker === null) return;
        if (waiter.granted) this.addPermits(n);
        else {
          const i = this.#queue.indexOf(waiter);
          if (i >= 0) this.#queue.splice(i, 1);
          // What it was assigned goes back; the waiter behind may fit now.
          if (waiter.closed) this.#permits += waiter.assigned;
          else this.addPermits(waiter.assigned);
          waiter.assigned = 0;
        }
        waiter.waker = null;
      },
    );
  }

  /**
   * Takes up to `n` of the available permits away for good and returns how
   * many it took (Tokio's `forget_permits`).
   */
  forgetPermits(n: number): number {
    this.#check(n);
    const taken = Math.min(n, this.#permits);
    this.#permits -= taken;
    return taken;
  }

  /** Tokio's `acquire_owned` (and `acquire_many_owned`): the same permit as `acquire(n)`, which borrows nothing in weft. */
  acquireOwned(n = 1): Awaitable<SemaphorePermit> {
    return this.acquire(n);
  }
  /** Tokio's `acquire_many_owned`: `acquire(n)`. */
  acquireManyOwned(n: number): Awaitable<SemaphorePermit> {
    return this.acquire(n);
  }
  /** Tokio's `try_acquire_owned`: `tryAcquire(n)`. */
  tryAcquireOwned(n = 1): SemaphorePermit {
    return this.tryAcquire(n);
  }
  /** Tokio's `try_acquire_many_owned`: `tryAcquire(n)`. */
  tryAcquireManyOwned(n: number): SemaphorePermit {
    return this.tryAcquire(n);
  }

  /** Waits for `n` permits at once (Tokio's `acquire_many`; the same as `acquire(n)`). */
  acquireMany(n: number): Awaitable<SemaphorePermit> {
    return this.acquire(n);
  }

  /** Takes `n` permits now or throws TryAcquireError (Tokio's `try_acquire_many`; the same as `tryAcquire(n)`). */
  tryAcquireMany(n: number): SemaphorePermit {
    return this.tryAcquire(n);
  }

  /** Takes `n` permits now, or throws TryAcquireError (also when others are queued: no overtaking). */
  tryAcquire(n = 1): SemaphorePermit {
    this.#check(n);
    if (this.#closed) throw new TryAcquireError('closed');
    if (this.#queue.length > 0 || this.#permits < n) throw new TryAcquireError('noPermits');
    this.#permits -= n;
    return new SemaphorePermit(this, n);
  }

  /** Closes the Semaphore: every waiter, and every later acquire, fails with AcquireError. */
  close(): void {
    this.#closed = true;
    for (const waiter of this.#queue.splice(0)) {
      waiter.closed = true;
      this.#permits += waiter.assigned;
      waiter.assigned = 0;
      waiter.waker?.wake();
    }
  }

  #check(n: number): void {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`acquire needs a whole number of permits (0 or more); got ${n}`);
  }

  /** Hands free permits to the waiters in order, each taking what it still needs; wakes those that have all theirs. */
  #grant(): void {
    const queue = this.#queue;
    while (queue.length > 0) {
      const waiter = queue[0]!;
      const needed = waiter.n - waiter.assigned;
      if (needed > 0) {
        const take = Math.min(this.#permits, needed);
        if (take === 0) return;
        this.#permits -= take;
        waiter.assigned += take;
        if (take < needed) return;
      }
      queue.shift();
      waiter.granted = true;
      waiter.waker?.wake();
    }
  }
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(AcquireError);
markErrValue(TryAcquireError);

// It may go into an Arc shared by this thread's tasks, as Tokio's is (runtime/local-handle.ts).
localHandle(Semaphore, 'a weft/task Semaphore');
