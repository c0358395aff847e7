/**
 * The future an `async` function returns once the compile step has lowered
 * it (compile/async-lowering.ts): its body is a generator, and every `await`
 * is a `yield` of the awaited value.
 *
 * This is what rustc makes of an `async fn`: a state machine whose states
 * are the await points. Calling the function evaluates its arguments and
 * builds the future; nothing of the body runs until the first poll. Each
 * poll resumes the body, polls what it awaits, and returns Pending as soon
 * as that is pending. Dropping the future (`[Symbol.dispose]`) while it is
 * suspended cancels it at that await point: `generator.return()` unwinds
 * the body, running its `finally` blocks and disposing its `using`
 * resources, exactly once, as Rust drops a future's live locals.
 */
import { dropFuture, isFuture, isThenable, PENDING, Poll, PromiseFuture, refuseThen, type Context, type Future } from './future.ts';
import { runningTask, type Task } from './runtime/task.ts';

/** The lowered code writes the reader's line of each `await` here just before suspending (one property write). */
export const site = { line: 0, column: 0 };

const NO_ARGS: unknown[] = [];

/** AsyncFn.#at: line * AT_LINE + column. */
const AT_LINE = 1 << 20;

/** AsyncFn's flags: it finished; its body returned a future it runs on into (`return other()` without `await`, as TypeScript types it); its body is a plain function, not a generator (an async function with no `await` of its own, compile/async-lowering.ts). */
const DONE = 1;
const ADOPTING = 2;
const ONCE = 4;

type Body = (this: unknown, ...args: unknown[]) => Generator<unknown, unknown, unknown>;

