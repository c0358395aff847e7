/**
 * A task: a future plus its state, the unit the executor schedules (Tokio's
 * `runtime::task`, what `tokio::spawn` makes).
 * https://docs.rs/tokio/latest/tokio/task/index.html
 *
 * A task is idle until woken, queued until polled, running while polled,
 * and done once its future finished, panicked or was cancelled. Woken while
 * running, it is queued again when the poll returns (scheduler.ts). It keeps
 * Tokio's task metrics (polls, wakes, busy time) for the trace, and knows
 * where, in the reader's code, it awaits: what hang reports and the
 * timeline show.
 */
import { AsyncFn } from '../async-fn.ts';
import { Context, describeFuture, intoFuture, SELF_WAKING, type Future, type WaitsOn, type Waker } from '../future.ts';
import { runLocal } from '../../runtime/run-local.ts';

export const IDLE = 0;
export const QUEUED = 1;
export const RUNNING = 2;
/** Woken while being polled: queued again once the poll returns. */
export const RUNNING_WOKEN = 3;
export const DONE = 4;

/** The factory the compile step wraps a spawned async closure in (move.ts): given the bindings of what it moved, the closure. */
export type TaskFactory = (moved: Record<string, unknown>) => Function;

/** The bindings of a closure that rebinds no variable. */
export const NO_BINDINGS: Record<string, unknown> = Object.freeze({});

/** How a task ended (Task.ended). */
export const NOT_ENDED = 0;
export const ENDED_OK = 1;
export const PANICKED = 2;
export const CANCELLED = 3;

export type TaskOutcome = { kind: 'ok'; value: unknown } | { kind: 'panic'; error: unknown } | { kind: 'cancelled' };

/** What a task asks of the runtime that runs it (Tokio's `Schedule` trait): the scheduler's Runtime. */
export interface Schedule {
  /** Puts a woken task at the back of the run queue. */
  enqueue(task: Task): void;
  /** Cancels the task at its next await point (JoinHandle.abort). */
  abort(task: Task): void;
  /** Watches for another thread aborting the task through its AbortHandle (spawn.ts). */
  watchRemoteAbort(task: Task, addr: number): void;
}

/**
 * A task is also the Context its polls get (Rust's `Context` borrows the
 * task's Waker for one poll; a Context kept past that here still wakes this
 * task, which is harmless once it finished): one object where there were
 * three, for the many tasks that live only a poll or two.
 */
