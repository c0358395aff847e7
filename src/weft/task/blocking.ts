/**
 * tokio::task::spawn_blocking: run blocking or CPU-heavy code on a real
 * thread, and await its result from a task.
 * https://docs.rs/tokio/latest/tokio/task/fn.spawn_blocking.html
 *
 * The closure moves into a new weft thread (the compile step lifts it, as
 * for thread.spawn: its captures are copied or moved, never shared), so it
 * may block, sleep or compute for as long as it likes without stopping the
 * executor. The awaiting task is woken when the thread ends: while tasks
 * wait for one, the executor waits on the thread's slot
 * (runtime/scheduler.ts), and paused time does not jump past it (Tokio
 * inhibits auto-advance too).
 * Like Tokio's, a blocking task cannot be aborted once it runs, and the
 * runtime waits for every job it started as it shuts down (`async function
 * main` returning, or `blockOn` finishing), awaited or not, as Tokio's
 * `Runtime` drop waits for its blocking pool (`waitForBlockingThreads`).
 */
import { consume, proceed } from './runtime/coop.ts';
import { builder, waitForThreadEnd, type JoinHandle as ThreadHandle } from '../thread.ts';
import { PENDING, Poll, refuseThen, type Awaitable, type Context, type Future } from './future.ts';
import type { BlockingJob, Runtime } from './runtime/scheduler.ts';
import { currentRuntime, runtimeOrThrow } from './runtime/context.ts';
import { runLocal } from '../runtime/run-local.ts';

let spawned = 0;
runLocal(() => (spawned = 0));

/** Awaits a spawnBlocking thread: its closure's value, or its panic rethrown (a ThreadPanic). */
export class BlockingHandle<T> implements Future<T> {
  readonly #thread: ThreadHandle<T>;
  readonly #name: string;
  #job: BlockingJob | null = null;
  #done = false;
  declare then: Awaitable<T>['then'];

  constructor(thread: ThreadHandle<T>, name: string) {
    this.#thread = thread;
    this.#name = name;
  }

  poll(cx: Context): Poll<T> {
    if (this.#done) throw new Error('this spawnBlocking result was already awaited');
    // Joining spends the task's coop budget, as a Tokio JoinHandle does (runtime/coop.ts).
    if (!proceed(cx)) return PENDING;
    if (this.#thread.isFinished()) {
      this.#forget();
      this.#done = true;
      consume();
      return Poll.ready(this.#thread.join()); // a panic in the thread is rethrown here
    }
    const runtime = runtimeOrThrow('awaiting spawnBlocking');
    if (this.#job === null) {
      this.#job = { threadId: this.#thread.thread().threadNumber, waker: cx.waker() };
      runtime.blocking.push(this.#job);
    } else {
      this.#job.waker = cx.waker();
      if (!runtime.blocking.includes(this.#job)) runtime.blocking.push(this.#job);
    }
    return PENDING;
  }

  #forget(): void {
    const job = this.#job;
    this.#job = null;
    if (job === null) return;
    const blocking = runtimeOrThrow('spawnBlocking').blocking;
    const i = blocking.indexOf(job);
    if (i >= 0) blocking.splice(i, 1);
  }

  /**
   * Tokio's `JoinHandle::abort` on a spawn_blocking task: it cannot stop code
   * that has started, and here the job starts at once on its own thread, so
   * this does nothing to it. Awaiting the handle still gives its result.
   */
  abort(): void {}

  /** True once the thread has returned or panicked. */
  isFinished(): boolean {
    return this.#thread.isFinished();
  }

  /** No longer waiting (the thread runs on: blocking code cannot be cancelled). */
  [Symbol.dispose](): void {
    this.#forget();
  }

  describe(): string {
    return `the blocking thread '${this.#name}' to finish`;
  }
}

/**
 * Runs `f` on a new thread and returns a future of its result. `f` is a
 * plain (not async) closure that moves into the thread, like thread.spawn's.
 */
export function spawnBlocking<T>(f: () => T): BlockingHandle<T> {
  const runtime = runtimeOrThrow('spawnBlocking');
  const name = `blocking-${++spawned}`;
  const thread = builder().name(name).spawn(f) as ThreadHandle<T>;
  runtime.blockingThreads.push(thread.thread().threadNumber);
  return new BlockingHandle<T>(thread, name);
}

/**
 * Waits for every spawnBlocking thread `runtime` started to end, awaited or
 * not: Tokio's runtime, shut down (dropped at the end of `#[tokio::main]` or
 * of `block_on`'s runtime), waits for the blocking jobs that have started.
 */
export function waitForBlockingThreads(runtime: Runtime): void {
  for (const threadId of runtime.blockingThreads) waitForThreadEnd(threadId);
  runtime.blockingThreads.length = 0;
}

/**
 * tokio::task::block_in_place: runs blocking code `f` where it is called,
 * telling the runtime first. https://docs.rs/tokio/latest/tokio/task/fn.block_in_place.html
 *
 * Tokio allows it only on its multi-threaded runtime (it hands the worker's
 * other tasks to another thread) and panics on a current-thread one.
 * weft/task's runtime is always current-thread (JavaScript runs the tasks
 * of a thread on that thread alone), so inside async code this throws, as
 * Tokio's current-thread runtime panics: use `spawnBlocking`. Outside a
 * runtime (in a spawnBlocking closure, or a thread without async code) it
 * runs `f` and returns its value, as Tokio does.
 */
export function blockInPlace<T>(f: () => T): T {
  if (currentRuntime() !== undefined) {
    throw new Error(
      'can call blocking only when running on the multi-threaded runtime: blockInPlace needs Tokio\'s multi-threaded runtime, ' +
        "and weft/task's runtime is current-thread (every task of this thread runs on it, so blocking here stops them all). " +
        'Run the blocking code on a thread of its own instead: `await spawnBlocking(() => …)`',
    );
  }
  return f();
}

refuseThen(BlockingHandle);
