/**
 * Dropping a value that owns handles (the last Arc's contents, a message
 * nobody will receive): every owned handle inside is dropped, as Rust drops
 * a value's fields.
 */
import { context, type Owned, type ThreadContext } from './context.ts';
import { FREE_LOCAL } from './handle.ts';

/**
 * What a lock (Mutex, RwLock, OnceLock) answers when the value holding it is
 * dropped: its own value goes with it (Rust drops a `Mutex<T>`'s `T` with the
 * Mutex). A lock is not Owned: no thread drops it when it ends, no task takes
 * it; it is dropped only as part of a value being dropped (the last Arc's, a
 * message nobody received, a detached thread's result).
 */
export const DROP_CONTENTS = Symbol('weft.dropContents');

function isOwned(value: object): value is Owned {
  return typeof (value as { dropOnExit?: unknown }).dropOnExit === 'function';
}

export function dropTree(value: unknown, seen = new Set<object>()): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (isOwned(value)) {
    context().owned.delete(value);
    value.dropOnExit(false);
    return;
  }
  if (DROP_CONTENTS in value) {
    (value as { [DROP_CONTENTS](): void })[DROP_CONTENTS]();
    return;
  }
  if (Array.isArray(value)) for (const item of value) dropTree(item, seen);
  else if (value instanceof Map) for (const [k, v] of value) (dropTree(k, seen), dropTree(v, seen));
  else if (value instanceof Set) for (const item of value) dropTree(item, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const item of Object.values(value)) dropTree(item, seen);
}

/**
 * `__weft.dropLocal(x)`: the end of the block of a local variable that holds
 * a weft/sync primitive made there and never let go (compile/local-drops.ts):
 * Rust drops the value there, so its record in run memory is freed, unless
 * the handle says something else may still reach it (runtime/handle.ts
 * freeLocal).
 */
export function dropLocal(value: unknown): void {
  if (typeof value === 'object' && value !== null && FREE_LOCAL in value) (value as { [FREE_LOCAL](): void })[FREE_LOCAL]();
}

/** Registers a handle as owned by the current thread (dropped when it ends). */
export function own(value: Owned): void {
  context().owned.add(value);
}

/** A lock guard `ctx`'s thread now holds: released by `releaseGuard`, or dropped when the thread ends (threads.ts dropOwned). */
export function holdGuard(ctx: ThreadContext, guard: Owned): void {
  ctx.guards.push(guard);
}

/** The guard is released: no longer the thread's to drop. The last one taken is the usual case. */
export function releaseGuard(ctx: ThreadContext, guard: Owned): void {
  const guards = ctx.guards;
  if (guards[guards.length - 1] === guard) {
    guards.pop();
    return;
  }
  const at = guards.lastIndexOf(guard);
  if (at >= 0) guards.splice(at, 1);
}
