/**
 * What weft/task's locks (mutex.ts, rwlock.ts) share: each is a fair
 * Semaphore (semaphore.ts), as in Tokio, whose permits a guard holds. There
 * is no poisoning: a task that panics while holding a guard gives the lock
 * back when the guard is dropped (Tokio's behaviour too).
 *
 * A guard can be mapped to a part of the value (`guard.map((v) => v.field)`),
 * as Rust maps a `&mut T` to a `&mut U`. JavaScript has no reference to a
 * field, so the mapped guard holds what the closure returned: an object is
 * shared with the locked value and changed through its fields; assigning
 * the mapped guard's `value` is refused rather than silently changing
 * nothing in the lock.
 */
import { DISPLAY_AS } from '../../runtime/handle.ts';
import type { Awaitable, Context, Poll, WaitsOn } from '../future.ts';
import { pollFn } from './poll-fn.ts';
import { TAKE } from '../move.ts';
import type { SemaphorePermit } from './semaphore.ts';

/** Why a mapped guard's `value` cannot be assigned (guard.ts's header says why). */
export const MAPPED_ASSIGNMENT =
  "a mapped guard's value is the part its map closure returned, and JavaScript has no reference to a field: " +
  'assigning it would not change the locked value. Change the part through its fields, or map to the object that holds the field';

/** `inner`'s value, mapped, as a future of its own (a lock's permit as its guard). */
export function mapped<T, U>(inner: Awaitable<T>, map: (value: T) => U, what: () => string, waitsOn?: () => WaitsOn): Awaitable<U> {
  return pollFn(
    (cx: Context): Poll<U> => {
      const result = inner.poll(cx);
      return result.ready ? { ready: true, value: map(result.value) } : result;
    },
    what,
    () => inner[Symbol.dispose]?.(),
    waitsOn,
  );
}

/** What the async Mutex's and RwLock's guards share: the permit they hold, unlocking, and moving into a task. */
export class Guard<T> {
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
  /** @internal Takes the guard's permit, leaving the guard unlocked without giving the permit back (downgrade). */
  protected takePermit(): SemaphorePermit {
    const permit = this.#permit;
    if (permit === null) throw new Error(`this ${this.#what} was already unlocked: take the lock again to use the value`);
    this.#permit = null;
    return permit;
  }
  /** @internal The value's cell, for a guard made from this one. */
  protected sharedCell(): { value: T } {
    return this.#cell;
  }
  /**
   * A guard of kind `Mapped` holding this guard's permit, whose value is what
   * `f` returns for this one's: the lock stays held, by the new guard (the
   * `map` of Tokio's guards). This guard is spent. If `f` throws, this guard
   * still holds the lock.
   */
  protected mapInto<U, G>(f: (value: T) => U, Mapped: new (permit: SemaphorePermit, cell: { value: U }, what: string) => G, what: string): G {
    const value = f(this.cell().value);
    return new Mapped(this.takePermit(), { value }, what);
  }
  /** `mapInto` when `f` may decline (returns undefined): then undefined, and this guard keeps the lock (the `try_map` of Tokio's guards). */
  protected tryMapInto<U, G>(f: (value: T) => U | undefined, Mapped: new (permit: SemaphorePermit, cell: { value: U }, what: string) => G, what: string): G | undefined {
    const value = f(this.cell().value);
    return value === undefined ? undefined : new Mapped(this.takePermit(), { value }, what);
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
  /** The value's text, as Tokio's guards format as their value (`format!("{:?}", guard)`); `<unlocked>` once unlocked. */
  toString(): string {
    return String(this[DISPLAY_AS]);
  }
  /** What the console prints for the guard: its value, as for `String(guard)`. */
  get [DISPLAY_AS](): unknown {
    return this.#permit === null ? '<unlocked>' : this.#cell.value;
  }
  /** Moved into a task (move.ts): the task holds the lock until it ends. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new (this.constructor as new (permit: SemaphorePermit, cell: { value: T }, what: string) => Guard<T>)(this.#permit!, this.#cell, this.#what);
    this.#permit = null;
    return { fresh, what: this.#what };
  }
}

/** What a mapped guard's value is: the part, to read and change through its fields, not to assign (MappedMutexGuard, RwLockMappedWriteGuard). */
export abstract class MappedGuard<T> extends Guard<T> {
  get value(): T {
    return this.cell().value;
  }
  set value(_next: T) {
    throw new TypeError(MAPPED_ASSIGNMENT);
  }
}
