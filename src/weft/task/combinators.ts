/**
 * Waiting for several futures in one task: tokio::select!, tokio::join!,
 * tokio::try_join!.
 * https://docs.rs/tokio/latest/tokio/macro.select.html
 *
 * All of them poll their branches themselves, inside the one task that
 * awaits them: no branch is a task of its own, so none runs in parallel
 * with another, and a branch that is no longer wanted is cancelled by
 * being dropped at its await point (its `finally` blocks run then).
 */
import { isPanic } from '../runtime/unwind.ts';
import { awaitable, BY_REFERENCE, dropFuture, intoFuture, PENDING, Poll, refuseThen, type Awaitable, type Context, type Future, type IntoFuture, type Output } from './future.ts';
import { currentRuntime } from './runtime/context.ts';

/** A branch's future, or `false`/`null`/`undefined` for a branch disabled this time (Tokio's `, if condition`). */
type Branch = IntoFuture<unknown> | false | null | undefined;
type Branches = Record<string, Branch> | readonly Branch[];

/** What `select` finishes with when every branch is disabled and `{ else: true }` was given (Tokio's `else =>` branch). */
export interface SelectedElse {
  readonly key: 'else';
  readonly index: -1;
  readonly value: undefined;
}

/** Which branch of a `select` finished first, and with what. */
export type Selected<B> = B extends readonly unknown[]
  ? { [K in keyof B & `${number}`]: { readonly index: number; readonly key: K; readonly value: Output<B[K]> } }[keyof B & `${number}`]
  : { [K in keyof B]: { readonly key: K; readonly value: Output<B[K]> } }[keyof B];

export interface SelectOptions {
  /** Poll the branches in the order written instead of starting at a random one each time (`biased;` in tokio::select!). */
  biased?: boolean;
  /**
   * Tokio's `else` branch: when every branch is disabled (its value is
   * `false`, `null` or `undefined`), finish at once with `{ key: 'else' }`.
   * Without it, a select with every branch disabled throws, as select! panics.
   */
  else?: boolean;
  /**
   * Tokio's `<pattern> = <future> => …`: for a branch named here (by key, or
   * by index for an array of branches), a test of its value. A value that
   * fails it does not finish the select: the branch is disabled for the rest
   * of this select, and the others go on (`select({ msg: rx.recv(), … },
   * { patterns: { msg: (m) => m !== undefined } })` is `Some(msg) = rx.recv()`).
   * When every branch is disabled so, the `else` branch runs, or the select
   * throws, as select! panics.
   */
  patterns?: Readonly<Record<string, (value: any) => boolean>>;
}

/**
 * Waits for the first of several futures to finish and cancels the others
 * at their await points. Branches are an object (`select({ msg: rx.recv(),
 * tick: sleep(1000) })` finishes with `{ key: 'msg', value }`) or an array
 * (`{ index, key, value }`). Each poll starts at a random branch so none is
 * starved, unless `{ biased: true }`. A branch that throws makes the select
 * throw, after the others are cancelled.
 */
