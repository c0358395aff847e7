/**
 * Which runtime is running async code on this thread: Tokio's
 * `runtime::context` (the thread-local `CONTEXT` that `tokio::spawn`,
 * `tokio::time::sleep` and friends read to find their runtime).
 * https://github.com/tokio-rs/tokio/blob/master/tokio/src/runtime/context.rs
 *
 * One pointer per thread (each weft thread is its own worker, so a module
 * variable is thread-local). blockOn and runMain set it while they run a
 * future (task/runtime.ts); weft/task's primitives (spawn, sleep, select…)
 * read it. It is a module of its own, importing the runtime's type only, so
 * that finding the runtime never means importing the executor.
 */
import type { Runtime } from './scheduler.ts';
import { runLocal } from '../../runtime/run-local.ts';
import { context, hasContext } from '../../runtime/context.ts';
import { threadName } from '../../runtime/thread-table.ts';

let current: Runtime | undefined;
runLocal(() => (current = undefined));

/** The runtime of this thread, if async code is running on it. */
export function currentRuntime(): Runtime | undefined {
  return current;
}

/** The runtime of this thread, for `api`, which cannot run outside one: throws, saying how to run async code, when there is none. */
export function runtimeOrThrow(api: string): Runtime {
  if (current === undefined) {
    if (onBlockingThread()) {
      throw new Error(
        `${api} cannot be called in a spawnBlocking closure: it runs on a thread of its own, which has no runtime ` +
          "(weft/task runs one runtime per thread, and a task's or spawnBlocking's handle cannot cross threads; Tokio's blocking threads " +
          'can reach their runtime, weft\'s cannot). Return a value from the closure and spawn from the task that awaits it, or run async code here with blockOn(…)',
      );
    }
    throw new Error(
      `${api} must be called from async code running on weft's executor: make \`main\` async (\`async function main() { … }\`), ` +
        'or run a future with blockOn(…)',
    );
  }
  return current;
}

/** Whether this thread is one spawnBlocking started (task/blocking.ts names them `blocking-N`). */
function onBlockingThread(): boolean {
  if (!hasContext()) return false;
  const { memory, threadId } = context();
  return /^blocking-\d+$/.test(threadName(memory, threadId) ?? '');
}

/** Entering (a runtime) or leaving (undefined) async code on this thread: only blockOn and runMain call it. */
export function setCurrentRuntime(runtime: Runtime | undefined): void {
  current = runtime;
}
