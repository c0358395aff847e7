/**
 * tokio::sync::RwLock: a reader-writer lock whose guards may be held across
 * an `await`; waiting suspends the task, not the thread.
 * https://docs.rs/tokio/latest/tokio/sync/struct.RwLock.html
 *
 * A fair Semaphore (semaphore.ts) with MAX_READS permits, as in Tokio: a
 * reader takes one and a writer takes them all, so a queued writer holds
 * back the readers that come after it. No poisoning (guard.ts).
 */
import type { Awaitable } from '../future.ts';
import { Semaphore } from './semaphore.ts';
import { Guard, mapped } from './guard.ts';

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
