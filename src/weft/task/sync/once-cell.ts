/**
 * tokio::sync::OnceCell: a value set once, whose initializer is async.
 * https://docs.rs/tokio/latest/tokio/sync/struct.OnceCell.html
 *
 * As in Tokio, `getOrInit` runs one initializer at a time (a Semaphore of
 * one permit): the others wait for it and get its value. An initializer
 * that throws, or whose task is cancelled, leaves the cell empty, and the
 * next waiter runs its own. weft/sync's OnceLock is the blocking one.
 */
import { localHandle } from '../../runtime/local-handle.ts';
import { dropFuture, intoFuture, PENDING, Poll, type Awaitable, type Context, type Future, type IntoFuture } from '../future.ts';
import { Semaphore, type SemaphorePermit } from './semaphore.ts';
import { pollFn } from './poll-fn.ts';
import { err, ok, type Result } from '../../sync/result.ts';
import { markErrValue } from '../../runtime/unwind.ts';
import { drop } from '../../sync/drop.ts';

/** Why `set` did not set the cell (Tokio's `SetError`): it holds a value already, or an initializer is running. The value comes back. */
export class SetError<T> extends Error {
  readonly kind: 'alreadyInit' | 'initializing';
  readonly value: T;
  constructor(kind: 'alreadyInit' | 'initializing', value: T) {
    super(kind === 'alreadyInit' ? 'the cell is already initialized' : 'the cell is being initialized');
    this.name = 'SetError';
    this.kind = kind;
    this.value = value;
  }
  isAlreadyInitErr(): boolean {
    return this.kind === 'alreadyInit';
  }
  isInitializingErr(): boolean {
    return this.kind === 'initializing';
  }
}

export class OnceCell<T> {
  #set = false;
  #value: T | undefined;
  readonly #semaphore = new Semaphore(1);

  /** An empty cell (Tokio's `OnceCell::new`); `OnceCell.newWith(v)` or `OnceCell.from(v)` make a full one. */
  constructor() {}

  /** A cell holding `value` if it is not undefined (Tokio's `new_with(Option<T>)`). */
  static newWith<T>(value: T | undefined): OnceCell<T> {
    const cell = new OnceCell<T>();
    if (value !== undefined) {
      cell.#value = value;
      cell.#set = true;
    }
    return cell;
  }

  /** A cell holding `value` (Tokio's `From<T>`). */
  static from<T>(value: T): OnceCell<T> {
    const cell = new OnceCell<T>();
    cell.#value = value;
    cell.#set = true;
    return cell;
  }

  /** The value, or undefined while the cell is empty. */
  get(): T | undefined {
    return this.#set ? this.#value : undefined;
  }

  /** Whether the cell holds a value. */
  initialized(): boolean {
    return this.#set;
  }

  /** Sets the value unless the cell holds one or is being initialized (`{ ok: false, value: SetError }`, with the value). */
  set(value: T): Result<undefined, SetError<T>> {
    if (this.#set) return err(new SetError('alreadyInit', value));
    if (this.#semaphore.availablePermits() === 0) return err(new SetError('initializing', value));
    this.#value = value;
    this.#set = true;
    return ok(undefined);
  }

  /** The value, running `init` (an async function) to make it if the cell is empty; one initializer at a time. */
  getOrInit(init: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
    return this.#getOr(init, 'getOrInit');
  }

  /**
   * Like `getOrInit`, for an initializer that may fail (Tokio's
   * `get_or_try_init`): what it throws comes out of the await, and the cell
   * stays empty for the next caller.
   */
  getOrTryInit(init: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
    return this.#getOr(init, 'getOrTryInit');
  }

  /** Takes the value out, leaving the cell empty (Tokio's `take`). */
  take(): T | undefined {
    const value = this.get();
    this.#set = false;
    this.#value = undefined;
    return value;
  }

  /** The value, if any (Tokio's `into_inner`). */
  intoInner(): T | undefined {
    return this.take();
  }

  #getOr(init: IntoFuture<T> | (() => IntoFuture<T>), api: string): Awaitable<T> {
    let acquiring: Future<SemaphorePermit> | null = null;
    let permit: SemaphorePermit | null = null;
    let inner: Future<T> | null = null;
    const release = () => {
      permit?.release();
      permit = null;
    };
    return pollFn(
      (cx: Context): Poll<T> => {
        if (permit === null) {
          if (this.#set) return Poll.ready(this.#value as T);
          acquiring ??= this.#semaphore.acquire() as unknown as Future<SemaphorePermit>;
          const got = acquiring.poll(cx);
          if (!got.ready) return PENDING;
          acquiring = null;
          permit = got.value;
          if (this.#set) {
            release();
            return Poll.ready(this.#value as T);
          }
          inner = intoFuture<T>(init, api);
        }
        let result: Poll<T>;
        try {
          result = inner!.poll(cx);
        } catch (error) {
          inner = null;
          release();
          throw error;
        }
        if (!result.ready) return PENDING;
        inner = null;
        this.#value = result.value;
        this.#set = true;
        release();
        return result;
      },
      () => (permit === null ? `another task's ${api} of a OnceCell` : `the initializer of a OnceCell`),
      () => {
        dropFuture(acquiring);
        acquiring = null;
        dropFuture(inner);
        inner = null;
        release();
      },
    );
  }

  /**
   * Drops the cell, and so its value (Rust drops a `OnceCell<T>`'s `T` with
   * it): `using cell = new OnceCell()` or `drop(cell)`. A value with a drop
   * (a guard, a channel end, anything with `[Symbol.dispose]`) is dropped.
   */
  [Symbol.dispose](): void {
    const value = this.take();
    if (typeof value === 'object' && value !== null) drop(value);
  }

  toString(): string {
    return this.#set ? `OnceCell(${String(this.#value)})` : 'OnceCell(Uninit)';
  }
}

// Rust returns it as `Err(…)`: passing a guard, it does not poison it (runtime/unwind.ts).
markErrValue(SetError);

// It may go into an Arc shared by this thread's tasks, as Tokio's is (runtime/local-handle.ts).
localHandle(OnceCell, 'a weft/task OnceCell');
