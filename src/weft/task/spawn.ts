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
import { consume, proceed, restoreBudget, withoutBudget } from './runtime/coop.ts';
import { awaitable, describeFuture, dropFuture, intoFuture, PENDING, Poll, refuseThen, Waker, type Awaitable, type Context, type Future, type IntoFuture, type WaitsOn } from './future.ts';
import type { Runtime } from './runtime/scheduler.ts';
import { ENDED_OK, NOT_ENDED, PANICKED, runningTask, runningTaskAt, type Task } from './runtime/task.ts';
import { rethrowAt } from '../runtime/threads.ts';
import { runtimeOrThrow } from './runtime/context.ts';
import { resumeUnwind } from './runtime/diagnostics.ts';
import { deferred, takeCaptures, TAKE } from './move.ts';
import { err, ok, type Result } from '../sync/result.ts';
import { context } from '../runtime/context.ts';
import { NotSendError } from '../runtime/codec.ts';
import { ENCODE, HandleKind, MOVE, registerDecoder, type Encodable } from '../runtime/handle.ts';
import { wake } from '../runtime/wait.ts';
import { markErrValue } from '../runtime/unwind.ts';
import { spawnBlocking } from './blocking.ts';

/**
 * Why a task did not finish with a value (Rust's `tokio::task::JoinError`):
 * it panicked, or it was cancelled. Its message is Tokio's Display:
 * `task 3 was cancelled`, `task 3 panicked with message "boom"`, or
 * `task 3 panicked` when what it threw was neither an Error nor a string.
 */
export class JoinError extends Error {
  readonly #cancelled: boolean;
  readonly #id: number;
  /** The task's own error (the panic payload), when it panicked. */
  readonly panic: unknown;
  constructor(id: number, cancelled: boolean, panic?: unknown) {
    super(cancelled ? `task ${id} was cancelled` : panicMessage(id, panic));
    this.name = 'JoinError';
    this.#cancelled = cancelled;
    this.#id = id;
    this.panic = panic;
  }
  /** True when the task was aborted (or dropped with its runtime) before it finished. */
  isCancelled(): boolean {
    return this.#cancelled;
  }
  /** True when the task panicked (also while being cancelled, as in Tokio). */
  isPanic(): boolean {
    return !this.#cancelled;
  }
  /** The panic payload: what the task threw. Throws if the task was cancelled instead (Rust: `into_panic`). */
  intoPanic(): unknown {
    if (this.#cancelled) throw new Error('`JoinError` reason is not a panic: the task was cancelled (check isPanic() first)');
    return this.panic;
  }
  /** The id of the task that failed (Tokio's `JoinError::id`). */
  id(): number {
    return this.#id;
  }
}

/**
 * Tokio's Display of a panicked task's JoinError: the message when the
 * payload is one (an Error's message, or a thrown string, as Rust's `String`
 * and `&str` payloads), else only `task 3 panicked` (`panic_any(1234)`).
 */
function panicMessage(id: number, panic: unknown): string {
  const message = panic instanceof Error ? panic.message : typeof panic === 'string' ? panic : undefined;
  return message === undefined ? `task ${id} panicked` : `task ${id} panicked with message ${JSON.stringify(message)}`;
}

/**
 * An owned permission to await a task. Awaiting gives its value; a task
 * that panicked rethrows its error (Rust: `Err(JoinError::Panic)`, which
 * code usually unwraps), and an aborted task throws a JoinError whose
 * `isCancelled()` is true.
 */
/** JoinHandle's #waker once the task's outcome was given out. */
const TAKEN = Symbol('taken');

export class JoinHandle<T> implements Future<T> {
  readonly #task: Task;
  /** The waker registered with the task, or TAKEN once its outcome was given out (awaited, or by `result()`): one field, as 100,000 handles waiting to be awaited each keep theirs (issue 15). */
  #waker: Waker | typeof TAKEN | null = null;
  declare then: Awaitable<T>['then'];

  constructor(task: Task) {
    this.#task = task;
  }

