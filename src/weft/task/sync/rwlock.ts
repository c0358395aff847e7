/**
 * tokio::sync::RwLock: a reader-writer lock whose guards may be held across
 * an `await`; waiting suspends the task, not the thread.
 * https://docs.rs/tokio/latest/tokio/sync/struct.RwLock.html
 *
 * A fair Semaphore (semaphore.ts) with MAX_READS permits, as in Tokio: a
 * reader takes one and a writer takes them all, so a queued writer holds
 * back the readers that come after it. No poisoning (guard.ts).
 */
import { localHandle } from '../../runtime/local-handle.ts';
import type { Awaitable } from '../future.ts';
import { Semaphore, type SemaphorePermit } from './semaphore.ts';
import { Guard, MappedGuard, mapped } from './guard.ts';
import { blockingCall } from './blocking-call.ts';
import { err, ok, type Result } from '../../sync/result.ts';

export class RwLockReadGuard<T> extends Guard<T> {
  get value(): T {
    return this.cell().value;
  }
  /** A read guard of a part of the value, the read lock still held (Tokio's `RwLockReadGuard::map`). This guard is spent. */
  map<U>(f: (value: T) => U): RwLockReadGuard<U> {
    return this.mapInto(f, RwLockReadGuard, 'RwLockReadGuard');
  }
  /** `map` where `f` may return undefined (Tokio's `try_map`: `{ ok: false, value: this guard }`, still locked). */
  tryMap<U>(f: (value: T) => U | undefined): Result<RwLockReadGuard<U>, RwLockReadGuard<T>> {
    const mapped = this.tryMapInto(f, RwLockReadGuard, 'RwLockReadGuard');
    return mapped === undefined ? err(this) : ok(mapped);
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
    return downgraded(this.takePermit(), this.sharedCell());
  }
  /**
   * A write guard of a part of the value, the write lock still held
   * (Tokio's `RwLockWriteGuard::map`). This guard is spent. The part is what
   * `f` returns (guard.ts: an object, changed through its fields).
   */
  map<U>(f: (value: T) => U): RwLockMappedWriteGuard<U> {
    return this.mapInto(f, RwLockMappedWriteGuard, 'RwLockMappedWriteGuard');
  }
  /** `map` where `f` may return undefined (Tokio's `try_map`: `{ ok: false, value: this guard }`, still locked). */
  tryMap<U>(f: (value: T) => U | undefined): Result<RwLockMappedWriteGuard<U>, RwLockWriteGuard<T>> {
    const mapped = this.tryMapInto(f, RwLockMappedWriteGuard, 'RwLockMappedWriteGuard');
    return mapped === undefined ? err(this) : ok(mapped);
  }
}

/** A write guard of a part of an RwLock's value (Tokio's `RwLockMappedWriteGuard`), made by `RwLockWriteGuard.map`. */
export class RwLockMappedWriteGuard<T> extends MappedGuard<T> {
  /** A guard of a part of this part (Tokio's `RwLockMappedWriteGuard::map`). */
  map<U>(f: (value: T) => U): RwLockMappedWriteGuard<U> {
    return this.mapInto(f, RwLockMappedWriteGuard, 'RwLockMappedWriteGuard');
  }
  /** `map` where `f` may return undefined (Tokio's `try_map`). */
  tryMap<U>(f: (value: T) => U | undefined): Result<RwLockMappedWriteGuard<U>, RwLockMappedWriteGuard<T>> {
    const mapped = this.tryMapInto(f, RwLockMappedWriteGuard, 'RwLockMappedWriteGuard');
    return mapped === undefined ? err(this) : ok(mapped);
  }
  /** A read guard of the same part, no writer let in between (Tokio's `RwLockMappedWriteGuard::downgrade`). This guard is spent. */
  downgrade(): RwLockReadGuard<T> {
    return downgraded(this.takePermit(), this.sharedCell());
  }
}

/** A write guard's permits, given back but for one, which reads `cell`. */
function downgraded<T>(permit: SemaphorePermit, cell: { value: T }): RwLockReadGuard<T> {
  const read = permit.split(1)!;
  permit.release();
  return new RwLockReadGuard(read, cell, 'RwLockReadGuard');
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
  /** `read()` from code that is not async (Tokio's `blocking_read`; blocking-call.ts: throws where it would block for ever). */
  blockingRead(): RwLockReadGuard<T> {
    return blockingCall(() => this.read(), 'blockingRead', 'an async RwLock that a writer holds');
  }
  /** `write()` from code that is not async (Tokio's `blocking_write`; blocking-call.ts). */
  blockingWrite(): RwLockWriteGuard<T> {
    return blockingCall(() => this.write(), 'blockingWrite', 'an async RwLock that is locked');
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

// It may go into an Arc shared by this thread's tasks, as Tokio's is (runtime/local-handle.ts).
localHandle(RwLock, 'a weft/task RwLock');
