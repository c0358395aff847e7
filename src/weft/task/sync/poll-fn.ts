/**
 * Rust's `std::future::poll_fn` (https://doc.rust-lang.org/std/future/fn.poll_fn.html)
 * for weft/task's primitives: a future from a poll function, with a
 * description for hang reports and a cancel hook besides. What each
 * primitive's futures have in common, kept in one place.
 */
import { awaitable, PENDING, Poll, type Awaitable, type Context, type Future, type WaitsOn, type Waker } from '../future.ts';

export function pollFn<T>(poll: (cx: Context) => Poll<T>, describe: () => string, cancel?: () => void, waitsOn?: () => WaitsOn): Awaitable<T> {
  const future: Future<T> & { describe(): string; waitsOn?: () => WaitsOn } = { poll, describe };
  if (cancel !== undefined) future[Symbol.dispose] = cancel;
  if (waitsOn !== undefined) future.waitsOn = waitsOn;
  return awaitable(future);
}

/**
 * A future that finishes once `done()` holds, waiting in `waiters` meanwhile (whoever makes it hold wakes them):
 * a channel's `closed()` and the like. Its waker leaves the set when it is polled again or cancelled.
 */
export function whenTrue(done: () => boolean, waiters: Set<Waker>, describe: () => string): Awaitable<void> {
  let waker: Waker | null = null;
  return pollFn(
    (cx: Context): Poll<void> => {
      if (done()) return Poll.ready(undefined);
      if (waker !== null) waiters.delete(waker);
      waker = cx.waker();
      waiters.add(waker);
      return PENDING;
    },
    describe,
    () => {
      if (waker !== null) waiters.delete(waker);
    },
  );
}
