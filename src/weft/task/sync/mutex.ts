/**
 * tokio::sync::Mutex: a lock whose guard may be held across an `await`.
 * Waiting for it suspends the task, not the thread, so the other tasks run
 * meanwhile (weft/sync's Mutex would block the whole executor).
 * https://docs.rs/tokio/latest/tokio/sync/struct.Mutex.html
 *
 * A fair Semaphore with one permit, as in Tokio (guard.ts); no poisoning.
 * The async RwLock is in rwlock.ts.
 */
import { localHandle } from '../../runtime/local-handle.ts';
import type { Awaitable } from '../future.ts';
import { Semaphore } from './semaphore.ts';
import { Guard, MappedGuard, mapped } from './guard.ts';
import { err, ok, type Result } from '../../sync/result.ts';
import { runningTask } from '../runtime/task.ts';
import { blockingCall } from './blocking-call.ts';
import { runLocal } from '../../runtime/run-local.ts';

/** Async Mutexes of this thread, numbered as made, for a hang's wait-for graph ("async Mutex 2"). */
let made = 0;
runLocal(() => (made = 0));

export class MutexGuard<T> extends Guard<T> {
  get value(): T {
    return this.cell().value;
  }
  set value(next: T) {
    this.cell().value = next;
  }
  /**
   * A guard of a part of the value, the lock still held (Tokio's
   * `MutexGuard::map`): `const g = (await m.lock()).map((v) => v.inner)`.
   * This guard is spent; unlocking the mapped one unlocks the Mutex. The
   * part is what `f` returns (guard.ts: an object, changed through its fields).
   */
  map<U>(f: (value: T) => U): MappedMutexGuard<U> {
    return this.mapInto(f, MappedMutexGuard, 'MappedMutexGuard');
  }
  /**
   * `map` where `f` may return undefined (Tokio's `try_map`, whose `Err(self)`
   * is `{ ok: false, value: this guard }`, still locked).
   */
  tryMap<U>(f: (value: T) => U | undefined): Result<MappedMutexGuard<U>, MutexGuard<T>> {
    const mapped = this.tryMapInto(f, MappedMutexGuard, 'MappedMutexGuard');
    return mapped === undefined ? err(this) : ok(mapped);
  }
}

/** A guard of a part of a Mutex's value (Tokio's `MappedMutexGuard`), made by `MutexGuard.map`. */
export class MappedMutexGuard<T> extends MappedGuard<T> {
  /** A guard of a part of this part (Tokio's `MappedMutexGuard::map`). */
  map<U>(f: (value: T) => U): MappedMutexGuard<U> {
    return this.mapInto(f, MappedMutexGuard, 'MappedMutexGuard');
  }
  /** `map` where `f` may return undefined (Tokio's `try_map`). */
  tryMap<U>(f: (value: T) => U | undefined): Result<MappedMutexGuard<U>, MappedMutexGuard<T>> {
    const mapped = this.tryMapInto(f, MappedMutexGuard, 'MappedMutexGuard');
    return mapped === undefined ? err(this) : ok(mapped);
  }
}

export class Mutex<T> {
  readonly #semaphore = new Semaphore(1);
  readonly #cell: { value: T };
  readonly #name = `async Mutex ${++made}`;
  /** The task that took the lock last, and the line of its `await`: while the lock is taken, its holder. */
  #taker: { task: string; line: number } | undefined;
  constructor(value: T) {
    this.#cell = { value };
  }
  /** Waits for the lock (in turn: the Mutex is fair) and returns its guard. */
  lock(): Awaitable<MutexGuard<T>> {
    return mapped(
      this.#semaphore.acquire(),
      (permit) => this.#taken(new MutexGuard(permit, this.#cell, 'MutexGuard')),
      () => this.#heldBy(),
      () => ({ object: this.#name, kind: 'lock', ...(this.#semaphore.availablePermits() === 0 && this.#taker ? { holder: this.#taker } : {}) }),
    );
  }
  /**
   * Locks from code that is not async (Tokio's `blocking_lock`): throws
   * inside async code, as Tokio panics, and throws rather than block for
   * ever when the lock is taken (blocking-call.ts says why).
   */
  blockingLock(): MutexGuard<T> {
    return blockingCall(() => this.lock(), 'blockingLock', 'an async Mutex that is locked');
  }
  /** Tokio's `blocking_lock_owned`: `blockingLock()`. */
  blockingLockOwned(): MutexGuard<T> {
    return this.blockingLock();
  }
  /** The guard if the lock is free now, else undefined. */
  tryLock(): MutexGuard<T> | undefined {
    try {
      return this.#taken(new MutexGuard(this.#semaphore.tryAcquire(), this.#cell, 'MutexGuard'));
    } catch {
      return undefined;
    }
  }
  /** Tokio's `lock_owned`: the same guard as `lock()` (a weft guard borrows nothing, so `OwnedMutexGuard` is `MutexGuard`). */
  lockOwned(): Awaitable<MutexGuard<T>> {
    return this.lock();
  }
  /** Tokio's `try_lock_owned`: the same as `tryLock()`. */
  tryLockOwned(): MutexGuard<T> | undefined {
    return this.tryLock();
  }
  /** The value, the Mutex consumed (Tokio's `into_inner`). */
  intoInner(): T {
    return this.#cell.value;
  }
  /** Tokio's Debug format: the value while the lock is free, `<locked>` while a guard holds it (`Mutex { data: <locked> }`). */
  toString(): string {
    return `Mutex { data: ${this.#semaphore.availablePermits() === 0 ? '<locked>' : String(this.#cell.value)} }`;
  }
  /** What a task waiting for the lock waits for, for hang reports: the Mutex, and who took it if that is known. */
  #heldBy(): string {
    const taker = this.#taker;
    if (taker === undefined || this.#semaphore.availablePermits() !== 0) return 'an async Mutex';
    const at = taker.line > 0 ? ` at line ${taker.line}` : '';
    return `an async Mutex that ${taker.task} locked${at} and has not unlocked (a guard kept in a \`const\` is not unlocked when its task ends or is cancelled: hold it with \`using\`)`;
  }

  #taken(guard: MutexGuard<T>): MutexGuard<T> {
    const task = runningTask();
    this.#taker = { task: task?.label() ?? "task 'main'", line: task?.whereAwaiting().line ?? 0 };
    return guard;
  }
}

// It may go into an Arc shared by this thread's tasks, as Tokio's is (runtime/local-handle.ts).
localHandle(Mutex, 'a weft/task Mutex');
