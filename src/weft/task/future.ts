/**
 * Rust's `std::future::Future`, `std::task::{Poll, Context, Waker}`.
 * https://doc.rust-lang.org/std/future/trait.Future.html
 *
 * A future is a value with a `poll(cx)` method. Polling either finishes it
 * (`Poll.ready(value)`) or returns `Poll.pending()` after arranging for
 * `cx.waker().wake()` to be called once polling again could make progress.
 * An executor polls; nothing else drives a future. Every `async` function of
 * a reader's program is compiled to one (compile/async-lowering.ts), every
 * weft/task primitive is one, and a reader can write one by hand.
 *
 * Dropping a future cancels it. JavaScript has no destructors, so a future
 * that holds something (a timer, a place in a queue, a suspended body) gives
 * it back in `[Symbol.dispose]()`, which whoever abandons it calls: the
 * executor for an aborted task, `select` for its losing branches.
 *
 * A poll that throws is a panic: the future is over, and the error travels
 * up to whoever awaits it, as a panic unwinds in Rust.
 */
import { className } from '../runtime/context.ts';

export type Poll<T> = { readonly ready: true; readonly value: T } | { readonly ready: false };

const PENDING: Poll<never> = Object.freeze({ ready: false });

export const Poll = {
  /** `Poll::Ready(value)`: the future is finished. */
  ready<T>(value: T): Poll<T> {
    return { ready: true, value };
  },
  /** `Poll::Pending`: not yet; the waker will be called when it is worth polling again. */
  pending<T = never>(): Poll<T> {
    return PENDING;
  },
  isReady<T>(poll: Poll<T>): poll is { readonly ready: true; readonly value: T } {
    return poll.ready;
  },
};

export { PENDING };

/** A future, as weft sees one: something with `poll`; `[Symbol.dispose]` cancels it. */
export interface Future<T> {
  poll(cx: Context): Poll<T>;
  [Symbol.dispose]?(): void;
}

/**
 * What a waiting future waits on, for a hang's wait-for graph: the object (an
 * async lock, or the task it joins) and, for a lock, the task holding it and
 * the line where that task took it. Only futures that can name one have it
 * (a `waitsOn()` method beside `describe()`).
 */
export interface WaitsOn {
  /** "async Mutex 1", or a task's label ("task 2") for a join. */
  object: string;
  kind: 'lock' | 'join';
  holder?: { task: string; line: number };
}

declare const NOT_A_PROMISE: unique symbol;
/** A type no program can produce: the second parameter of a weft future's `then`, so that calling it does not type-check. */
export type NotAPromise = typeof NOT_A_PROMISE;

/**
 * What TypeScript sees weft's futures as. The compiled program awaits weft
 * futures, but the editor's type checker types `await x` from `x.then`, so
 * weft's futures declare one. It takes a second argument nobody can give:
 * `await f` type-checks, `f.then(…)` does not. A weft future is not a
 * Promise: it runs only when polled (awaited, spawned, joined, selected),
 * and `Promise.all`, `Promise.race` or `.then` would never poll it. At run
 * time its `then` throws, saying so (`awaitable`). (`Promise.all([f()])`
 * itself still type-checks: it accepts any values.)
 */
export interface Awaitable<T> extends Future<T> {
  then(onfulfilled: (value: T) => unknown, weft_futures_are_not_Promises_use_await_join_or_select: NotAPromise): never;
}

/** Why a weft future cannot go through Promise.all, Promise.race or .then, and what to write instead. */
export const NOT_A_PROMISE_MESSAGE =
  'a weft future is not a Promise: it runs only when it is awaited or spawned, so Promise.all, Promise.race, ' +
  'Promise.allSettled and .then() cannot drive it. Await it; to await several at once use join(a, b) (or tryJoin), ' +
  'for the first to finish use select({ … }), to run one in the background use spawn(…)';

/**
 * The `then` every weft future has at run time: Promise machinery calls it,
 * and learns it cannot use the future. It is read through a getter, which
 * keeps where it was read: `Promise.all([f()])` reads `then` in the reader's
 * call but calls it later, from a microtask whose stack has no line of the
 * reader's, and the error should point at the call.
 */
