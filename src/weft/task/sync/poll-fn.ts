/**
 * Rust's `std::future::poll_fn` (https://doc.rust-lang.org/std/future/fn.poll_fn.html)
 * for weft/task's primitives: a future from a poll function, with a
 * description for hang reports and a cancel hook besides. What each
 * primitive's futures have in common, kept in one place.
 */
import { awaitable, type Awaitable, type Context, type Future, type Poll, type WaitsOn } from '../future.ts';

export function pollFn<T>(poll: (cx: Context) => Poll<T>, describe: () => string, cancel?: () => void, waitsOn?: () => WaitsOn): Awaitable<T> {
  const future: Future<T> & { describe(): string; waitsOn?: () => WaitsOn } = { poll, describe };
  if (cancel !== undefined) future[Symbol.dispose] = cancel;
  if (waitsOn !== undefined) future.waitsOn = waitsOn;
  return awaitable(future);
}
