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
import { awaitable, dropFuture, PENDING, Poll, type Awaitable, type Context, type Future, type IntoFuture, type Output } from './future.ts';
import { currentRuntime, intoFuture } from './runtime.ts';

type Branches = Record<string, IntoFuture<unknown>> | readonly IntoFuture<unknown>[];

/** Which branch of a `select` finished first, and with what. */
export type Selected<B> = B extends readonly unknown[]
  ? { [K in keyof B & `${number}`]: { readonly index: number; readonly key: K; readonly value: Output<B[K]> } }[keyof B & `${number}`]
  : { [K in keyof B]: { readonly key: K; readonly value: Output<B[K]> } }[keyof B];

export interface SelectOptions {
  /** Poll the branches in the order written instead of starting at a random one each time (`biased;` in tokio::select!). */
  biased?: boolean;
}

/**
 * Waits for the first of several futures to finish and cancels the others
 * at their await points. Branches are an object (`select({ msg: rx.recv(),
 * tick: sleep(1000) })` finishes with `{ key: 'msg', value }`) or an array
 * (`{ index, key, value }`). Each poll starts at a random branch so none is
 * starved, unless `{ biased: true }`. A branch that throws makes the select
 * throw, after the others are cancelled.
 */
export function select<const B extends Branches>(branches: B, options: SelectOptions = {}): Awaitable<Selected<B>> {
  const keys = Object.keys(branches);
  if (keys.length === 0) throw new TypeError('select needs at least one branch');
  const isArray = Array.isArray(branches);
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
  const future: Future<Selected<B>> & { describe(): string; [Symbol.dispose](): void } = {
    poll(cx: Context) {
      if (done) throw new Error('select resumed after completion');
      futures ??= keys.map((key) => intoFuture((branches as Record<string, unknown>)[key], 'select'));
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
          done = true;
          futures[at] = null;
          cancelAll();
          const key = keys[at]!;
          return Poll.ready((isArray ? { index: at, key, value: result.value } : { key, value: result.value }) as Selected<B>);
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

function joinFutures<F extends readonly IntoFuture<unknown>[]>(inputs: F, api: string): Awaitable<Outputs<F>> {
  let futures: (Future<unknown> | null)[] | null = null;
  const values: unknown[] = new Array(inputs.length);
  let remaining = inputs.length;
  const cancelRest = () => {
    const rest = futures ?? [];
    futures = null;
    for (const future of rest) dropFuture(future);
  };
  const future: Future<Outputs<F>> & { describe(): string; [Symbol.dispose](): void } = {
    poll(cx: Context) {
      futures ??= inputs.map((input) => intoFuture(input, api));
      for (let i = 0; i < futures.length; i++) {
        const branch = futures[i];
        if (branch == null) continue;
        let result: Poll<unknown>;
        try {
          result = branch.poll(cx);
        } catch (error) {
          // try_join!: the first Err cancels the rest; join!: a panic unwinds through it, dropping the rest too.
          futures[i] = null;
          cancelRest();
          throw error;
        }
        if (result.ready) {
          values[i] = result.value;
          futures[i] = null;
          remaining--;
        }
      }
      return remaining === 0 ? Poll.ready(values as Outputs<F>) : PENDING;
    },
    describe: () => `${remaining} of ${inputs.length} joined futures`,
    [Symbol.dispose]: cancelRest,
  };
  return awaitable(future);
}

/**
 * Awaits every future concurrently, in this one task, and finishes with all
 * their values in order (tokio::join!). If one throws, the others are
 * cancelled and the error is rethrown.
 */
export function join<const F extends readonly IntoFuture<unknown>[]>(...futures: F): Awaitable<Outputs<F>> {
  return joinFutures(futures, 'join');
}

/**
 * Like join, for futures that may fail: the first error cancels the rest
 * at once and is thrown (tokio::try_join!, where the first `Err` wins).
 */
export function tryJoin<const F extends readonly IntoFuture<unknown>[]>(...futures: F): Awaitable<Outputs<F>> {
  return joinFutures(futures, 'tryJoin');
}
