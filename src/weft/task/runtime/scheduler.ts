/**
 * The scheduler: Tokio's current-thread scheduler
 * (`runtime::scheduler::current_thread`), its run queue and its poll loop.
 * https://docs.rs/tokio/latest/tokio/runtime/index.html#current-thread-scheduler
 *
 * A woken task goes to the back of the run queue; the executor polls queued
 * tasks one at a time, in order, on this thread only (there is no work
 * stealing: a task never moves to another thread, which is also why a
 * blocking call inside one stalls all of them). When nothing is queued the
 * executor fires due timers (time-driver.ts), and if nothing is due it
 * waits, for the first of:
 *   - a timer: real time sleeps until it is due; paused time jumps to it
 *     (Tokio's `time::pause` auto-advance);
 *   - a spawnBlocking thread finishing (a blocking wait on its slot, so the
 *     deadlock watchdog and the seeded scheduler see it);
 *   - another thread aborting a task through its AbortHandle;
 *   - a native Promise settling (only the async driver, runMain, can let the
 *     JavaScript event loop run).
 * If none of those can ever happen while tasks wait, no task will ever run
 * again: `drive` throws the hang report (diagnostics.ts).
 */
import { restoreBudget, startBudget } from './coop.ts';
import { context, hasContext } from '../../runtime/context.ts';
import { H } from '../../runtime/memory.ts';
import { S, slot, ThreadState } from '../../runtime/thread-table.ts';
import { blockWhileEqual } from '../../runtime/wait.ts';
import { pollBegins, traceTaskExit, traceTaskPoll, traceTaskSpawn, tracing, tracingPolls } from '../../runtime/trace.ts';
import { dropTaskOwned, forgetOwned } from '../move.ts';
import { dropFuture, type Future, type Poll, type Waker } from '../future.ts';
import { DONE, IDLE, QUEUED, RUNNING, RUNNING_WOKEN, runningTask, setRunningTask, Task, whereAwaiting, CANCELLED, ENDED_OK, PANICKED, type Schedule } from './task.ts';
import { sleepMs, TimeDriver } from './time-driver.ts';
import { hangReport, reportPanic, syncGuards, traceHeldAcrossAwait } from './diagnostics.ts';

/** A spawnBlocking thread the runtime is waiting for (blocking.ts). */
export interface BlockingJob {
  threadId: number;
  waker: Waker;
}

/** Kept when this module loads: a program that replaces Math.random changes nothing here. */
const mathRandom = Math.random;

export class Runtime implements Schedule {
  /** The run queue: woken tasks, first in first out (a ring, so a runtime that never runs dry holds only what is queued). */
  readonly #queue = new RunQueue();
  /** Live tasks, oldest first (for hang reports and shutdown). */
  #first: Task | null = null;
  #last: Task | null = null;
  /** Spawned tasks are numbered from 1, as Tokio's task ids are; main's is 0 (spawnRoot). */
  #nextTaskId = 1;
  /** Native Promises awaited by tasks and not yet settled (future.ts `externalWork`): while one is pending, no hang. */
  pendingPromises = 0;
  readonly blocking: BlockingJob[] = [];
  /** The ids of the spawnBlocking threads this runtime started: it waits for them as it shuts down (blocking.ts). */
  readonly blockingThreads: number[] = [];
  #unpark: (() => void) | null = null;
  /** select's random start (random()): from the run's seed under one, so a seed replays the same picks; else fresh each run, as Tokio's. */
  #rng: number;

  /** Whether the run records a trace (fixed for the runtime's life): tasks then add task-spawn and task-exit events. */
  readonly #traced: boolean;
  /** Whether every poll is recorded too (a run drawn as a timeline: each poll a span on its task's row). */
  readonly #tracePolls: boolean;

  /** Its clock and timers: virtual (paused) time or real. */
  readonly time: TimeDriver;

  constructor(paused: boolean, seed?: number) {
    this.#rng = (seed ?? Math.floor(mathRandom() * 0x100000000)) | 0 || 0x2545f491;
    this.time = new TimeDriver(paused);
    this.#traced = tracing();
    this.#tracePolls = this.#traced && tracingPolls();
  }

  /** A random number (select's fair start, as Tokio's): the same under the same seed, different from free run to free run. */
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