export class AsyncFn<T> implements Future<T> {
  /** Its body until the first poll, then the body's generator (null once it finished, or when the body is a plain function): one field. */
  #code: Body | Generator<unknown, unknown, unknown> | null;
  #self: unknown;
  #args: ArrayLike<unknown> | undefined;
  #awaiting: Future<unknown> | null = null;
  /** DONE | ADOPTING | ONCE: one field, not three (a future waiting in a task is kept alive until it runs: issue 15). */
  #flags: number;
  /** The task that first polled it: another task polling it while that one lives is awaiting one future twice. */
  #owner: Task | null = null;
  /** The reader's line and column of the `await` this body is suspended at, as line * 2^20 + column (0 before the first poll). */
  #at = 0;
  /** The reader's line of the `await` this body is suspended at (0 before the first poll). */
  get line(): number {
    return Math.floor(this.#at / AT_LINE);
  }
  /** Its column (1-based), with `line`. */
  get column(): number {
    return this.#at % AT_LINE;
  }

  constructor(body: Body, self: unknown, args: ArrayLike<unknown> | undefined, once = false) {
    this.#code = body;
    this.#self = self;
    this.#args = args;
    this.#flags = once ? ONCE : 0;
  }

  poll(cx: Context): Poll<T> {
    if ((this.#flags & DONE) !== 0) throw new Error('`async fn` resumed after completion: a future can be awaited only once (await its JoinHandle, or keep the value it returned)');
    const task = runningTask();
    if (task !== null) {
      const owner = this.#owner;
      if (owner === null) this.#owner = task;
      else if (owner !== task && !owner.finished) {
        throw new Error(
          `this future is already being awaited by ${owner.label()}: a future runs in one task and is awaited once ` +
            '(in Rust, awaiting it twice is a "use of moved value"). To share its result, spawn it once and await its JoinHandle, or send the value on a channel',
        );
      }
    }
    const code = this.#code;
    let generator = typeof code === 'function' ? null : code;
    let inner = this.#awaiting;
    if (typeof code === 'function') {
      const body = code;
      const self = this.#self;
      const args = (this.#args ?? NO_ARGS) as unknown[];
      this.#code = null;
      this.#self = this.#args = undefined;
      if ((this.#flags & ONCE) !== 0) {
        // The whole body, now: what it returns is the value, or a future it runs on into, as below.
        let returned: unknown;
        try {
          returned = body.apply(self, args);
        } catch (error) {
          this.#flags |= DONE;
          throw error;
        }
        if (!isFuture(returned) && !isThenable(returned)) {
          this.#flags |= DONE;
          return Poll.ready(returned as T);
        }
        this.#flags |= ADOPTING;
        this.#awaiting = inner = isFuture(returned) ? returned : new PromiseFuture(returned);
      } else {
        generator = body.apply(self, args);
        this.#code = generator;
      }
    }
    let input: unknown;
    let threw = false;
    for (;;) {
      if (inner !== null) {
        let result: Poll<unknown> | undefined;
        try {
          result = inner.poll(cx);
        } catch (error) {
          threw = true;
          input = error;
        }
        if (result !== undefined) {
          if (!result.ready) return PENDING as Poll<T>;
          input = result.value;
        }
        this.#awaiting = inner = null;
        if ((this.#flags & ADOPTING) !== 0) {
          this.#flags |= DONE;
          if (threw) throw input;
          return Poll.ready(input as T);
        }
      }
      let step: IteratorResult<unknown, unknown>;
      try {
        step = threw ? generator!.throw(input) : generator!.next(input);
      } catch (error) {
        this.#flags |= DONE;
        throw error;
      }
      threw = false;
      if (step.done) {
        this.#code = null;
        // `return other()` in an async function: TypeScript types the result as other()'s value (a Promise's
        // `return` adopts it), so the future runs on into it. Rust would need the `.await`; the types here can't ask for it.
        const returned = step.value;
        if (isFuture(returned) || isThenable(returned)) {
          this.#flags |= ADOPTING;
          this.#awaiting = inner = isFuture(returned) ? returned : new PromiseFuture(returned);
          continue;
        }
        this.#flags |= DONE;
        return Poll.ready(returned as T);
      }
      this.#at = site.line * AT_LINE + Math.min(site.column, AT_LINE - 1);
      const awaited = step.value;
      if (isFuture(awaited)) inner = awaited;
      else if (isThenable(awaited)) inner = new PromiseFuture(awaited);
      else {
        input = awaited; // `await 5` is 5 at once
        continue;
      }
      this.#awaiting = inner;
    }
  }

  /**
   * Spawned before its first poll: each `movable` argument is replaced by what `move`
   * makes of it (weft/task/move.ts moves handles into the task). Only plain
   * parameters read these (compile/async-lowering.ts).
   */
  moveArguments(movable: (value: unknown) => boolean, move: (value: unknown) => unknown): void {
    const args = this.#args;
    if (typeof this.#code !== 'function' || args === undefined) return;
    for (let i = 0; i < args.length; i++) {
      // Most spawned futures take plain data: nothing to copy then.
      if (movable(args[i])) {
        // A loop, not Array.from: the spawn's line is found in the stack `move` captures, within V8's ten frames.
        const moved: unknown[] = [];
        for (let j = 0; j < args.length; j++) moved.push(movable(args[j]) ? move(args[j]) : args[j]);
        this.#args = moved;
        return;
      }
    }
  }

  /** The future this body is suspended on, if any (for hang reports and stats). */
  awaiting(): Future<unknown> | null {
    return this.#awaiting;
  }

  /** Cancels the body at its await point: what it awaits is dropped first, then its `finally` blocks and `using` disposals run. */
  [Symbol.dispose](): void {
    if ((this.#flags & DONE) !== 0) return;
    this.#flags |= DONE;
    const inner = this.#awaiting;
    this.#awaiting = null;
    const code = this.#code;
    const generator = typeof code === 'function' ? null : code;
    this.#code = null;
    let failure: unknown;
    let failed = false;
    try {
      dropFuture(inner);
    } catch (error) {
      failed = true;
      failure = error;
    }
    if (generator !== null) {
      let step = generator.return(undefined);
      // A `finally` that awaits while being cancelled: Rust has no async drop, so the await fails there.
      for (let i = 0; !step.done && i < 100; i++) {
        dropFuture(isFuture(step.value) ? step.value : null);
        step = generator.throw(
          new Error(`cannot await in a \`finally\` block of a task being cancelled (line ${site.line}): cleanup on cancellation runs synchronously, as Rust's drop does`),
        );
      }
    }
    if (failed) throw failure;
  }

  describe(): string {
    return 'its body';
  }
}

/** `__weft.async` in compiled programs: the body of an `async` function, as a lazy future. */
export function lowerAsync(body: Body, self: unknown, args?: ArrayLike<unknown>): AsyncFn<unknown> {
  return new AsyncFn(body, self, args);
}

/** `__weft.asyncOnce`: the body of an `async` function with no `await` of its own, a plain function run at the first poll. */
export function lowerAsyncOnce(body: Body, self: unknown, args?: ArrayLike<unknown>): AsyncFn<unknown> {
  return new AsyncFn(body, self, args, true);
}

// An async function's future is no Promise: Promise.all or .then on it fails, saying to await, join or select (future.ts).
refuseThen(AsyncFn);
