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

/** The factory the compile step wraps a spawned async closure in (move.ts): given the bindings of what it moved, the closure, or (for weft/task's own spawn of a closure with no parameters) the closure's future. */
export type TaskFactory = (moved: Record<string, unknown>) => Function;

/** The bindings of a closure that rebinds no variable. */
export const NO_BINDINGS: Record<string, unknown> = Object.freeze({});

/** How a task ended (Task.ended). */
export const NOT_ENDED = 0;
export const ENDED_OK = 1 as const;
export const PANICKED = 2 as const;
export const CANCELLED = 3 as const;

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
/**
 * What few tasks have (a name, handles they own, a remote abort, timers that waited, and in a traced run its
 * counts of polls and wakes and its busy time): one record, made when one is set.
 */
class Rare {
  name: string | undefined = undefined;
  owned: object[] | null = null;
  remoteAbort = 0;
  busyMs = 0;
  timers = 0;
  polls = 0;
  wakes = 0;
}

/** Task.#flags: its state (IDLE … DONE) in bits 0-2, how it ended (NOT_ENDED … CANCELLED) in bits 3-4, whether an abort was requested in bit 5. */
const STATE_MASK = 7;
const ENDED_SHIFT = 3;
const ENDED_MASK = 3 << ENDED_SHIFT;
const ABORT_REQUESTED = 1 << 5;

export class Task extends Context {
  /** Its id; a LocalSet's task made before any runtime ran it gets it when one adopts it (scheduler.ts `adopt`). */
  id: number;
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
  /** IDLE, QUEUED, RUNNING, RUNNING_WOKEN or DONE. */
  get state(): number {
    return this.#flags & STATE_MASK;
  }
  set state(state: number) {
    this.#flags = (this.#flags & ~STATE_MASK) | state;
  }
  /**
   * Its state, how it ended (NOT_ENDED, ENDED_OK, PANICKED, CANCELLED) and whether an abort was requested, in one number, and
   * its value or panic: read as `outcome`, where an outcome object per task was kept by every finished task not yet
   * awaited (issue 15). A task's fields are copied by every young collection while it lives, and a program that
   * spawns 100,000 tasks keeps them all: each field is 8 bytes a task in Node (no pointer compression).
   */
  #flags = IDLE | (NOT_ENDED << ENDED_SHIFT);
  #result: unknown = undefined;
  /** NOT_ENDED, ENDED_OK, PANICKED or CANCELLED. */
  get ended(): number {
    return (this.#flags & ENDED_MASK) >> ENDED_SHIFT;
  }
  /** Its value (ENDED_OK) or panic (PANICKED). */
  get result(): unknown {
    return this.#result;
  }
  get outcome(): TaskOutcome | undefined {
    switch ((this.#flags & ENDED_MASK) >> ENDED_SHIFT) {
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
    const ended = outcome.kind === 'ok' ? ENDED_OK : outcome.kind === 'panic' ? PANICKED : CANCELLED;
    this.#flags = (this.#flags & ~ENDED_MASK) | (ended << ENDED_SHIFT);
    this.#result = outcome.kind === 'ok' ? outcome.value : outcome.kind === 'panic' ? outcome.error : undefined;
  }
  /** Ends it: ENDED_OK with its value, PANICKED with its panic, or CANCELLED. */
  end(ended: typeof ENDED_OK | typeof PANICKED | typeof CANCELLED, value: unknown): void {
    this.#flags = (this.#flags & ~ENDED_MASK) | (ended << ENDED_SHIFT);
    this.#result = ended === CANCELLED ? undefined : value;
  }
  /** An abort was requested (JoinHandle.abort, an AbortHandle): the task is cancelled at its next await. */
  get abortRequested(): boolean {
    return (this.#flags & ABORT_REQUESTED) !== 0;
  }
  set abortRequested(requested: boolean) {
    this.#flags = requested ? this.#flags | ABORT_REQUESTED : this.#flags & ~ABORT_REQUESTED;
  }
  /** What few tasks have, or null. */
  #rare: Rare | null = null;
  #rareOrNew(): Rare {
    return (this.#rare ??= new Rare());
  }
  /** Handles the task took from its spawner (move.ts), dropped when it ends; null when none. */
  get owned(): object[] | null {
    return this.#rare === null ? null : this.#rare.owned;
  }
  set owned(owned: object[] | null) {
    if (owned !== null || this.#rare !== null) this.#rareOrNew().owned = owned;
  }
  /** The run-memory record of its AbortHandle once one crossed into another thread (spawn.ts), else 0. */
  get remoteAbort(): number {
    return this.#rare === null ? 0 : this.#rare.remoteAbort;
  }
  set remoteAbort(addr: number) {
    this.#rareOrNew().remoteAbort = addr;
  }
  /** Time spent in polls, measured only when the run is traced (two clock reads per poll otherwise saved). */
  get busyMs(): number {
    return this.#rare === null ? 0 : this.#rare.busyMs;
  }
  set busyMs(ms: number) {
    this.#rareOrNew().busyMs = ms;
  }
  /** How many sleeps (weft/task's sleep, sleepUntil, timeout…) waited in its polls, each counted once. */
  get timers(): number {
    return this.#rare === null ? 0 : this.#rare.timers;
  }
  set timers(count: number) {
    this.#rareOrNew().timers = count;
  }
  /** Its name, if it was given one (`spawn(f, { name })`; main's task is 'main'). */
  get name(): string {
    return this.#rare?.name ?? `task ${this.id}`;
  }
  /** Woken when the task finishes: whoever awaits its JoinHandle, a JoinSet (made on the first, most tasks have one or none). */
  onDone: Waker[] | null = null;
  /** Neighbours in the runtime's list of live tasks (an intrusive list: no allocation per spawn). */
  prev: Task | null = null;
  next: Task | null = null;
  /** The runtime that runs it: a woken task is queued there, an aborted one cancelled there (a LocalSet until a runtime adopts it). */
  runtime: Schedule;
  /** Tokio's task metrics, for the trace: counted in a traced run (`counted()`), else 0. */
  get polls(): number {
    return this.#rare === null ? 0 : this.#rare.polls;
  }
  get wakes(): number {
    return this.#rare === null ? 0 : this.#rare.wakes;
  }
  /** A traced run counts this task's polls and wakes: it gets its record now. */
  counted(): void {
    this.#rareOrNew();
  }
  /** One more poll, counted if the run is traced (the scheduler calls this only then). */
  polled(): void {
    this.#rareOrNew().polls++;
  }

  constructor(runtime: Schedule, id: number, name: string | undefined, future: Future<unknown> | null) {
    super(SELF_WAKING);
    this.runtime = runtime;
    this.id = id;
    if (name !== undefined) this.#rareOrNew().name = name;
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
    const rare = this.#rare;
    if (rare !== null) rare.wakes++;
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
    const name = this.#rare?.name;
    return name === undefined ? `task ${this.id}` : `task '${name}'`;
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