  /**
   * A new task id: unique in the whole run, across its threads and their
   * runtimes, as Tokio's task ids are unique in the process (a run-wide
   * counter in run memory; a runtime of its own outside a run counts alone).
   */
  takeTaskId(): number {
    return hasContext() ? Atomics.add(context().memory.i32, H.taskIds, 1) + 1 : this.#nextTaskId++;
  }

  /** A new task with id `id` (taken with takeTaskId, when its captures needed it first). */
  spawn(future: Future<unknown> | null, name?: string, id = this.takeTaskId()): Task {
    return this.#add(future, id, name);
  }

  /**
   * The future `blockOn` or `async function main` runs: task 'main', id 0.
   * Tokio's block_on future is no task and has no id, so the first spawned
   * task is task 1 there and here alike.
   */
  spawnRoot(future: Future<unknown>): Task {
    return this.#add(future, 0, 'main');
  }

  #add(future: Future<unknown> | null, id: number, name: string | undefined): Task {
    const task = new Task(this, id, name, future);
    this.#link(task);
    return task;
  }

  /**
   * Makes a task made before any runtime ran it (a LocalSet's, spawned
   * outside async code: local-set.ts) one of this runtime's: it gets its
   * id, joins the live tasks and is queued.
   */
  adopt(task: Task): void {
    task.id = this.takeTaskId();
    task.runtime = this;
    this.#link(task);
  }

  #link(task: Task): void {
    const id = task.id;
    task.prev = this.#last;
    if (this.#last !== null) this.#last.next = task;
    else this.#first = task;
    this.#last = task;
    if (this.#traced) {
      task.counted(); // its wakes are counted from now on
      traceTaskSpawn(id, this.time.clockForTrace());
    }
    task.state = QUEUED;
    this.enqueue(task);
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

  /**
   * Cancels `task` now, not at the executor's next turn (a LocalSet dropped
   * drops its tasks' futures at once, as Tokio's does): its cleanup runs
   * before this returns. A task being polled right now is only asked to stop.
   */
  cancelNow(task: Task): void {
    if (task.state === DONE) return;
    if (task.state === RUNNING || task.state === RUNNING_WOKEN) {
      this.abort(task);
      return;
    }
    const previous = runningTask();
    try {
      this.#cancel(task);
    } finally {
      setRunningTask(previous);
    }
  }

  /** Polls every queued task once, in order, and the ones they wake; returns when the queue is empty. */
  runQueued(root?: Task): void {
    const queue = this.#queue;
    let polled = 0;
    for (let task = queue.shift(); task !== undefined; task = queue.shift()) {
      if (task.state !== QUEUED) continue;
      if (task.abortRequested) {
        this.#cancel(task);
        continue;
      }
      this.#poll(task);
      // The root (main's future, blockOn's) done: back to drive, which ends there, as Tokio's block_on returns
      // once its future is ready. Without it a task that always yields again (a yieldNow loop) kept this loop
      // going for good, and a program whose async main had returned ran on until its time limit.
      if (task === root && root.finished) return;
      // Timers are looked at between polls too, so a busy queue does not starve them (Tokio: every 61 polls).
      // So are spawnBlocking threads that finished (Tokio's inject queue, checked as often): a task that always
      // yields again starved a task awaiting spawnBlocking, which then waited for good.
      if (++polled % 61 === 0) {
        this.time.fireTimers();
        this.#collectBlocking();
      }
    }
  }

  #poll(task: Task): void {
    task.state = RUNNING;
    if (this.#traced) task.polled();
    setRunningTask(task);
    const started = this.#traced ? performance.now() : 0;
    const begun = this.#tracePolls ? pollBegins() : undefined;
    const guardsBefore = this.#traced ? syncGuards() : undefined;
    let result: Poll<unknown> | undefined;
    let panic: unknown;
    let panicked = false;
    // Each poll of a task gets Tokio's coop budget (runtime/coop.ts).
    const budget = startBudget();
    try {
      result = task.pollable().poll(task);
    } catch (error) {
      panicked = true;
      panic = error;
    } finally {
      restoreBudget(budget);
      setRunningTask(null);
      if (this.#traced) task.busyMs += performance.now() - started;
    }
    if (begun !== undefined) {
      const pending = !panicked && !result!.ready;
      const at = pending ? whereAwaiting(task.future) : undefined;
      traceTaskPoll(task.id, begun, at !== undefined && at.line > 0 ? { line: at.line, column: at.column } : undefined);
    }
    if (panicked) {
      // A future whose poll panicked is dropped as the panic unwinds (Tokio's harness drops it inside its panic
      // guard), so a hand-written future's [Symbol.dispose] runs; an async function's own cleanup ran already.
      const at = this.#dropPanicked(task);
      this.#finish(task, PANICKED, panic, at);
    } else if (result!.ready) {
      // Tokio drops a finished task's future at once, inside the task: a hand-written future's Drop sees
      // task::id() (tokio tests/task_id.rs task_id_future_destructor_completion). An async function's is a no-op.
      const future = task.future;
      if (future !== null && future[Symbol.dispose] !== undefined) {
        const dropPanic = this.#dropFinished(task, future);
        if (dropPanic !== undefined) {
          this.#finish(task, PANICKED, dropPanic.error);
          return;
        }
      }
      this.#finish(task, ENDED_OK, result!.value);
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

  /** Drops a task's future after its poll panicked; returns where it was (for the trace), since its future is gone. */
  #dropPanicked(task: Task): { line: number; column: number } | undefined {
    const future = task.future;
    const at = this.#traced && future !== null ? whereAwaiting(future) : undefined;
    task.future = null;
    setRunningTask(task);
    try {
      dropFuture(future);
    } catch {
      // A drop that panics while a panic unwinds aborts a Rust program; here the first panic is the one reported.
    } finally {
      setRunningTask(null);
    }
    return at;
  }

  /** Drops the future of a task that finished, as the task; what its drop threw, if it threw (the task then panicked). */
  #dropFinished(task: Task, future: Future<unknown>): { error: unknown } | undefined {
    setRunningTask(task);
    try {
      dropFuture(future);
      return undefined;
    } catch (error) {
      return { error };
    } finally {
      setRunningTask(null);
    }
  }

  #cancel(task: Task): void {
    const future = task.future;
    const at = this.#traced ? whereAwaiting(future) : undefined;
    task.future = null;
    task.state = RUNNING;
    setRunningTask(task);
    let ended: typeof CANCELLED | typeof PANICKED = CANCELLED;
    let panic: unknown;
    try {
      dropFuture(future);
    } catch (error) {
      // Cleanup that panics while the task is cancelled: the task ends as panicked (Tokio's cancel_task stores
      // JoinError::Panic with the payload of a panicking drop), reported like any task's panic.
      ended = PANICKED;
      panic = error;
    } finally {
      setRunningTask(null);
    }
    this.#finish(task, ended, panic, at);
  }

  /**
   * Ends `task`: ENDED_OK with its value, PANICKED with its panic, or CANCELLED (no outcome object per task).
   * `at`: where a cancelled task was suspended (its future is gone by now); the others' is read from their future.
   */
  #finish(task: Task, ended: typeof ENDED_OK | typeof PANICKED | typeof CANCELLED, value: unknown, at?: { line: number; column: number }): void {
    if (this.#traced) {
      const { line, column } = task.future !== null ? whereAwaiting(task.future) : (at ?? { line: 0, column: 0 });
      const kind = ended === ENDED_OK ? 'ok' : ended === PANICKED ? 'panic' : 'cancelled';
      traceTaskExit(task.id, line, column, task.polls, task.wakes, task.busyMs * 1000, kind, this.time.clockForTrace(), task.timers);
    }
    task.future = null;
    const owned = task.owned;
    if (owned !== null) {
      // Its captures are dropped with the future, before anyone sees the outcome (as Tokio drops a task's future first).
      task.owned = null;
      if (ended === ENDED_OK) forgetOwned(value, owned);
      const previous = runningTask();
      setRunningTask(task);
      try {
        dropTaskOwned(owned, ended === PANICKED);
      } finally {
        setRunningTask(previous);
      }
    }
    task.state = DONE;
    task.end(ended, value);
    // Other threads holding its AbortHandle see it finished.
    if (task.remoteAbort !== 0 && hasContext()) Atomics.store(context().memory.i32, (task.remoteAbort >> 2) + 1, 1);
    if (task.prev !== null) task.prev.next = task.next;
    else if (this.#first === task) this.#first = task.next;
    if (task.next !== null) task.next.prev = task.prev;
    else if (this.#last === task) this.#last = task.prev;
    task.prev = task.next = null;
    if (ended === PANICKED && task.id !== 0) reportPanic(task, value);
    const onDone = task.onDone;
    task.onDone = null;
    if (onDone !== null) for (const waker of onDone) waker.wake();
  }

  /** At the end of `main`'s future (or blockOn's): every task still alive is dropped, running its cleanup, as when a Tokio runtime shuts down. */
  shutdown(): void {
    for (const task of this.liveTasks()) {
      if (task.state !== DONE) this.#cancel(task);
    }
    this.#queue.clear();
  }

  hasQueued(): boolean {
    return !this.#queue.isEmpty();
  }

  /**
   * With nothing queued: what to wait for. 'run' (a spawnBlocking thread
   * just finished and woke its task), 'sleep' (real time, until the next
   * timer), 'jump' (paused time jumps to the next timer), 'blocking' (a
   * spawnBlocking thread), 'promise', 'remote' (another thread may still
   * abort a task), or 'hang'.
   */
  idleAction(): 'run' | 'jump' | 'sleep' | 'blocking' | 'promise' | 'remote' | 'hang' {
    this.#collectBlocking();
    this.checkRemote();
    if (this.hasQueued()) return 'run';
    if (this.blocking.length > 0) return 'blocking';
    if (this.pendingPromises > 0) return 'promise';
    const deadline = this.time.nextDeadline();
    // Another thread holding an AbortHandle may still abort a task: not a hang while it can.
    if (deadline === Infinity) return this.hasRemote ? 'remote' : 'hang';
    return this.time.paused ? 'jump' : 'sleep';
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

  /** Blocks this thread (a real wait) until the next timer is due or a spawnBlocking thread may have finished. */
  waitBlocking(): void {
    const deadline = this.time.nextDeadline();
    const timeout = deadline === Infinity ? Infinity : Math.max(0, deadline - this.time.now());
    if (this.blocking.length > 0) {
      // One thread's slot is waited on; with several, in short slices so the others are noticed too.
      const job = this.blocking[0]!;
      const limit =
        this.blocking.length > 1 || this.pendingPromises > 0 || this.hasRemote ? Math.min(timeout, 2) : this.time.paused ? Infinity : timeout;
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
}

/**
 * The executor's loop, shared by blockOn and runMain: polls what is ready,
 * fires timers, jumps paused time, waits for blocking threads, until `root`
 * has finished (true) or only a native Promise can wake a task (false).
 * Throws the hang report when nothing can.
 */
export function drive(runtime: Runtime, root: Task): boolean {
  for (;;) {
    runtime.checkRemote();
    runtime.runQueued(root);
    if (root.finished) return true;
    if (runtime.time.fireTimers()) continue;
    switch (runtime.idleAction()) {
      case 'run':
        break;
      case 'jump':
        runtime.time.jump();
        break;
      case 'sleep':
      case 'blocking':
        runtime.waitBlocking();
        runtime.time.fireTimers();
        break;
      case 'promise':
        return false;
      case 'remote':
        runtime.waitRemote(Infinity);
        break;
      case 'hang':
        throw hangReport(runtime.liveTasks());
    }
  }
}

/**
 * The run queue, a ring of task slots (Tokio's current-thread scheduler keeps
 * a VecDeque). A slot is cleared as its task is taken, so a finished task is
 * held by nothing here; the ring doubles when full and never shrinks below
 * what was once queued at the same time.
 */
class RunQueue {
  #slots: (Task | undefined)[] = new Array(64).fill(undefined);
  #mask = 63;
  /** Counts of tasks taken and put, in 32-bit wrap-around: their difference is how many are queued. */
  #head = 0;
  #tail = 0;

  push(task: Task): void {
    if (((this.#tail - this.#head) | 0) > this.#mask) this.#grow();
    this.#slots[this.#tail & this.#mask] = task;
    this.#tail = (this.#tail + 1) | 0;
  }

  shift(): Task | undefined {
    if (this.#head === this.#tail) return undefined;
    const i = this.#head & this.#mask;
    const task = this.#slots[i];
    this.#slots[i] = undefined;
    this.#head = (this.#head + 1) | 0;
    return task;
  }

  isEmpty(): boolean {
    return this.#head === this.#tail;
  }

  clear(): void {
    while (this.shift() !== undefined);
  }

  #grow(): void {
    const old = this.#slots;
    const size = old.length;
    const slots: (Task | undefined)[] = new Array(size * 2).fill(undefined);
    for (let i = 0; i < size; i++) slots[i] = old[(this.#head + i) & this.#mask];
    this.#slots = slots;
    this.#mask = size * 2 - 1;
    this.#head = 0;
    this.#tail = size;
  }
}
