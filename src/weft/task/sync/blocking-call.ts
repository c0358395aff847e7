/**
 * What Tokio's `blocking_*` methods share (`Mutex::blocking_lock`,
 * `RwLock::blocking_read`, `mpsc::Receiver::blocking_recv`, …): run one of
 * weft/task's futures to completion from code that is not async.
 * https://docs.rs/tokio/latest/tokio/sync/struct.Mutex.html#method.blocking_lock
 *
 * As in Tokio, calling one from async code (inside `blockOn`, or an `async
 * function main`) panics: blocking the thread would stop the executor that
 * drives the tasks it waits for. Where JavaScript forces a difference: in
 * Tokio they are for another thread, which blocks until a task of the
 * runtime unlocks or sends; weft/task's locks and channels never leave
 * their thread, so outside async code on that thread nothing could ever
 * finish the wait. The call succeeds when it can at once (the lock free, a
 * message queued), and otherwise throws instead of hanging for ever. To
 * share with a plain thread, use weft/sync's Mutex and mpsc, or
 * spawnBlocking.
 */
import { Context, dropFuture, Waker, type Future } from '../future.ts';
import { currentRuntime } from '../runtime/context.ts';

/** Tokio's panic for a blocking call inside a runtime (tokio/src/future/block_on.rs). */
export const BLOCKING_IN_RUNTIME =
  'Cannot block the current thread from within a runtime. This happens because a function attempted to block the current thread ' +
  'while the thread is being used to drive asynchronous tasks.';

/** The value of the future `start` makes, now; `api` names the call and `waitsFor` what it would wait for, in messages. */
export function blockingCall<T>(start: () => Future<T>, api: string, waitsFor: string): T {
  if (currentRuntime() !== undefined) throw new Error(`${api}: ${BLOCKING_IN_RUNTIME} Await the async version instead.`);
  const future = start();
  const result = future.poll(new Context(Waker.noop()));
  if (result.ready) return result.value;
  dropFuture(future);
  throw new Error(
    `${api} would block this thread for ever: it waits for ${waitsFor}, and only a task of this thread could bring that about, ` +
      'but no task runs while the thread is blocked (weft/task\'s locks and channels stay on their thread). ' +
      'Share with a plain thread through weft/sync instead, or await it from async code',
  );
}