export function select<const B extends Branches>(branches: B, options: SelectOptions & { else: true }): Awaitable<Selected<B> | SelectedElse>;
export function select<const B extends Branches>(branches: B, options?: SelectOptions): Awaitable<Selected<B>>;
export function select<const B extends Branches>(branches: B, options: SelectOptions = {}): Awaitable<Selected<B> | SelectedElse> {
  const keys = Object.keys(branches);
  // `select! { else => … }` is Tokio's one select without branches: it finishes with the else branch at once.
  if (keys.length === 0 && !options.else) throw new TypeError('select needs at least one branch (or { else: true }, which then finishes at once with the else branch)');
  const isArray = Array.isArray(branches);
  const enabled = (value: unknown) => value !== false && value !== null && value !== undefined;
  let futures: (Future<unknown> | null)[] | null = null;
  let done = false;
  const cancelAll = () => {
    if (futures === null) return;
    const pending = futures;
    futures = null;
    let failure: unknown;
    let failed = false;
    for (const future of pending) {
      try {
        dropFuture(future);
      } catch (error) {
        if (!failed) failure = error;
        failed = true;
      }
    }
    if (failed) throw failure;
  };
  const future: Future<Selected<B> | SelectedElse> & { describe(): string; [Symbol.dispose](): void } = {
    poll(cx: Context) {
      if (done) throw new Error('select resumed after completion');
      if (futures === null) {
        const values = keys.map((key) => (branches as Record<string, unknown>)[key]);
        if (!values.some(enabled)) {
          done = true;
          if (options.else) return Poll.ready({ key: 'else', index: -1, value: undefined } satisfies SelectedElse);
          throw new Error('select: all branches are disabled and there is no else branch (pass { else: true } to handle that case)');
        }
        futures = values.map((value) => (enabled(value) ? intoFuture(value, 'select') : null));
      }
      const n = keys.length;
      const start = options.biased ? 0 : (currentRuntime()?.random() ?? 0) % n;
      for (let i = 0; i < n; i++) {
        const at = (start + i) % n;
        const branch = futures[at];
        if (branch == null) continue;
        let result: Poll<unknown>;
        try {
          result = branch.poll(cx);
        } catch (error) {
          done = true;
          futures[at] = null;
          cancelAll();
          throw error;
        }
        if (result.ready) {
          const key = keys[at]!;
          const pattern = options.patterns?.[key];
          if (pattern !== undefined && !pattern(result.value)) {
            // The value does not match the branch's pattern: the branch is disabled, and the select goes on.
            futures[at] = null;
            if (futures.some((f) => f !== null)) continue;
            done = true;
            futures = null;
            if (options.else) return Poll.ready({ key: 'else', index: -1, value: undefined } satisfies SelectedElse);
            throw new Error(`select: all branches are disabled and there is no else branch (branch ${key}'s value did not match its pattern; pass { else: true } to handle that case)`);
          }
          done = true;
          futures[at] = null;
          cancelAll();
          return Poll.ready((isArray ? { index: at, key, value: result.value } : { key, value: result.value }) as Selected<B> | SelectedElse);
        }
      }
      return PENDING;
    },
    describe: () => `the first of ${keys.length} select branches (${keys.join(', ')})`,
    [Symbol.dispose]() {
      done = true;
      cancelAll();
    },
  };
  return awaitable(future);
}

type Outputs<F extends readonly unknown[]> = { -readonly [K in keyof F]: Output<F[K]> };

/** How `join` and `tryJoin` poll their futures. */
export interface JoinOptions {
  /**
   * Poll the futures in the order written every time (`join!(biased; …)`).
   * Without it, as in Tokio, each poll starts one future further on
   * (1 2 3, then 2 3 1, then 3 1 2, …), so none is always polled first.
   */
  biased?: boolean;
}

/** `join({ biased: true }, a, b)`: a leading options object, told from the futures by being neither a future, a Promise nor a function. */
function splitOptions(args: readonly unknown[]): { options: JoinOptions; inputs: readonly IntoFuture<unknown>[] } {
  const first = args[0];
  if (typeof first === 'object' && first !== null && 'biased' in first && typeof (first as { poll?: unknown }).poll !== 'function' && typeof (first as { then?: unknown }).then !== 'function') {
    return { options: first as JoinOptions, inputs: args.slice(1) as IntoFuture<unknown>[] };
  }
  return { options: {}, inputs: args as IntoFuture<unknown>[] };
}

function joinFutures<F extends readonly IntoFuture<unknown>[]>(inputs: F, api: string, options: JoinOptions): Awaitable<Outputs<F>> {
  let futures: (Future<unknown> | null)[] | null = null;
  /** Where the next poll starts (Tokio's `skip_next_time`). */
  let skip = 0;
  const values: unknown[] = new Array(inputs.length);
  let remaining = inputs.length;
  /** join's first Err (a weft error that stands for Rust's `Err`), thrown once every branch is done. */
  let firstErr: { error: unknown } | undefined;
  const cancelRest = () => {
    const rest = futures ?? [];
    futures = null;
    for (const future of rest) dropFuture(future);
  };
  const future: Future<Outputs<F>> & { describe(): string; [Symbol.dispose](): void } = {
    poll(cx: Context) {
      futures ??= inputs.map((input) => intoFuture(input, api));
      const n = futures.length;
      const start = options.biased ? 0 : skip;
      skip = skip + 1 >= n ? 0 : skip + 1;
      for (let k = 0; k < n; k++) {
        const i = (start + k) % n;
        const branch = futures[i];
        if (branch == null) continue;
        let result: Poll<unknown>;
        try {
          result = branch.poll(cx);
        } catch (error) {
          futures[i] = null;
          // join!: an Err is a value like any other, the other branches run to their end (thrown after them);
          // try_join!: the first Err cancels the rest; a panic unwinds through either, dropping the rest too.
          if (api === 'join' && !isPanic(error)) {
            firstErr ??= { error };
            remaining--;
            continue;
          }
          cancelRest();
          throw error;
        }
        if (result.ready) {
          values[i] = result.value;
          futures[i] = null;
          remaining--;
        }
      }
      if (remaining > 0) return PENDING;
      if (firstErr !== undefined) throw firstErr.error;
      return Poll.ready(values as Outputs<F>);
    },
    describe: () => `${remaining} of ${inputs.length} joined futures`,
    [Symbol.dispose]: cancelRest,
  };
  return awaitable(future);
}

