/**
 * tokio::spawn, JoinHandle, JoinError, JoinSet, yield_now.
 * https://docs.rs/tokio/latest/tokio/task/index.html
 *
 * `spawn` hands a future to this thread's executor and returns at once; the
 * task runs when the executor gets to it, interleaved with the others at
 * their await points (never in parallel: the runtime is current-thread).
 * A JoinHandle is itself a future: awaiting it gives the task's value, or
 * rethrows its panic. Dropping a JoinHandle detaches the task (it keeps
 * running); `abort()` cancels it at its next await point.
 */
import { PENDING, Poll, Waker, type Awaitable, type Context, type Future, type IntoFuture } from './future.ts';
import { intoFuture, runtimeOrThrow, type Task } from './runtime.ts';
import { err, ok, type Result } from '../sync/result.ts';

/** Why awaiting a task failed (Rust's `tokio::task::JoinError`): it panicked, or it was cancelled. */
export class JoinError extends Error {
  readonly #cancelled: boolean;
  /** The task's own error, when it panicked. */
  readonly panic: unknown;
  constructor(task: string, cancelled: boolean, panic?: unknown) {
    super(cancelled ? `${task} was cancelled` : `${task} panicked: ${panic instanceof Error ? panic.message : String(panic)}`);
    this.name = 'JoinError';
    this.#cancelled = cancelled;
    this.panic = panic;
  }
  isCancelled(): boolean {
    return this.#cancelled;
  }
  isPanic(): boolean {
    return !this.#cancelled;
  }
}

/**
 * An owned permission to await a task. Awaiting gives its value; a task
 * that panicked rethrows its error (Rust: `Err(JoinError::Panic)`, which
 * code usually unwraps), and an aborted task throws a JoinError whose
 * `isCancelled()` is true.
 */
export class JoinHandle<T> implements Future<T> {
  readonly #task: Task;
  #waker: Waker | null = null;
  declare then: Awaitable<T>['then'];

  constructor(task: Task) {
    this.#task = task;
  }

  poll(cx: Context): Poll<T> {
    const task = this.#task;
    const outcome = task.outcome;
    if (outcome === undefined) {
      const waker = cx.waker();
      if (this.#waker === null || !this.#waker.willWake(waker)) {
        this.#forget();
        this.#waker = waker;
        task.onDone.push(waker);
      }
      return PENDING;
    }
    this.#forget();
    if (outcome.kind === 'ok') return Poll.ready(outcome.value as T);
    if (outcome.kind === 'panic') throw outcome.error;
    throw new JoinError(task.label(), true);
  }

  #forget(): void {
    if (this.#waker === null) return;
    const i = this.#task.onDone.indexOf(this.#waker);
    if (i >= 0) this.#task.onDone.splice(i, 1);
    this.#waker = null;
  }

  /** Cancels the task at its next await point: its `finally` blocks run, its `using` resources are disposed. No effect once it finished. */
  abort(): void {
    this.#task.runtime.abort(this.#task);
  }

  /** True once the task returned, panicked or was cancelled. */
  isFinished(): boolean {
    return this.#task.finished;
  }

  /** The task's id (Tokio's `task::Id`): 1 is main's. */
  id(): number {
    return this.#task.id;
  }

  /** No longer waiting for the task (it keeps running: dropping a JoinHandle detaches). */
  [Symbol.dispose](): void {
    this.#forget();
  }

  describe(): string {
    return `${this.#task.label()} to finish`;
  }
}

/**
 * Spawns a task running `future` on this thread's executor and returns its
 * JoinHandle. Pass an async function (`spawn(async () => { … })`) or a
 * future (`spawn(handle(socket))`); either way nothing runs before the
 * executor polls the task.
 */
export function spawn<T>(future: IntoFuture<T> | (() => IntoFuture<T>), options?: { name?: string }): JoinHandle<T> {
  const runtime = runtimeOrThrow('spawn');
  const task = runtime.spawn(intoFuture(future, 'spawn'), options?.name);
  return new JoinHandle<T>(task);
}

