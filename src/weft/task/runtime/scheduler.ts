/**
 * The executor: Tokio's current-thread runtime (tokio::runtime::Builder::
 * new_current_thread), one per weft thread that runs async code.
 * https://docs.rs/tokio/latest/tokio/runtime/index.html
 *
 * A task is a future plus its state. A woken task goes to the back of the
 * run queue; the executor polls queued tasks one at a time, in order, on
 * this thread only (there is no work stealing: a task never moves to
 * another thread, which is also why a blocking call inside one stalls all
 * of them). When nothing is queued the executor fires due timers, and if
 * nothing is due it waits, for the first of:
 *   - a timer: real time sleeps until it is due; paused time jumps to it
 *     (Tokio's `time::pause` auto-advance);
 *   - a spawnBlocking thread finishing (a blocking wait on its slot, so the
 *     deadlock watchdog and the seeded scheduler see it);
 *   - a native Promise settling (only the async driver, runMain, can let the
 *     JavaScript event loop run).
 * If none of those can ever happen while tasks wait, no task will ever run
 * again: the run stops with a report of each task and its await (TaskHang).
 *
 * Time is paused automatically under a seeded run (so a seed replays async
 * programs too); a program may pause it itself (time.ts `pause`). With time
 * paused and no real thread or Promise involved, one program prints the same
 * thing every run.
 */
import { callerLocation, context, hasContext, threadLabel } from '../../runtime/context.ts';
import { scheduled } from '../../runtime/scheduler.ts';
import { S, slot, ThreadState, panicPayload } from '../../runtime/threads.ts';
import { blockWhileEqual, blockingObserver, type WaitKind } from '../../runtime/wait.ts';
import { pollBegins, traceTaskEvent, traceTaskExit, traceTaskPoll, traceTaskSpawn, tracing, tracingPolls } from '../../runtime/trace.ts';
import { MutexGuard } from '../../sync/mutex.ts';
import { RwLockReadGuard, RwLockWriteGuard } from '../../sync/rwlock.ts';
import { AsyncFn } from '../async-fn.ts';
import { dropTaskOwned, forgetOwned } from '../move.ts';
import { Context, describeFuture, dropFuture, externalWork, intoFuture, isFuture, Waker, type Future, type Poll } from '../future.ts';
import { currentRuntime, setCurrentRuntime } from './context.ts';

const IDLE = 0;
const QUEUED = 1;
const RUNNING = 2;
/** Woken while being polled: queued again once the poll returns. */
const RUNNING_WOKEN = 3;
const DONE = 4;

export type TaskOutcome = { kind: 'ok'; value: unknown } | { kind: 'panic'; error: unknown } | { kind: 'cancelled' };

export class Task {
  readonly id: number;
  /** Its name, if it was given one (`spawn(f, { name })`; main's task is 'main'). */
  readonly #name: string | undefined;
  get name(): string {
    return this.#name ?? `task ${this.id}`;
  }
  future: Future<unknown> | null;
  state = IDLE;
  /** Its Context (and Waker), made at the first poll and let go at the end: a spawned task not yet polled holds neither. */
  #cx: Context | null = null;
  outcome: TaskOutcome | undefined;
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
  /** Someone will see this task's panic (a JoinHandle that was awaited); otherwise it is reported as it happens. */
  readonly runtime: Runtime;
  // Stats (Tokio's task metrics): polls, wakes, busy time, the line it awaits at.
  polls = 0;
  wakes = 0;
  /** Time spent in polls, measured only when the run is traced (two clock reads per poll otherwise saved). */
  busyMs = 0;

  constructor(runtime: Runtime, id: number, name: string | undefined, future: Future<unknown>) {
    this.runtime = runtime;
    this.id = id;
    this.#name = name;
    this.future = future;
  }

