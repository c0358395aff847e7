/**
 * The executor: Tokio's current-thread runtime (tokio::runtime::Builder::
 * new_current_thread), one per weft thread that runs async code.
 * https://docs.rs/tokio/latest/tokio/runtime/index.html
 *
 * This file is the way in: `blockOn` and `runMain` make a runtime, make it
 * this thread's current one, and drive a future to completion on it. The
 * runtime itself is in runtime/, in Tokio's pieces:
 *   - task.ts: a task, a future plus its state (Tokio's `runtime::task`);
 *   - scheduler.ts: the run queue and the poll loop, what the executor
 *     waits for when nothing is queued (`scheduler::current_thread`);
 *   - time-driver.ts: the clock, paused or real, and the timer heap: where
 *     timers fire (`runtime::time`);
 *   - diagnostics.ts: the hang report, panic reports, the "blocking the
 *     executor" lesson and lock guards held across an await;
 *   - context.ts: which runtime is this thread's current one
 *     (`runtime::context`), what spawn, sleep… look up.
 */
import { context, hasContext } from '../runtime/context.ts';
import { scheduled, scheduleSalt } from '../runtime/scheduler.ts';
import { externalWork, intoFuture, isFuture, type Future } from './future.ts';
import { currentRuntime, setCurrentRuntime } from './runtime/context.ts';
import { watchBlockingCalls } from './runtime/diagnostics.ts';
import { waitForBlockingThreads } from './blocking.ts';
import { drive, Runtime } from './runtime/scheduler.ts';
import type { Task } from './runtime/task.ts';

export { TaskHang } from './runtime/diagnostics.ts';
export { runningTaskAt } from './runtime/task.ts';

function enterRuntime(api: string): { runtime: Runtime; leave: () => void } {
  if (currentRuntime() !== undefined) {
    throw new Error(
      `${api}: cannot start a runtime from within a runtime (this thread's executor is already running async code): await the future instead`,
    );
  }
  const seeded = hasContext() && scheduled(context().memory);
  const runtime = new Runtime(seeded, seeded ? scheduleSalt(context().memory, context().threadId) : undefined);
  setCurrentRuntime(runtime);
  externalWork.started = () => runtime.pendingPromises++;
  externalWork.settled = () => runtime.pendingPromises--;
  const stopWatching = watchBlockingCalls();
  return {
    runtime,
    leave: () => {
      setCurrentRuntime(undefined);
      stopWatching();
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
    waitForBlockingThreads(runtime);
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
      const deadline = runtime.time.nextDeadline();
      const ms =
        runtime.blocking.length > 0 || runtime.hasRemote ? 2 : deadline === Infinity || runtime.time.paused ? Infinity : deadline - runtime.time.now();
      await runtime.park(ms);
      setCurrentRuntime(runtime);
      runtime.time.fireTimers();
    }
    runtime.shutdown();
    waitForBlockingThreads(runtime);
    return outcomeOf<T>(root);
  } finally {
    leave();
  }
}

/** True for what an `async function main` returns once lowered: the runner then runs it with runMain. */
export function isTaskFuture(value: unknown): value is Future<unknown> {
  return isFuture(value);
}