/** Gives the other tasks a turn: this task goes to the back of the queue (tokio::task::yield_now). */
export function yieldNow(): Awaitable<void> {
  let yielded = false;
  return {
    poll(cx: Context): Poll<void> {
      if (yielded) return Poll.ready(undefined);
      yielded = true;
      cx.waker().wakeByRef();
      return PENDING;
    },
    describe: () => 'its turn after yieldNow',
  } as unknown as Awaitable<void>;
}

/**
 * A set of tasks whose results come back in the order they finish
 * (tokio::task::JoinSet). Disposing the set (`using set = new JoinSet()`,
 * or the task that owns it being cancelled) aborts every task still in it.
 */
export class JoinSet<T> {
  readonly #tasks = new Set<Task>();
  readonly #done: Task[] = [];
  #waker: Waker | null = null;

  /** Spawns a task into the set; returns its JoinHandle's abort-capable twin. */
  spawn(future: IntoFuture<T> | (() => IntoFuture<T>)): AbortHandle {
    const runtime = runtimeOrThrow('JoinSet.spawn');
    const task = runtime.spawn(intoFuture(future, 'JoinSet.spawn'));
    this.#tasks.add(task);
    task.onDone.push(
      Waker.from(() => {
        this.#tasks.delete(task);
        this.#done.push(task);
        const waker = this.#waker;
        this.#waker = null;
        waker?.wake();
      }),
    );
    return new AbortHandle(task);
  }

  /** How many tasks are in the set (running, or finished and not yet joined). */
  len(): number {
    return this.#tasks.size + this.#done.length;
  }

  isEmpty(): boolean {
    return this.len() === 0;
  }

  /**
   * Waits for the next task to finish: `undefined` when the set is empty,
   * otherwise a Result (`ok` and the value, or not `ok` and a JoinError),
   * like Rust's `Option<Result<T, JoinError>>`.
   */
  joinNext(): Awaitable<Result<T, JoinError> | undefined> {
    const future: Future<Result<T, JoinError> | undefined> & { describe(): string } = {
      poll: (cx: Context) => {
        const task = this.#done.shift();
        if (task !== undefined) return Poll.ready(resultOf<T>(task));
        if (this.#tasks.size === 0) return Poll.ready(undefined);
        this.#waker = cx.waker();
        return PENDING;
      },
      describe: () => `one of ${this.#tasks.size} tasks of a JoinSet to finish`,
    };
    return future as unknown as Awaitable<Result<T, JoinError> | undefined>;
  }

  /** Waits for every task; returns their values in the order they finished (a panic is rethrown). */
  joinAll(): Awaitable<T[]> {
    const values: T[] = [];
    const future: Future<T[]> & { describe(): string } = {
      poll: (cx: Context) => {
        for (;;) {
          const task = this.#done.shift();
          if (task === undefined) break;
          const result = resultOf<T>(task);
          if (!result.ok) throw result.value.isPanic() ? result.value.panic : result.value;
          values.push(result.value);
        }
        if (this.#tasks.size === 0) return Poll.ready(values);
        this.#waker = cx.waker();
        return PENDING;
      },
      describe: () => `all ${this.#tasks.size} tasks of a JoinSet to finish`,
    };
    return future as unknown as Awaitable<T[]>;
  }

  /** Cancels every task in the set (they finish as cancelled). */
  abortAll(): void {
    for (const task of this.#tasks) task.runtime.abort(task);
  }

  /** Drop: aborts every task still running. */
  [Symbol.dispose](): void {
    this.abortAll();
    this.#waker = null;
  }
}

function resultOf<T>(task: Task): Result<T, JoinError> {
  const outcome = task.outcome!;
  if (outcome.kind === 'ok') return ok(outcome.value as T);
  return err(new JoinError(task.label(), outcome.kind === 'cancelled', outcome.kind === 'panic' ? outcome.error : undefined));
}

/** Cancels a task without being able to await it (tokio::task::AbortHandle). */
export class AbortHandle {
  readonly #task: Task;
  constructor(task: Task) {
    this.#task = task;
  }
  abort(): void {
    this.#task.runtime.abort(this.#task);
  }
  isFinished(): boolean {
    return this.#task.finished;
  }
  id(): number {
    return this.#task.id;
  }
}
