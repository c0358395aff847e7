/**
 * tokio::sync::Mutex: a lock whose guard may be held across an `await`.
 * Waiting for it suspends the task, not the thread, so the other tasks run
 * meanwhile (weft/sync's Mutex would block the whole executor).
 * https://docs.rs/tokio/latest/tokio/sync/struct.Mutex.html
 *
 * A fair Semaphore with one permit, as in Tokio (guard.ts); no poisoning.
 * The async RwLock is in rwlock.ts.
 */
import type { Awaitable } from '../future.ts';
import { Semaphore } from './semaphore.ts';
import { Guard, mapped } from './guard.ts';

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