function readThen(): () => never {
  const at = new Error();
  return function notAPromise(): never {
    const error = new TypeError(NOT_A_PROMISE_MESSAGE);
    const frames = at.stack?.split('\n').slice(1);
    if (frames !== undefined) error.stack = [`TypeError: ${NOT_A_PROMISE_MESSAGE}`, ...frames].join('\n');
    throw error;
  };
}
const THEN: PropertyDescriptor = { get: readThen, configurable: true };

/** Gives `future` the `then` that refuses Promise machinery, and its Awaitable type. */
export function awaitable<T>(future: Future<T>): Awaitable<T> {
  Object.defineProperty(future, 'then', THEN);
  return future as unknown as Awaitable<T>;
}

/** Why a weft future cannot be printed or added: it is not its value. */
export const NOT_A_VALUE_MESSAGE =
  'a weft future is not its value: it gives one only when it is awaited, so `${…}`, + and String() of it have nothing ' +
  'to show (Rust refuses to compile it: `impl Future` does not implement `Display`). Write `await` before the call';

/**
 * A future turned into a string or a number (`${f()}` where `${await f()}` was meant) printed "[object Object]":
 * it throws instead, at the reader's line, as Rust refuses to format a future. console.log(future) is not affected.
 */
function notAValue(): never {
  throw new TypeError(NOT_A_VALUE_MESSAGE);
}

/** The same `then` on a future class's prototype, and a refusal to be turned into a string or a number. */
export function refuseThen(future: abstract new (...args: never[]) => Future<unknown>): void {
  Object.defineProperty(future.prototype, 'then', THEN);
  Object.defineProperty(future.prototype, Symbol.toPrimitive, { value: notAValue, configurable: true, writable: true });
}

/** Anything a task can await: a weft future, a native Promise (a leaf that wakes when it settles), or an `async` function's result. */
export type IntoFuture<T> = Future<T> | PromiseLike<T>;

/** The value a future of this type finishes with. */
export type Output<F> = F extends Future<infer T> ? T : F extends PromiseLike<infer T> ? T : never;

/** Rust's `Wake` trait: what a Waker calls. */
export interface Wake {
  wake(): void;
}

/** A handle that tells an executor to poll a task again (Rust's `std::task::Waker`). */
export class Waker {
  readonly #target: Wake;
  constructor(target: Wake) {
    this.#target = target;
  }
  /** `Waker::from(Arc<impl Wake>)`: a waker that calls `target.wake()`. */
  static from(target: Wake | (() => void)): Waker {
    return new Waker(typeof target === 'function' ? { wake: target } : target);
  }
  /** A waker that does nothing (`Waker::noop()`), for polling by hand. */
  static noop(): Waker {
    return NOOP;
  }
  /** Schedules the task to be polled again. */
  wake(): void {
    this.#target.wake();
  }
  /** Same as `wake` (Rust's `wake` consumes the waker; here both leave it usable). */
  wakeByRef(): void {
    this.#target.wake();
  }
  /** Another waker for the same task. */
  clone(): Waker {
    return new Waker(this.#target);
  }
  /** True when both wake the same task (Rust's `will_wake`). */
  willWake(other: Waker): boolean {
    return other.#target === this.#target;
  }
}

const NOOP = new Waker({ wake() {} });

/** Given to Context's constructor by an executor's task that is its own Context (runtime/task.ts): its Waker is made on first use. */
export const SELF_WAKING: unique symbol = Symbol('weft.selfWaking');

/** What a poll is given (Rust's `std::task::Context`): the waker of the task being polled. */
export class Context {
  #waker: Waker | null;
  constructor(waker: Waker | typeof SELF_WAKING) {
    if (waker === SELF_WAKING) this.#waker = null;
    else if (waker instanceof Waker) this.#waker = waker;
    else throw new TypeError('new Context(waker) expects a Waker (Waker.from(…), Waker.noop(), or cx.waker())');
  }
  static fromWaker(waker: Waker): Context {
    return new Context(waker);
  }
  waker(): Waker {
    // An executor's task is a Context whose waker wakes it: made only when a future asks, so a task that
    // finishes in one poll without waiting allocates none.
    return (this.#waker ??= new Waker(this as unknown as Wake));
  }
}

export function isFuture(value: unknown): value is Future<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { poll?: unknown }).poll === 'function';
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * Marks a future held by reference (combinators.ts `pin`): whoever polls it
 * borrows it, as Rust's `&mut fut` does, so giving it up (a losing select
 * branch, a cancelled task awaiting it) leaves it as it is. Its owner drops it.
 */