export class Task extends Context {
  /** Its id; a LocalSet's task made before any runtime ran it gets it when one adopts it (scheduler.ts `adopt`). */
  id: number;
  /** Its name, if it was given one (`spawn(f, { name })`; main's task is 'main'). */
  readonly #name: string | undefined;
  get name(): string {
    return this.#name ?? `task ${this.id}`;
  }
  /**
   * Its future, or, until its first poll, the factory of a spawned async closure with no parameters (`defer`),
   * whose bindings wait in #result, unused until the task ends: no field of their own in every task.
   */
  #future: Future<unknown> | TaskFactory | null;
  /** Its future: null once it finished, and before the first poll of a task that starts from its factory (`defer`). */
  get future(): Future<unknown> | null {
    const future = this.#future;
    return typeof future === 'function' ? null : future;
  }
  set future(future: Future<unknown> | null) {
    this.#future = future;
  }
  state = IDLE;
  /**
   * How it ended (NOT_ENDED, ENDED_OK, PANICKED, CANCELLED) and its value or panic: two fields read as `outcome`,
   * where an outcome object per task was kept by every finished task not yet awaited (issue 15).
   */
  #ended = NOT_ENDED;
  #result: unknown = undefined;
  /** NOT_ENDED, ENDED_OK, PANICKED or CANCELLED. */
  get ended(): number {
    return this.#ended;
  }
  /** Its value (ENDED_OK) or panic (PANICKED). */
  get result(): unknown {
    return this.#result;
  }
  get outcome(): TaskOutcome | undefined {
    switch (this.#ended) {
      case ENDED_OK:
        return { kind: 'ok', value: this.#result };
      case PANICKED:
        return { kind: 'panic', error: this.#result };
      case CANCELLED:
        return { kind: 'cancelled' };
      default:
        return undefined;
    }
  }
  set outcome(outcome: TaskOutcome) {
    this.#ended = outcome.kind === 'ok' ? ENDED_OK : outcome.kind === 'panic' ? PANICKED : CANCELLED;
    this.#result = outcome.kind === 'ok' ? outcome.value : outcome.kind === 'panic' ? outcome.error : undefined;
  }
  abortRequested = false;
  /** Handles the task took from its spawner (move.ts), dropped when it ends; null when none. */
  owned: object[] | null = null;
  /** The run-memory record of its AbortHandle once one crossed into another thread (spawn.ts), else 0. */
  remoteAbort = 0;
  /** Woken when the task finishes: whoever awaits its JoinHandle, a JoinSet (made on the first, most tasks have one or none). */
  onDone: Waker[] | null = null;
  /** Neighbours in the runtime's list of live tasks (an intrusive list: no allocation per spawn). */
  prev: Task | null = null;
  next: Task | null = null;
  /** The runtime that runs it: a woken task is queued there, an aborted one cancelled there (a LocalSet until a runtime adopts it). */
  runtime: Schedule;
  // Stats (Tokio's task metrics): polls, wakes, busy time, the line it awaits at.
  polls = 0;
  wakes = 0;
  /** Time spent in polls, measured only when the run is traced (two clock reads per poll otherwise saved). */
  busyMs = 0;
  /** How many sleeps (weft/task's sleep, sleepUntil, timeout…) waited in its polls, each counted once. */
  timers = 0;

  constructor(runtime: Schedule, id: number, name: string | undefined, future: Future<unknown> | null) {
    super(SELF_WAKING);
    this.runtime = runtime;
    this.id = id;
    this.#name = name;
    this.#future = future;
  }

  /**
   * The task starts from `factory` at its first poll (move.ts takeCaptures): a spawned async closure with no
   * parameters, whose captures have moved already. Until then it holds no future and body (issue 15).
   */
  defer(factory: TaskFactory, bindings: Record<string, unknown>): void {
    this.#future = factory;
    this.#result = bindings === NO_BINDINGS ? undefined : bindings;
  }

  /** What the executor polls: the future, made from the factory at the first poll. */
  pollable(): Future<unknown> {
    const future = this.#future;
    if (typeof future !== 'function') return future!;
    const bindings = (this.#result as Record<string, unknown> | undefined) ?? NO_BINDINGS;
    this.#result = undefined;
    this.#future = null;
    const made = intoFuture<unknown>(future(bindings), 'spawn');
    this.#future = made;
    return made;
  }

  /** Called through the task's Waker. */
  wake(): void {
    this.wakes++;
    switch (this.state) {
      case IDLE:
        this.state = QUEUED;
        this.runtime.enqueue(this);
        break;
      case RUNNING:
        this.state = RUNNING_WOKEN;
        break;
    }
  }

  get finished(): boolean {
    return this.state === DONE;
  }

  /** The reader's line of the innermost `await` this task is suspended at, and what it waits for there. */
  whereAwaiting(): { line: number; column: number; what: string; on?: WaitsOn } {
    return whereAwaiting(this.future);
  }

  /** How messages name the task: `task 3`, or `task 'main'` / `task 'reader'` when it has a name. */
  label(): string {
    return this.#name === undefined ? `task ${this.id}` : `task '${this.#name}'`;
  }
}

/**
 * The task being polled on this thread, null between polls (one executor per
 * thread, polling one task at a time; set by scheduler.ts). What asks: the
 * blocking-call lesson (diagnostics.ts), a trace event made inside a poll
 * (`runningTaskAt`), a handle given away (move.ts `giveAway`).
 */
let running: Task | null = null;
runLocal(() => (running = null));

export function runningTask(): Task | null {
  return running;
}

export function setRunningTask(task: Task | null): void {
  running = task;
}

/** The task being polled on this thread, and where (the reader's `await`) it is, for a trace event made inside its poll. */
export function runningTaskAt(): { id: number; at: () => { line: number; column: number } | undefined } | undefined {
  const task = running;
  if (task == null) return undefined;
  return {
    id: task.id,
    at: () => {
      const { line, column } = whereAwaiting(task.future);
      return line > 0 ? { line, column } : undefined;
    },
  };
}

/** The reader's line of the innermost `await` `future` is suspended at, and what it waits for there. */
export function whereAwaiting(future: Future<unknown> | null): { line: number; column: number; what: string; on?: WaitsOn } {
  let line = 0;
  let column = 0;
  let what = 'its turn to be polled';
  let on: WaitsOn | undefined;
  for (let depth = 0; future !== null && depth < 1000; depth++) {
    if (future instanceof AsyncFn) {
      if (future.line > 0) ({ line, column } = future);
      const inner = future.awaiting();
      if (inner === null) break;
      future = inner;
      continue;
    }
    const next = (future as { awaiting?: () => Future<unknown> | null }).awaiting?.();
    if (next) {
      future = next;
      continue;
    }
    what = describeFuture(future);
    on = (future as { waitsOn?: () => WaitsOn }).waitsOn?.();
    break;
  }
  return on === undefined ? { line, column, what } : { line, column, what, on };
}
