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
  /**
   * Turns this write guard into a read guard without letting a writer in
   * between (Tokio's `RwLockWriteGuard::downgrade`): readers waiting may
   * now read too. This guard is spent.
   */
  downgrade(): RwLockReadGuard<T> {
    const cell = this.sharedCell();
    const permit = this.takePermit();
    const read = permit.split(1)!;
    permit.release();
    return new RwLockReadGuard(read, cell, 'RwLockReadGuard');
  }
}

const MAX_READS = 1 << 20;

export class RwLock<T> {
  readonly #semaphore: Semaphore;
  readonly #max: number;
  readonly #cell: { value: T };
  constructor(value: T, maxReaders: number = MAX_READS) {
    if (!Number.isInteger(maxReaders) || maxReaders < 1 || maxReaders > MAX_READS) {
      throw new RangeError(`an RwLock allows from 1 to ${MAX_READS} readers at once, got ${maxReaders}`);
    }
    this.#cell = { value };
    this.#max = maxReaders;
    this.#semaphore = new Semaphore(maxReaders);
  }
  /** An RwLock that lets at most `maxReaders` readers in at once (Tokio's `with_max_readers`). */
  static withMaxReaders<T>(value: T, maxReaders: number): RwLock<T> {
    return new RwLock(value, maxReaders);
  }
  /** The value, the lock consumed (Tokio's `into_inner`). */
  intoInner(): T {
    return this.#cell.value;
  }
  /** Tokio's `read_owned`: the same guard as `read()` (a weft guard borrows nothing). */
  readOwned(): Awaitable<RwLockReadGuard<T>> {
    return this.read();
  }
  /** Tokio's `write_owned`: the same guard as `write()`. */
  writeOwned(): Awaitable<RwLockWriteGuard<T>> {
    return this.write();
  }
  /** Tokio's `try_read_owned`: the same as `tryRead()`. */
  tryReadOwned(): RwLockReadGuard<T> | undefined {
    return this.tryRead();
  }
  /** Tokio's `try_write_owned`: the same as `tryWrite()`. */
  tryWriteOwned(): RwLockWriteGuard<T> | undefined {
    return this.tryWrite();
  }
  /** Shared access: many readers at once, none while a writer holds or waits for the lock. */
  read(): Awaitable<RwLockReadGuard<T>> {
    return mapped(this.#semaphore.acquire(1), (p) => new RwLockReadGuard(p, this.#cell, 'RwLockReadGuard'), () => 'read access to an async RwLock');
  }
  /** Exclusive access. */
  write(): Awaitable<RwLockWriteGuard<T>> {
    return mapped(this.#semaphore.acquire(this.#max), (p) => new RwLockWriteGuard(p, this.#cell, 'RwLockWriteGuard'), () => 'write access to an async RwLock');
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
      return new RwLockWriteGuard(this.#semaphore.tryAcquire(this.#max), this.#cell, 'RwLockWriteGuard');
    } catch {
      return undefined;
    }
  }
}