/**
 * Awaits every future concurrently, in this one task, and finishes with all
 * their values in order (tokio::join!). A branch that fails with an error
 * standing for Rust's `Err` (Elapsed, RecvError, SendError, …) does not stop
 * the others: join! waits for every branch, and the first such error is
 * thrown once they are all done (join! would return it in its tuple). A
 * panic (any other throw) cancels the others and is rethrown at once.
 * tryJoin stops at the first error of any kind.
 *
 * Each poll starts at the next future in turn, as join! does; a leading
 * `{ biased: true }` (`join({ biased: true }, a, b)`, Tokio's
 * `join!(biased; a, b)`) polls them in the order written every time.
 */
export function join<const F extends readonly IntoFuture<unknown>[]>(options: JoinOptions, ...futures: F): Awaitable<Outputs<F>>;
export function join<const F extends readonly IntoFuture<unknown>[]>(...futures: F): Awaitable<Outputs<F>>;
export function join(...args: unknown[]): Awaitable<unknown[]> {
  const { options, inputs } = splitOptions(args);
  return joinFutures(inputs, 'join', options);
}

/**
 * Like join, for futures that may fail: the first error cancels the rest
 * at once and is thrown (tokio::try_join!, where the first `Err` wins).
 * Polled in turn like join; `tryJoin({ biased: true }, …)` in order.
 */
export function tryJoin<const F extends readonly IntoFuture<unknown>[]>(options: JoinOptions, ...futures: F): Awaitable<Outputs<F>>;
export function tryJoin<const F extends readonly IntoFuture<unknown>[]>(...futures: F): Awaitable<Outputs<F>>;
export function tryJoin(...args: unknown[]): Awaitable<unknown[]> {
  const { options, inputs } = splitOptions(args);
  return joinFutures(inputs, 'tryJoin', options);
}

/**
 * A future held by reference: Tokio's `tokio::pin!(fut)` then `&mut fut`.
 * `select` (or `timeout`, `join`, a task being cancelled) only borrows it:
 * when its branch loses, it is left where it was, not cancelled, so the
 * next `select` in a loop goes on polling the same operation:
 *
 *   const op = pin(download());               // tokio::pin!(op)
 *   for (;;) {
 *     const r = await select({ op: !op.isTerminated() && op, tick: sleep(100) });  // &mut op, if !done
 *     …
 *   }
 *
 * Its owner ends it: `op.drop()` (or `using op = pin(…)`) cancels the
 * operation if it has not finished. Polling it again after it finished
 * throws, as Rust's `async fn resumed after completion` panics: disable
 * the branch with `!op.isTerminated() && op`.
 */
export class Pinned<T> implements Future<T> {
  #inner: Future<T> | null;
  #terminated = false;
  readonly [BY_REFERENCE] = true;

  constructor(future: IntoFuture<T> | (() => IntoFuture<T>)) {
    this.#inner = intoFuture<T>(future, 'pin');
  }

  poll(cx: Context): Poll<T> {
    const inner = this.#inner;
    if (inner === null) {
      throw new Error(
        this.#terminated
          ? 'this pinned future already finished (Rust: "`async fn` resumed after completion"): disable its select branch with `!op.isTerminated() && op`'
          : 'this pinned future was dropped',
      );
    }
    let result: Poll<T>;
    try {
      result = inner.poll(cx);
    } catch (error) {
      this.#inner = null;
      this.#terminated = true;
      throw error;
    }
    if (result.ready) {
      this.#inner = null;
      this.#terminated = true;
    }
    return result;
  }

  /** True once the future finished (or was dropped): polling it again would throw (futures' `FusedFuture::is_terminated`). */
  isTerminated(): boolean {
    return this.#terminated || this.#inner === null;
  }

  /** Drops the operation: cancels it at its await point if it has not finished. */
  drop(): void {
    const inner = this.#inner;
    this.#inner = null;
    this.#terminated = true;
    dropFuture(inner);
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  /** What it waits for (hang reports). */
  awaiting(): Future<unknown> | null {
    return this.#inner;
  }

  describe(): string {
    return 'a pinned future';
  }
}

refuseThen(Pinned);

/** `tokio::pin!(fut)`: a future that `select` can poll again and again without cancelling it (see Pinned). */
export function pin<T>(future: IntoFuture<T> | (() => IntoFuture<T>)): Pinned<T> & Awaitable<T> {
  return new Pinned<T>(future) as Pinned<T> & Awaitable<T>;
}