  /** The Context its polls get, whose Waker wakes this task. */
  context(): Context {
    return (this.#cx ??= new Context(new Waker(this)));
  }

  /** The task is over: whoever still holds its Waker may wake it, to no effect. */
  release(): void {
    this.#cx = null;
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
  whereAwaiting(): { line: number; column: number; what: string } {
    return whereAwaiting(this.future);
  }

  /** How messages name the task: `task 3`, or `task 'main'` / `task 'reader'` when it has a name. */
  label(): string {
    return this.#name === undefined ? `task ${this.id}` : `task '${this.#name}'`;
  }
}

/** The task being polled on this thread, and where (the reader's `await`) it is, for a trace event made inside its poll. */
export function runningTaskAt(): { id: number; at: () => { line: number; column: number } | undefined } | undefined {
  const task = currentRuntime()?.running;
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
function whereAwaiting(future: Future<unknown> | null): { line: number; column: number; what: string } {
  let line = 0;
  let column = 0;
  let what = 'to be polled';
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
    break;
  }
  return { line, column, what };
}

/** A spawnBlocking thread the runtime is waiting for (blocking.ts). */
export interface BlockingJob {
  threadId: number;
  waker: Waker;
}

interface Timer {
  deadline: number;
  seq: number;
  waker: Waker | null;
}

/** What the run reports when every task waits and nothing can wake one. */
export class TaskHang extends Error {
  readonly tasks: { task: string; line: number; column: number; what: string }[];
  constructor(summary: string, tasks: { task: string; line: number; column: number; what: string }[]) {
    super(summary);
    this.name = 'Deadlock';
    this.tasks = tasks;
  }
}

export class Runtime {
  readonly #queue: Task[] = [];
  #head = 0;
  readonly #timers: Timer[] = [];
  #timerSeq = 0;
  #paused: boolean;
  #virtualNow = 0;
  /** Whether anything has read the real clock yet (a sleep's deadline, time.now()). */
  #clockRead = false;
  #realStart = performance.now();
  /** Live tasks, oldest first (for hang reports and shutdown). */
  #first: Task | null = null;
  #last: Task | null = null;
  /** Spawned tasks are numbered from 1, as Tokio's task ids are; main's is 0 (spawnRoot). */
  #nextTaskId = 1;
  /** The task being polled (for stats, blocking reports, `abort` of oneself). */
  running: Task | null = null;
  pendingPromises = 0;
  readonly blocking: BlockingJob[] = [];
  #unpark: (() => void) | null = null;
  #rng = 0x2545f491;
  /** Lines already reported as blocking the executor, so a loop reports once. */
  readonly reportedBlocking = new Set<string>();

  /** Whether the run records a trace (fixed for the runtime's life): tasks then add task-spawn and task-exit events. */
  readonly #traced: boolean;
  /** Whether every poll is recorded too (a run drawn as a timeline: each poll a span on its task's row). */
  readonly #tracePolls: boolean;

  constructor(paused: boolean) {
    this.#paused = paused;
    this.#traced = tracing();
    this.#tracePolls = this.#traced && tracingPolls();
  }

  // ---- time ----

  /** Milliseconds since the runtime started: virtual while paused. */
  now(): number {
    if (this.#paused) return this.#virtualNow;
    this.#clockRead = true;
    return performance.now() - this.#realStart;
  }

  /** The clock for a trace event, without counting as a read (a read before `pause()` would move where paused time starts). */
  #clockForTrace(): number {
    return this.#paused ? this.#virtualNow : performance.now() - this.#realStart;
  }

  get paused(): boolean {
    return this.#paused;
  }

  pause(): void {
    if (this.#paused) return;
    // Paused before anything read the clock (at the start of main), it reads 0, however long the start took on a
    // loaded machine; later, whole milliseconds. Either way printed times are the same every run.
    this.#virtualNow = this.#clockRead ? Math.floor(this.now()) : 0;
    this.#paused = true;
  }

  resume(): void {
    if (!this.#paused) return;
    this.#realStart = performance.now() - this.#virtualNow;
    this.#paused = false;
  }

  /** Moves paused time forward by `ms` and wakes what became due. */
  advance(ms: number): void {
    if (!this.#paused) throw new Error('time.advance needs paused time: call time.pause() first (as tokio::time::advance does)');
    this.#virtualNow += Math.max(0, ms);
    this.fireTimers();
  }

  /** Registers a wake-up at `deadline` (runtime ms); returns the timer, to be re-armed or cancelled. */
  addTimer(deadline: number, waker: Waker): Timer {
    const timer: Timer = { deadline, seq: this.#timerSeq++, waker };
    const heap = this.#timers;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
    return timer;
  }

  cancelTimer(timer: Timer): void {
    timer.waker = null; // removed lazily when it reaches the top
  }

  #popTimer(): Timer {
    const heap = this.#timers;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
        if (r < heap.length && earlier(heap[r]!, heap[m]!)) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m]!, heap[i]!];
        i = m;
      }
    }
    return top;
  }

  /** The earliest live timer's deadline, or Infinity. */
  nextDeadline(): number {
    while (this.#timers.length > 0 && this.#timers[0]!.waker === null) this.#popTimer();
    return this.#timers.length > 0 ? this.#timers[0]!.deadline : Infinity;
  }

  /** Wakes every timer that is due; true if any was. */
  fireTimers(): boolean {
    if (this.#timers.length === 0) return false;
    const now = this.now();
    let fired = false;
    while (this.#timers.length > 0 && this.#timers[0]!.deadline <= now) {
      const timer = this.#popTimer();
      const waker = timer.waker;
      timer.waker = null;
      if (waker !== null) {
        fired = true;
        waker.wake();
      }
    }
    return fired;
  }

  /** A deterministic random number (select's fair start): the same program picks the same way every run. */
  random(): number {
    let x = this.#rng;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#rng = x;
    return x >>> 0;
  }

  // ---- tasks ----

  /** The tasks that have not finished, oldest first. */
  liveTasks(): Task[] {
    const tasks: Task[] = [];
    for (let task = this.#first; task !== null; task = task.next) tasks.push(task);
    return tasks;
  }

  /** The id the next spawned task will get. */
  nextTaskId(): number {
    return this.#nextTaskId;
  }

  spawn(future: Future<unknown>, name?: string): Task {
    return this.#add(future, this.#nextTaskId++, name);
  }

  /**
   * The future `blockOn` or `async function main` runs: task 'main', id 0.
   * Tokio's block_on future is no task and has no id, so the first spawned
   * task is task 1 there and here alike.
   */
  spawnRoot(future: Future<unknown>): Task {
    return this.#add(future, 0, 'main');
  }

  #add(future: Future<unknown>, id: number, name: string | undefined): Task {
    const task = new Task(this, id, name, future);
    task.prev = this.#last;
    if (this.#last !== null) this.#last.next = task;
    else this.#first = task;
    this.#last = task;
    if (this.#traced) traceTaskSpawn(id, this.#clockForTrace());
    task.state = QUEUED;
    this.enqueue(task);
    return task;
  }

  enqueue(task: Task): void {
    this.#queue.push(task);
    const unpark = this.#unpark;
    if (unpark !== null) {
      this.#unpark = null;
      unpark();
    }
  }

  /** Tasks whose AbortHandle crossed into another thread: checked for an abort request whenever the executor looks for work. */
  readonly #remote: Task[] = [];

  /** An AbortHandle of `task` is being sent to another thread; `addr` is its record (spawn.ts). */
  watchRemoteAbort(task: Task, addr: number): void {
    task.remoteAbort = addr;
    if (!task.finished) this.#remote.push(task);
  }

  /** Aborts the tasks another thread asked to abort; forgets the finished ones. */
  checkRemote(): void {
    if (this.#remote.length === 0 || !hasContext()) return;
    const i32 = context().memory.i32;
    for (let i = this.#remote.length - 1; i >= 0; i--) {
      const task = this.#remote[i]!;
      if (task.finished) this.#remote.splice(i, 1);
      else if (Atomics.load(i32, task.remoteAbort >> 2) !== 0) this.abort(task);
    }
  }

  get hasRemote(): boolean {
    return this.#remote.length > 0;
  }

  /**
   * Waits at most `ms` for another thread to abort one of this runtime's
   * tasks: on the one flag word when there is one task to watch, else in short
   * slices (a blocking wait, so the watchdog and the seeded scheduler see it).
   */
  waitRemote(ms: number): void {
    const i32 = context().memory.i32;
    const first = this.#remote[0]!;
    const limit = this.#remote.length > 1 ? Math.min(ms, 5) : ms;
    blockWhileEqual(i32, first.remoteAbort >> 2, 0, limit, { kind: 'park', object: first.remoteAbort });
  }

  /** Asks for `task` to be cancelled at its next await point (JoinHandle.abort). */
  abort(task: Task): void {
    if (task.state === DONE) return;
    task.abortRequested = true;
    if (task.state === IDLE) {
      task.state = QUEUED;
      this.enqueue(task);
    }
  }

  /** Polls every queued task once, in order, and the ones they wake; returns when the queue is empty. */
  runQueued(): void {
    const queue = this.#queue;
    let polled = 0;
    while (this.#head < queue.length) {
      const task = queue[this.#head++]!;
      if (task.state !== QUEUED) continue;
      if (task.abortRequested) {
        this.#cancel(task);
        continue;
      }
      this.#poll(task);
      // Timers are looked at between polls too, so a busy queue does not starve them (Tokio: every 61 polls).
      if (++polled % 61 === 0) this.fireTimers();
    }
    queue.length = 0;
    this.#head = 0;
  }

  #poll(task: Task): void {
    task.state = RUNNING;
    task.polls++;
    this.running = task;
    const started = this.#traced ? performance.now() : 0;
    const begun = this.#tracePolls ? pollBegins() : undefined;
    const guardsBefore = this.#traced ? syncGuards() : undefined;
    let result: Poll<unknown> | undefined;
    let panic: unknown;
    let panicked = false;
    try {
      result = task.future!.poll(task.context());
    } catch (error) {
      panicked = true;
      panic = error;
    } finally {
      this.running = null;
      if (this.#traced) task.busyMs += performance.now() - started;
    }
    if (begun !== undefined) {
      const pending = !panicked && !result!.ready;
      const at = pending ? whereAwaiting(task.future) : undefined;
      traceTaskPoll(task.id, begun, at !== undefined && at.line > 0 ? { line: at.line, column: at.column } : undefined);
    }
    if (panicked) {
      this.#finish(task, { kind: 'panic', error: panic });
    } else if (result!.ready) {
      this.#finish(task, { kind: 'ok', value: result!.value });
    } else {
      if (guardsBefore !== undefined) traceHeldAcrossAwait(task, guardsBefore);
      if (task.state === RUNNING_WOKEN || task.abortRequested) {
        task.state = QUEUED;
        this.#queue.push(task);
      } else {
        task.state = IDLE;
      }
    }
  }

  #cancel(task: Task): void {
    const future = task.future;
    const at = this.#traced ? whereAwaiting(future) : undefined;
    task.future = null;
    task.state = RUNNING;
    this.running = task;
    let outcome: TaskOutcome = { kind: 'cancelled' };
    try {
      dropFuture(future);
    } catch (error) {
      // Cleanup that panics while the task is cancelled: the task ends as panicked (Tokio's cancel_task stores
      // JoinError::Panic with the payload of a panicking drop), reported like any task's panic.
      outcome = { kind: 'panic', error };
    } finally {
      this.running = null;
    }
    this.#finish(task, outcome, at);
  }

  /** `at`: where a cancelled task was suspended (its future is gone by now); the others' is read from their future. */
  #finish(task: Task, outcome: TaskOutcome, at?: { line: number; column: number }): void {
    if (this.#traced) {
      const { line, column } = task.future !== null ? whereAwaiting(task.future) : (at ?? { line: 0, column: 0 });
      traceTaskExit(task.id, line, column, task.polls, task.wakes, task.busyMs * 1000, outcome.kind, this.#clockForTrace());
    }
    task.future = null;
    const owned = task.owned;
    if (owned !== null) {
      // Its captures are dropped with the future, before anyone sees the outcome (as Tokio drops a task's future first).
      task.owned = null;
      if (outcome.kind === 'ok') forgetOwned(outcome.value, owned);
      const previous = this.running;
      this.running = task;
      try {
        dropTaskOwned(owned, outcome.kind === 'panic');
      } finally {
        this.running = previous;
      }
    }
    task.state = DONE;
    task.outcome = outcome;
    task.release();
    // Other threads holding its AbortHandle see it finished.
    if (task.remoteAbort !== 0 && hasContext()) Atomics.store(context().memory.i32, (task.remoteAbort >> 2) + 1, 1);
    if (task.prev !== null) task.prev.next = task.next;
    else if (this.#first === task) this.#first = task.next;
    if (task.next !== null) task.next.prev = task.prev;
    else if (this.#last === task) this.#last = task.prev;
    task.prev = task.next = null;
    if (outcome.kind === 'panic' && task.id !== 0) reportPanic(task, outcome.error);
    const onDone = task.onDone;
    task.onDone = null;
    if (onDone !== null) for (const waker of onDone) waker.wake();
  }

  /** At the end of `main`'s future (or blockOn's): every task still alive is dropped, running its cleanup, as when a Tokio runtime shuts down. */
  shutdown(): void {
    for (const task of this.liveTasks()) {
      if (task.state !== DONE) this.#cancel(task);
    }
    this.#queue.length = 0;
    this.#head = 0;
  }

  hasQueued(): boolean {
    return this.#head < this.#queue.length;
  }

  /**
   * With nothing queued: what to wait for. 'run' (a spawnBlocking thread
   * just finished and woke its task), 'sleep' (real time, until the next
   * timer), 'jump' (paused time jumps to the next timer), 'blocking' (a
   * spawnBlocking thread), 'promise', or 'hang'.
   */
  idleAction(): 'run' | 'jump' | 'sleep' | 'blocking' | 'promise' | 'remote' | 'hang' {
    this.#collectBlocking();
    this.checkRemote();
    if (this.hasQueued()) return 'run';
    if (this.blocking.length > 0) return 'blocking';
    if (this.pendingPromises > 0) return 'promise';
    const deadline = this.nextDeadline();
    // Another thread holding an AbortHandle may still abort a task: not a hang while it can.
    if (deadline === Infinity) return this.hasRemote ? 'remote' : 'hang';
    return this.#paused ? 'jump' : 'sleep';
  }

  /** Wakes the tasks whose spawnBlocking thread has finished. */
  #collectBlocking(): void {
    if (this.blocking.length === 0 || !hasContext()) return;
    const i32 = context().memory.i32;
    for (let i = this.blocking.length - 1; i >= 0; i--) {
      const job = this.blocking[i]!;
      if (Atomics.load(i32, slot(job.threadId, S.state)) !== ThreadState.running) {
        this.blocking.splice(i, 1);
        job.waker.wake();
      }
    }
  }

  /** Paused time: jump to the next timer and fire it. */
  jump(): void {
    const deadline = this.nextDeadline();
    if (deadline > this.#virtualNow) this.#virtualNow = deadline;
    this.fireTimers();
  }

  /** Blocks this thread (a real wait) until the next timer is due or a spawnBlocking thread may have finished. */
  waitBlocking(): void {
    const deadline = this.nextDeadline();
    const timeout = deadline === Infinity ? Infinity : Math.max(0, deadline - this.now());
    if (this.blocking.length > 0) {
      // One thread's slot is waited on; with several, in short slices so the others are noticed too.
      const job = this.blocking[0]!;
      const limit =
        this.blocking.length > 1 || this.pendingPromises > 0 || this.hasRemote ? Math.min(timeout, 2) : this.#paused ? Infinity : timeout;
      const i32 = context().memory.i32;
      blockWhileEqual(i32, slot(job.threadId, S.state), ThreadState.running, limit, { kind: 'join', object: job.threadId });
      return;
    }
    if (this.hasRemote) this.waitRemote(timeout);
    else sleepMs(timeout);
  }

  /** The async driver's wait: until something is queued, or `ms` pass. */
  park(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === Infinity ? undefined : setTimeout(done, Math.max(0, ms));
      const self = this;
      function done() {
        if (timer !== undefined) clearTimeout(timer);
        self.#unpark = null;
        resolve();
      }
      this.#unpark = done;
    });
  }

  hangReport(): TaskHang {
    const tasks = this.liveTasks().map((task) => ({ task: task.label(), ...task.whereAwaiting() }));
    const list = tasks.map((t) => `${t.task}${t.line > 0 ? ` (line ${t.line})` : ''} awaits ${t.what}`).join('; ');
    return new TaskHang(`Deadlock: every task is waiting and nothing can wake one (no timer, no I/O, no blocking thread): ${list}.`, tasks);
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

let fallbackSleepWord: Int32Array | undefined;

/** A real sleep of this thread: weft's blocking wait when in a run (the watchdog sees it as timed), else a plain Atomics.wait. */
function sleepMs(ms: number): void {
  if (ms <= 0) return;
  if (hasContext()) {
    const { memory, threadId } = context();
    blockWhileEqual(memory.i32, slot(threadId, S.sleep), Atomics.load(memory.i32, slot(threadId, S.sleep)), ms, { kind: 'sleep', object: 0 });
    return;
  }
  fallbackSleepWord ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(fallbackSleepWord, 0, 0, ms === Infinity ? undefined : ms);
}

/** A spawned task's panic, shown as it happens (Tokio's panic hook prints it whether or not anyone joins the task). */
function reportPanic(task: Task, error: unknown): void {
  if (!hasContext()) return;
  const ctx = context();
  const payload = panicPayload(error, ctx);
  ctx.host.panic({
    thread: threadLabel(ctx.threadId, ctx.name),
    name: payload.name,
    message: payload.message,
    location: payload.location,
    task: task.label(),
  });
}

function enterRuntime(api: string): { runtime: Runtime; leave: () => void } {
  if (currentRuntime() !== undefined) {
    throw new Error(
      `${api}: cannot start a runtime from within a runtime (this thread's executor is already running async code): await the future instead`,
    );
  }
  const runtime = new Runtime(hasContext() && scheduled(context().memory));
  setCurrentRuntime(runtime);
  externalWork.started = () => runtime.pendingPromises++;
  externalWork.settled = () => runtime.pendingPromises--;
  const observer = (kind: WaitKind) => reportBlocking(runtime, BLOCKING_CALLS[kind] ?? `a blocking weft call (${kind})`);
  blockingObserver.current = observer;
  return {
    runtime,
    leave: () => {
      setCurrentRuntime(undefined);
      if (blockingObserver.current === observer) blockingObserver.current = undefined;
    },
  };
}

function outcomeOf<T>(task: Task): T {
  const outcome = task.outcome!;
  if (outcome.kind === 'ok') return outcome.value as T;
  if (outcome.kind === 'panic') throw outcome.error;
  throw new Error(`${task.label()} was cancelled`);
}

/**
 * Runs `future` to completion on a new runtime of this thread, blocking the
 * thread (Tokio's `Runtime::block_on`). It cannot wait for a native Promise
 * (the JavaScript event loop does not run while a thread blocks); an
 * `async function main` is run by `runMain`, which can.
 */
export function blockOn<T>(future: Future<T> | PromiseLike<T> | (() => PromiseLike<T>)): T {
  const { runtime, leave } = enterRuntime('blockOn');
  try {
    const root = runtime.spawnRoot(intoFuture(future, 'blockOn'));
    if (!drive(runtime, root)) {
      throw new Error(
        'blockOn cannot wait for a JavaScript Promise: the event loop does not run while the thread is blocked; ' +
          'await it from `async function main` instead',
      );
    }
    runtime.shutdown();
    return outcomeOf<T>(root);
  } finally {
    leave();
  }
}

/**
 * Runs an `async function main`'s future (Tokio's `#[tokio::main]`): like
 * blockOn, but when only a native Promise can wake a task it lets the
 * JavaScript event loop run, so the Promise settles. The runner calls it
 * when `main` returns a future.
 */
export async function runMain<T>(future: Future<T>): Promise<T> {
  const { runtime, leave } = enterRuntime('main');
  try {
    const root = runtime.spawnRoot(future);
    setCurrentRuntime(runtime);
    while (!drive(runtime, root)) {
      const deadline = runtime.nextDeadline();
      const ms =
        runtime.blocking.length > 0 || runtime.hasRemote ? 2 : deadline === Infinity || runtime.paused ? Infinity : deadline - runtime.now();
      await runtime.park(ms);
      setCurrentRuntime(runtime);
      runtime.fireTimers();
    }
    runtime.shutdown();
    return outcomeOf<T>(root);
  } finally {
    leave();
  }
}

/**
 * The executor's loop, shared by blockOn and runMain: polls what is ready,
 * fires timers, jumps paused time, waits for blocking threads, until `root`
 * has finished (true) or only a native Promise can wake a task (false).
 * Throws the hang report when nothing can.
 */
function drive(runtime: Runtime, root: Task): boolean {
  for (;;) {
    runtime.checkRemote();
    runtime.runQueued();
    if (root.finished) return true;
    if (runtime.fireTimers()) continue;
    switch (runtime.idleAction()) {
      case 'run':
        break;
      case 'jump':
        runtime.jump();
        break;
      case 'sleep':
      case 'blocking':
        runtime.waitBlocking();
        runtime.fireTimers();
        break;
      case 'promise':
        return false;
      case 'remote':
        runtime.waitRemote(Infinity);
        break;
      case 'hang':
        throw runtime.hangReport();
    }
  }
}

/** True for what an `async function main` returns once lowered: the runner then runs it with runMain. */
export function isTaskFuture(value: unknown): value is Future<unknown> {
  return isFuture(value);
}

const BLOCKING_CALLS: Partial<Record<WaitKind, string>> = {
  mutex: "weft/sync's Mutex.lock",
  'rwlock-read': "weft/sync's RwLock.read",
  'rwlock-write': "weft/sync's RwLock.write",
  condvar: 'Condvar.wait',
  barrier: 'Barrier.wait',
  once: 'Once.callOnce',
  'channel-recv': "a blocking recv on weft/sync's mpsc channel",
  'channel-send': "a blocking send on weft/sync's mpsc channel",
  join: "a thread's JoinHandle.join",
  park: 'thread.park',
  sleep: "weft/thread's sleep",
};

/**
 * A task that stopped at an await while its thread held a weft/sync lock
 * guard: the lock stays held while other tasks run, and one of them asking
 * for it blocks the whole thread (Tokio's advice: never hold a std Mutex
 * guard across an .await). Recorded in traced runs, for exercise checks.
 */
function traceHeldAcrossAwait(task: Task, before: Set<unknown>): void {
  // The guards this task took (in this poll or an earlier one) and still holds; other tasks' guards are theirs.
  const now = syncGuards();
  const mine = new Set([...(guardsOfTask.get(task) ?? [])].filter((g) => now.has(g)));
  for (const guard of now) if (!before.has(guard)) mine.add(guard);
  guardsOfTask.set(task, mine);
  if (mine.size === 0) return;
  const at = whereAwaiting(task.future);
  traceTaskEvent('held-across-await', task.id, at.line > 0 ? { line: at.line, column: at.column } : undefined);
}

/** In traced runs: the weft/sync lock guards each task took and has not released. */
const guardsOfTask = new WeakMap<Task, Set<unknown>>();

/** The weft/sync lock guards this thread holds now. */
function syncGuards(): Set<unknown> {
  const guards = new Set<unknown>();
  for (const owned of context().owned) {
    if (owned instanceof MutexGuard || owned instanceof RwLockReadGuard || owned instanceof RwLockWriteGuard) guards.add(owned);
  }
  return guards;
}

/** A blocking weft call inside a task: the whole executor stops with it. Said once per line, as a lesson. */
function reportBlocking(runtime: Runtime, what: string): void {
  const task = runtime.running;
  if (task === null || !hasContext()) return;
  const at = callerLocation();
  if (tracing()) traceTaskEvent('task-blocking', task.id, at);
  const key = `${task.id}:${at?.line ?? 0}:${what}`;
  if (runtime.reportedBlocking.has(key)) return;
  runtime.reportedBlocking.add(key);
  context().host.output(
    'warn',
    `${task.label()} is blocking the executor${at ? ` at line ${at.line}` : ''}: ${what} blocks the whole thread, so no other task runs until it returns. ` +
      'In async code use weft/task\'s version (await sleep, an async Mutex or channel), or move the work to spawnBlocking.',
  );
}
