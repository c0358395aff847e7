/**
 * tokio::task_local!: a value that belongs to a future (usually a whole
 * task) rather than to a thread, set by `scope` and read by `get`/`with`.
 * https://docs.rs/tokio/latest/tokio/macro.task_local.html
 *
 *   const REQ_ID = taskLocal<number>();          // task_local! { static REQ_ID: u32; }
 *   spawn(REQ_ID.scope(1, async () => { … REQ_ID.get() … }));
 *
 * Made as Tokio makes it: each key has one slot on its thread (a key is a
 * top-level `const`, so every weft thread has its own), and the future
 * `scope` returns swaps its value into the slot around each poll of the
 * inner future and back out afterwards. So the value follows that future
 * across its awaits, is there while its cleanup runs when it is dropped
 * (aborted, a losing `select` branch), and is never seen by another task,
 * which is polled only between those swaps. `syncScope` does the same
 * around a plain call.
 */
import { dropFuture, intoFuture, PENDING, Poll, refuseThen, type Awaitable, type Context, type Future, type IntoFuture } from './future.ts';
import { err, ok, type Result } from '../sync/result.ts';

/** `tryWith` or `tryGet` outside any scope of the key (Tokio's `AccessError`). */
export class AccessError extends Error {
  constructor() {
    super('task-local value not set');
    this.name = 'AccessError';
  }
}

/** The slot of a key: empty, or holding the value of the scope being polled. */
type Slot<T> = { value: T } | undefined;

/** A task-local key (Tokio's `LocalKey`), made by `taskLocal<T>()`. */
export class LocalKey<T> {
  #slot: Slot<T> = undefined;
  /** Calls of `with` running now: a scope may not be entered inside one (Tokio's RefCell is borrowed). */
  #borrowed = 0;

  /**
   * Runs `future` with this key set to `value`: a future whose every poll
   * (and its drop) sees `value`, wherever it awaits. Give it an async
   * function's future, or an async closure (`KEY.scope(1, async () => { … })`),
   * which is called at the first poll, inside the scope.
   */
  scope<R>(value: T, future: IntoFuture<R> | (() => IntoFuture<R>)): TaskLocalFuture<T, R> {
    return new TaskLocalFuture(this, value, future);
  }

  /** Calls `f` with this key set to `value`, and gives back what it returns (Tokio's `sync_scope`). */
  syncScope<R>(value: T, f: () => R): R {
    const saved: { slot: Slot<T> } = { slot: { value } };
    this.enter(saved);
    try {
      return f();
    } finally {
      this.leave(saved);
    }
  }

  /** Calls `f` with the value; throws (Tokio panics) outside any scope of this key. */
  with<R>(f: (value: T) => R): R {
    const slot = this.#slot;
    if (slot === undefined) throw new Error('cannot access a task-local storage value without setting it first');
    this.#borrowed++;
    try {
      return f(slot.value);
    } finally {
      this.#borrowed--;
    }
  }

  /** `with`, as a Result: `{ ok: false, value: AccessError }` outside any scope (Tokio's `try_with`). */
  tryWith<R>(f: (value: T) => R): Result<R, AccessError> {
    if (this.#slot === undefined) return err(new AccessError());
    return ok(this.with(f));
  }

  /**
   * The value; throws (Tokio panics) outside any scope of this key. Tokio's
   * `get` copies a `Copy` value; here it is the value itself, so an object
   * is shared with the scope, not copied.
   */
  get(): T {
    return this.with((value) => value);
  }

  /** The value, as a Result: `{ ok: false, value: AccessError }` outside any scope (Tokio 1.33's `try_get`). */
  tryGet(): Result<T, AccessError> {
    return this.tryWith((value) => value);
  }

  /** @internal Swaps `saved.slot` into the key's slot (a scope begins its poll); what was there is kept in `saved`. */
  enter(saved: { slot: Slot<T> }): void {
    if (this.#borrowed > 0) throw new Error('cannot enter a task-local scope while the task-local storage is borrowed');
    const outer = this.#slot;
    this.#slot = saved.slot;
    saved.slot = outer;
  }

  /** @internal Swaps back (the scope's poll ended): the scope's value, perhaps changed, returns to `saved`. */
  leave(saved: { slot: Slot<T> }): void {
    const inner = this.#slot;
    this.#slot = saved.slot;
    saved.slot = inner;
  }
}

/** The future `LocalKey.scope` returns (Tokio's `TaskLocalFuture`): the inner future, polled with the key set. */
export class TaskLocalFuture<T, R> implements Future<R> {
  readonly #key: LocalKey<T>;
  /** Holds the scope's value while the future is not being polled, and the outer value while it is. */
  readonly #saved: { slot: Slot<T> };
  #given: IntoFuture<R> | (() => IntoFuture<R>) | null;
  #future: Future<R> | null = null;
  #done = false;
  declare then: Awaitable<R>['then'];

  constructor(key: LocalKey<T>, value: T, future: IntoFuture<R> | (() => IntoFuture<R>)) {
    this.#key = key;
    this.#saved = { slot: { value } };
    this.#given = future;
  }

  poll(cx: Context): Poll<R> {
    if (this.#done) throw new Error('`TaskLocalFuture` polled after completion');
    this.#key.enter(this.#saved);
    try {
      if (this.#future === null) {
        const given = this.#given!;
        this.#given = null;
        this.#future = intoFuture<R>(given, 'scope');
      }
      const result = this.#future.poll(cx);
      if (!result.ready) return PENDING;
      this.#done = true;
      this.#future = null;
      return result;
    } catch (error) {
      this.#done = true;
      this.#future = null;
      throw error;
    } finally {
      this.#key.leave(this.#saved);
    }
  }

  /** Dropped before it finished: the inner future is dropped inside the scope, so its cleanup still sees the value (as in Tokio). */
  [Symbol.dispose](): void {
    const future = this.#future;
    this.#future = null;
    this.#given = null;
    if (future === null || this.#done) return;
    this.#done = true;
    this.#key.enter(this.#saved);
    try {
      dropFuture(future);
    } finally {
      this.#key.leave(this.#saved);
    }
  }

  /** What it awaits, for hang reports: the inner future. */
  awaiting(): Future<unknown> | null {
    return this.#future;
  }

  describe(): string {
    return 'its task-local scope';
  }
}

refuseThen(TaskLocalFuture);

/** A task-local key (Tokio's `task_local!`): declare it at the top of the program, `const KEY = taskLocal<number>();`. */
export function taskLocal<T>(): LocalKey<T> {
  return new LocalKey<T>();
}