export const BY_REFERENCE = Symbol('weft.byReference');

/** Cancels a future that will not be polled again (Rust: drops it); a borrowed one (`BY_REFERENCE`) is only let go. */
export function dropFuture(future: Future<unknown> | null | undefined): void {
  if (future == null || (future as { [BY_REFERENCE]?: boolean })[BY_REFERENCE] === true) return;
  future[Symbol.dispose]?.();
}

/** A hook the executor installs (runtime.ts): a native Promise pending inside a task keeps the runtime from declaring a hang. */
export const externalWork = {
  started(): void {},
  settled(): void {},
};

/**
 * A native Promise as a leaf future: it is already running (Promises are
 * eager), so polling only watches it; it wakes the task when it settles.
 */
export class PromiseFuture<T> implements Future<T> {
  readonly #promise: PromiseLike<T>;
  #state: 'new' | 'pending' | 'fulfilled' | 'rejected' = 'new';
  #value: unknown;
  #waker: Waker | null = null;

  constructor(promise: PromiseLike<T>) {
    this.#promise = promise;
  }

  poll(cx: Context): Poll<T> {
    switch (this.#state) {
      case 'fulfilled':
        return Poll.ready(this.#value as T);
      case 'rejected':
        throw this.#value;
      case 'new':
        this.#state = 'pending';
        externalWork.started();
        this.#promise.then(
          (value) => this.#settle('fulfilled', value),
          (error: unknown) => this.#settle('rejected', error),
        );
    }
    this.#waker = cx.waker();
    return PENDING;
  }

  #settle(state: 'fulfilled' | 'rejected', value: unknown): void {
    this.#state = state;
    this.#value = value;
    externalWork.settled();
    const waker = this.#waker;
    this.#waker = null;
    waker?.wake();
  }

  [Symbol.dispose](): void {
    this.#waker = null;
  }

  describe(): string {
    return 'a JavaScript Promise to settle';
  }
}

/** What a pending future waits for, in words, for hang reports (optional on every future). */
export const describeFuture = (future: Future<unknown>): string => {
  const described = (future as { describe?: () => string }).describe;
  if (typeof described === 'function') return described.call(future);
  const name = className(future as object);
  return `a ${name && name !== 'Object' ? name : 'future'} whose waker has not been called`;
};

/** Turns what `spawn`, `blockOn`, `select`… accept into a future: a weft future, an async function to call, or a native Promise. */
export function intoFuture<T>(value: unknown, api: string): Future<T> {
  if (isFuture(value)) return value as Future<T>;
  if (typeof value === 'function') {
    const made: unknown = (value as () => unknown)();
    if (isFuture(made)) return made as Future<T>;
    if (isThenable(made)) return new PromiseFuture(made as PromiseLike<T>);
    throw new TypeError(`${api} was given a function that returned ${describeValue(made)}, not a future: pass an async function, like ${api}(async () => { … })`);
  }
  if (isThenable(value)) return new PromiseFuture(value as PromiseLike<T>);
  throw new TypeError(`${api} expects a future (an async function's result, or a weft/task future) but got ${describeValue(value)}`);
}

/** How an error message names a value that is not a future: its class, or its type. */
function describeValue(value: unknown): string {
  return value === null ? 'null' : typeof value === 'object' ? `a ${className(value as object) ?? 'object'}` : typeof value;
}