  poll(cx: Context): Poll<T> {
    if (this.#waker === TAKEN) {
      throw new Error("this JoinHandle was already awaited: a task's result is taken once (in Rust, awaiting the handle again is a \"use of moved value\"); keep the value the first await gave");
    }
    const task = this.#task;
    // Joining a task spends the awaiting task's coop budget, as in Tokio (runtime/coop.ts).
    if (!proceed(cx)) return PENDING;
    // Read from the task's fields, not `outcome`, which makes an object per read.
    const ended = task.ended;
    if (ended === NOT_ENDED) {
      const waker = cx.waker();
      const registered = this.#waker;
      if (registered === null || !registered.willWake(waker)) {
        this.#forget();
        this.#waker = waker;
        (task.onDone ??= []).push(waker);
      }
      return PENDING;
    }
    this.#forget();
    this.#waker = TAKEN;
    consume();
    if (ended === ENDED_OK) return Poll.ready(task.result as T);
    if (ended === PANICKED) {
      // The awaiting task panics here, at its `await` (as a thread's join() does), not at the line the task threw.
      rethrowAt(task.result, runningTaskAt()?.at());
      throw task.result;
    }
    throw new JoinError(task.id, true);
  }

  /**
   * Awaits the task as Tokio's `handle.await` does, as a Result: `{ ok: true,
   * value }`, or `{ ok: false, value: JoinError }` whose `isPanic()` /
   * `isCancelled()` say why (`intoPanic()` gives the panic payload). Awaiting
   * the handle itself is `handle.await.unwrap()`: the value, or the task's
   * panic rethrown, or a JoinError when it was cancelled.
   */
  result(): Awaitable<Result<T, JoinError>> {
    const handle = this;
    const task = this.#task;
    const future: Future<Result<T, JoinError>> & { describe(): string; waitsOn(): WaitsOn; [Symbol.dispose](): void } = {
      poll(cx: Context) {
        if (task.outcome === undefined) {
          handle.poll(cx);
          return PENDING;
        }
        if (handle.#waker === TAKEN) return handle.poll(cx) as never; // throws: already awaited
        handle.#forget();
        handle.#waker = TAKEN;
        return Poll.ready(resultOf<T>(task));
      },
      describe: () => handle.describe(),
      waitsOn: () => handle.waitsOn(),
      [Symbol.dispose]: () => handle.#forget(),
    };
    return awaitable(future);
  }

  /** No longer registered with the task (an outcome given out stays given out). */
  #forget(): void {
    const waker = this.#waker;
    if (waker === null || waker === TAKEN) return;
    const onDone = this.#task.onDone;
    const i = onDone === null ? -1 : onDone.indexOf(waker);
    if (i >= 0) onDone!.splice(i, 1);
    this.#waker = null;
  }

  /** Cancels the task at its next await point: its `finally` blocks run, its `using` resources are disposed. No effect once it finished. */
  abort(): void {
    this.#task.runtime.abort(this.#task);
  }

  /** A handle that can only abort the task, and can be sent to another thread (Tokio's `JoinHandle::abort_handle`). */
  abortHandle(): AbortHandle {
    return new AbortHandle(this.#task);
  }

  /**
   * A JoinHandle stays on the thread whose executor runs its task: its value
   * is a JavaScript object of that thread, and awaiting means being polled by
   * that executor. Sending it elsewhere is refused with what to do instead.
   */
  [ENCODE](): never {
    throw new NotSendError(
      `a task's JoinHandle cannot leave the thread whose executor runs ${this.#task.label()}: await it on that thread. ` +
        'To cancel the task from another thread, send handle.abortHandle(); to get its result there, send it through a channel.',
    );
  }
  [MOVE](): void {}

  /** True once the task returned, panicked or was cancelled. */
  isFinished(): boolean {
    return this.#task.finished;
  }

  /** The task's id (Tokio's `task::Id`): spawned tasks count from 1; main's is 0. */
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

  /** For a hang's wait-for graph: the task this handle joins. */
  waitsOn(): WaitsOn {
    return { object: this.#task.label(), kind: 'join' };
  }
}

/**
 * Spawns a task running `future` on this thread's executor and returns its
 * JoinHandle. Pass an async function (`spawn(async () => { … })`) or a
 * future (`spawn(handle(socket))`); either way nothing runs before the
 * executor polls the task.
 */
export function spawn<T>(future: IntoFuture<T> | (() => IntoFuture<T>), options?: { name?: string }): JoinHandle<T> {
  return new JoinHandle<T>(spawnTask(runtimeOrThrow('spawn'), future, 'spawn', options?.name));
}

/**
 * What a spawn's moved handles are gathered in: one array for every spawn, copied out for the rare task that
 * owns something (an empty array per task was kept by each of them). Null while a spawn is using it, should
 * moving a handle ever spawn again.
 */
let ownedScratch: object[] | null = [];

/** A new task of `runtime` running `value`; an async closure's captured handles move into it (move.ts). */
function spawnTask(runtime: Runtime, value: unknown, api: string, name?: string): Task {
  const id = runtime.takeTaskId();
  const scratch = ownedScratch;
  ownedScratch = null;
  const owned = scratch ?? [];
  let made: ReturnType<typeof takeCaptures>;
  try {
    made = takeCaptures(value, api, id, name, owned, true);
  } finally {
    if (scratch !== null) ownedScratch = scratch;
  }
  const taken = owned.length === 0 ? null : owned === scratch ? owned.splice(0) : owned;
  let task: Task;
  if (typeof made === 'function') {
    // Made into its future at its first poll (move.ts takeCaptures).
    task = runtime.spawn(null, name, id);
    task.defer(made, deferred.bindings);
  } else {
    task = runtime.spawn(made, name, id);
  }
  if (taken !== null) task.owned = taken;
  return task;
}

/**
 * Polls `future` without Tokio's coop budget (tokio::task::unconstrained):
 * the channels, locks, timers and task handles it waits on never make it
 * yield for having made progress 128 times in one turn (runtime/coop.ts).
 * The task then runs until it really waits, and may starve the others.
 */
export function unconstrained<T>(future: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
  let inner: Future<T> | null = null;
  const made: Future<T> & { describe(): string; awaiting(): Future<unknown> | null; [Symbol.dispose](): void } = {
    poll(cx: Context): Poll<T> {
      inner ??= intoFuture<T>(future, 'unconstrained');
      const budget = withoutBudget();
      try {
        return inner.poll(cx);
      } finally {
        restoreBudget(budget);
      }
    },
    awaiting: () => inner,
    describe: () => (inner === null ? 'an unconstrained future' : describeFuture(inner)),
    [Symbol.dispose]() {
      dropFuture(inner);
      inner = null;
    },
  };
  return awaitable(made);
}

/**
 * Spends one step of the task's coop budget (tokio::task::consume_budget):
 * finishes at once while the budget lasts, else yields once, so a long
 * computation in a loop gives the other tasks a turn every 128 rounds.
 */
export function consumeBudget(): Awaitable<void> {
  return awaitable<void>({
    describe: () => 'its turn after its coop budget was spent',
    poll(cx: Context): Poll<void> {
      if (!proceed(cx)) return PENDING;
      consume();
      return Poll.ready(undefined);
    },
  } as Future<void>);
}

/** Gives the other tasks a turn: this task goes to the back of the queue (tokio::task::yield_now). */
export function yieldNow(): Awaitable<void> {
  let yielded = false;
  return awaitable<void>({
    describe: () => 'its turn after yieldNow',
    poll(cx: Context): Poll<void> {
      if (yielded) return Poll.ready(undefined);
      yielded = true;
      cx.waker().wakeByRef();
      return PENDING;
    },
  } as Future<void>);
}

/**
 * The id of the task running this code (Tokio's `task::id()`): unique in the
 * run, across threads and runtimes. Throws outside a spawned task, as Tokio
 * panics, and that includes `async function main` and `blockOn`'s future
 * itself, which Tokio runs on the runtime without making it a task.
 */
export function id(): number {
  const task = runningTask();
  if (task === null || task.id === 0) {
    const where = task === null ? 'task.id() was called outside any task' : "task.id() was called in main's own future (async function main or blockOn's), which Tokio does not count as a task";
    throw new Error(`can't get a task id when not inside a task (${where}; spawn a task to have one, or use tryId(), which gives undefined there)`);
  }
  return task.id;
}

/** The id of the task running this code, or undefined outside a spawned task and in main's own future (Tokio's `task::try_id()`). */
export function tryId(): number | undefined {
  const task = runningTask();
  return task === null || task.id === 0 ? undefined : task.id;
}

/**
 * A set of tasks whose results come back in the order they finish
 * (tokio::task::JoinSet). Disposing the set (`using set = new JoinSet()`,
 * or the task that owns it being cancelled) aborts every task still in it.
 */
export class JoinSet<T> {
  /** The set's state, one object so that a JoinSet moved into a task (move.ts) hands it over whole. */
  #state = newState();

  /** Spawns a task into the set; returns its JoinHandle's abort-capable twin. */
  spawn(future: IntoFuture<T> | (() => IntoFuture<T>)): AbortHandle {
    const task = spawnTask(runtimeOrThrow('JoinSet.spawn'), future, 'JoinSet.spawn');
    const state = this.#state;
    state.tasks.add(task);
    (task.onDone ??= []).push(
      Waker.from(() => {
        state.tasks.delete(task);
        state.done.push(task);
        const waker = state.waker;
        state.waker = null;
        waker?.wake();
      }),
    );
    return new AbortHandle(task);
  }

  /**
   * Runs `f` on a thread of its own, as `spawnBlocking` does, as a task of
   * the set (Tokio's `JoinSet::spawn_blocking`): its value, or its panic as
   * a JoinError, comes back from `joinNext` like any task's. `f` moves into
   * the thread. Aborting it gives up waiting for the thread, which runs on
   * (blocking code cannot be stopped).
   */
  spawnBlocking(f: () => T): AbortHandle {
    const thread = spawnBlocking(f);
    const future: Future<T> & { describe(): string; [Symbol.dispose](): void } = {
      poll(cx: Context): Poll<T> {
        try {
          return thread.poll(cx);
        } catch (error) {
          // The thread's panic was shown when it happened: the task passes it on without showing it again.
          throw resumeUnwind(error);
        }
      },
      describe: () => thread.describe(),
      [Symbol.dispose]: () => thread[Symbol.dispose](),
    };
    return this.spawn(awaitable(future));
  }

  /** How many tasks are in the set (running, or finished and not yet joined). */
  len(): number {
    return this.#state.tasks.size + this.#state.done.length;
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
    const state = this.#state;
    const future: Future<Result<T, JoinError> | undefined> & { describe(): string } = {
      poll: (cx: Context) => {
        // Each task joined spends the coop budget, as Tokio's join_next does through the task's JoinHandle.
        if (!proceed(cx)) return PENDING;
        const task = state.done.shift();
        if (task !== undefined) {
          consume();
          return Poll.ready(resultOf<T>(task));
        }
        if (state.tasks.size === 0) return Poll.ready(undefined);
        state.waker = cx.waker();
        return PENDING;
      },
      describe: () => `one of ${state.tasks.size} tasks of a JoinSet to finish`,
    };
    return awaitable(future);
  }

  /**
   * The next finished task's Result without waiting, or `undefined` when
   * none has finished yet (or the set is empty): Tokio's `try_join_next`.
   */
  tryJoinNext(): Result<T, JoinError> | undefined {
    const task = this.#state.done.shift();
    return task === undefined ? undefined : resultOf<T>(task);
  }

  /**
   * Like `joinNext`, with the task's id: `[id, value]` when it returned
   * (Tokio's `join_next_with_id`, whose `Ok((id, value))` is `{ ok: true,
   * value: [id, value] }`); a JoinError carries its id in `id()`.
   */
  joinNextWithId(): Awaitable<Result<[number, T], JoinError> | undefined> {
    const state = this.#state;
    const future: Future<Result<[number, T], JoinError> | undefined> & { describe(): string } = {
      poll: (cx: Context) => {
        const task = state.done.shift();
        if (task !== undefined) return Poll.ready(withId<T>(task));
        if (state.tasks.size === 0) return Poll.ready(undefined);
        state.waker = cx.waker();
        return PENDING;
      },
      describe: () => `one of ${state.tasks.size} tasks of a JoinSet to finish`,
    };
    return awaitable(future);
  }

  /** `tryJoinNext` with the task's id (Tokio's `try_join_next_with_id`). */
  tryJoinNextWithId(): Result<[number, T], JoinError> | undefined {
    const task = this.#state.done.shift();
    return task === undefined ? undefined : withId<T>(task);
  }

  /**
   * Aborts every task and waits until all have ended, leaving the set empty
   * (Tokio's `shutdown`). Their results are dropped.
   */
  shutdown(): Awaitable<void> {
    const state = this.#state;
    let aborted = false;
    const future: Future<void> & { describe(): string } = {
      poll: (cx: Context) => {
        if (!aborted) {
          aborted = true;
          this.abortAll();
        }
        state.done.length = 0;
        if (state.tasks.size === 0) return Poll.ready(undefined);
        state.waker = cx.waker();
        return PENDING;
      },
      describe: () => `${state.tasks.size} aborted tasks of a JoinSet to end`,
    };
    return awaitable(future);
  }

  /**
   * Waits for every task; returns their values in the order they finished.
   * A task that panicked or was cancelled ends it as Tokio's `join_all` does:
   * the set's other tasks are aborted and the panic goes on (not shown a
   * second time: `resume_unwind`), or the JoinError is thrown.
   */
  joinAll(): Awaitable<T[]> {
    const state = this.#state;
    const values: T[] = [];
    const future: Future<T[]> & { describe(): string } = {
      poll: (cx: Context) => {
        for (;;) {
          const task = state.done.shift();
          if (task === undefined) break;
          const result = resultOf<T>(task);
          if (!result.ok) {
            this.abortAll();
            throw result.value.isPanic() ? resumeUnwind(result.value.panic) : result.value;
          }
          values.push(result.value);
        }
        if (state.tasks.size === 0) return Poll.ready(values);
        state.waker = cx.waker();
        return PENDING;
      },
      describe: () => `all ${state.tasks.size} tasks of a JoinSet to finish`,
    };
    return awaitable(future);
  }

  /** Cancels every task in the set (they finish as cancelled). */
  abortAll(): void {
    for (const task of this.#state.tasks) task.runtime.abort(task);
  }

  /**
   * Empties the set without aborting anything: the tasks keep running,
   * detached, as if their JoinHandles were dropped (Tokio's `detach_all`).
   */
  detachAll(): void {
    const old = this.#state;
    this.#state = newState();
    // A task that finishes later reports to the old state, which nobody reads.
    old.waker = null;
  }

  /** Drop: aborts every task still running. */
  [Symbol.dispose](): void {
    // Not through abortAll(): once moved into a task (move.ts), `using` may still call this on the spent object.
    for (const task of this.#state.tasks) task.runtime.abort(task);
    this.#state.waker = null;
  }

  /** Moved into a task (move.ts): the task's JoinSet takes the tasks, and aborts them when the task ends. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new JoinSet<T>();
    fresh.#state = this.#state;
    this.#state = newState();
    return { fresh, what: 'JoinSet' };
  }
}

function newState(): { tasks: Set<Task>; done: Task[]; waker: Waker | null } {
  return { tasks: new Set(), done: [], waker: null };
}

function withId<T>(task: Task): Result<[number, T], JoinError> {
  const result = resultOf<T>(task);
  return result.ok ? ok([task.id, result.value]) : result;
}

function resultOf<T>(task: Task): Result<T, JoinError> {
  const outcome = task.outcome!;
  if (outcome.kind === 'ok') return ok(outcome.value as T);
  return err(new JoinError(task.id, outcome.kind === 'cancelled', outcome.kind === 'panic' ? outcome.error : undefined));
}

/** Words of the record an AbortHandle gets in run memory once it crosses into another thread. */
const R = { abort: 0, finished: 1, taskId: 2 } as const;

/**
 * Cancels a task without being able to await it (tokio::task::AbortHandle).
 * It can cross into other threads (Tokio's is `Send`): the first time it is
 * sent, the task gets a record in run memory; `abort()` from another thread
 * sets its flag and wakes the executor that runs the task, which aborts it
 * at its next await point (runtime/scheduler.ts, `checkRemote`). It is
 * copied, not moved: the sender keeps its own.
 */
export class AbortHandle implements Encodable {
  readonly #task: Task | null;
  #addr: number;

  constructor(task: Task | null, addr = 0) {
    this.#task = task;
    this.#addr = addr;
  }

  abort(): void {
    if (this.#task !== null) {
      this.#task.runtime.abort(this.#task);
      return;
    }
    const i32 = context().memory.i32;
    Atomics.store(i32, (this.#addr >> 2) + R.abort, 1);
    wake(i32, (this.#addr >> 2) + R.abort);
  }

  isFinished(): boolean {
    if (this.#task !== null) return this.#task.finished;
    return Atomics.load(context().memory.i32, (this.#addr >> 2) + R.finished) !== 0;
  }

  id(): number {
    if (this.#task !== null) return this.#task.id;
    return context().memory.i32[(this.#addr >> 2) + R.taskId]!;
  }

  [ENCODE]() {
    const task = this.#task;
    if (this.#addr === 0 && task !== null) {
      const memory = context().memory;
      this.#addr = memory.allocRecord(3);
      memory.i32[(this.#addr >> 2) + R.taskId] = task.id;
      memory.i32[(this.#addr >> 2) + R.finished] = task.finished ? 1 : 0;
      task.runtime.watchRemoteAbort(task, this.#addr);
    }
    return { kind: HandleKind.AbortHandle, addr: this.#addr };
  }

  /** Copied, not moved: the sender's AbortHandle stays usable. */
  [MOVE](): void {}
}

registerDecoder(HandleKind.AbortHandle, (addr) => new AbortHandle(null, addr));

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(JoinError);

// Awaiting a JoinHandle is the way; Promise machinery cannot drive it (future.ts, awaitable).
refuseThen(JoinHandle);
