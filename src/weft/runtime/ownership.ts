/**
 * Dropping a value that owns handles (the last Arc's contents, a message
 * nobody will receive): every owned handle inside is dropped, as Rust drops
 * a value's fields.
 */
import { context, HELD_BELOW, IS_RELEASED, type HeldGuard, type Owned, type ThreadContext } from './context.ts';

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

/** Registers a handle as owned by the current thread (dropped when it ends). */
export function own(value: Owned): void {
  context().owned.add(value);
}

/** A lock guard `ctx`'s thread now holds: released by `releaseGuard`, or dropped when the thread ends (threads.ts dropOwned). */
export function holdGuard(ctx: ThreadContext, guard: HeldGuard): void {
  guard[HELD_BELOW] = ctx.heldGuard;
  ctx.heldGuard = guard;
}

/**
 * `guard` is released (and says so): no longer the thread's to drop. The top
 * of the list, the usual case, leaves it; one released out of order stays,
 * skipped, until the guards above it leave.
 */
export function releaseGuard(ctx: ThreadContext, guard: HeldGuard): void {
  if (ctx.heldGuard !== guard) return;
  const below = guard[HELD_BELOW];
  ctx.heldGuard = below !== null && below[IS_RELEASED]() ? unreleasedBelow(below) : below;
}

/** The first guard from `guard` down that is not released yet, unlinking the released ones on the way. */
export function unreleasedBelow(guard: HeldGuard | null): HeldGuard | null {
  while (guard !== null && guard[IS_RELEASED]()) {
    const next: HeldGuard | null = guard[HELD_BELOW];
    guard[HELD_BELOW] = null;
    guard = next;
  }
  return guard;
}

/**
 * The guards the thread holds that it took after `floor` (all of them for
 * null), last taken first, taken off its list: what a thread's end or a
 * detached job's drops.
 */
export function takeHeldGuards(ctx: ThreadContext, floor: HeldGuard | null = null): HeldGuard[] {
  const taken: HeldGuard[] = [];
  let guard = ctx.heldGuard;
  while (guard !== null && guard !== floor) {
    if (!guard[IS_RELEASED]()) taken.push(guard);
    const below: HeldGuard | null = guard[HELD_BELOW];
    guard[HELD_BELOW] = null;
    guard = below;
  }
  ctx.heldGuard = guard;
  return taken;
}

/** The guards the thread holds, last taken first (for diagnostics). */
export function heldGuards(ctx: ThreadContext): HeldGuard[] {
  const held: HeldGuard[] = [];
  for (let guard = ctx.heldGuard; guard !== null; guard = guard[HELD_BELOW]) if (!guard[IS_RELEASED]()) held.push(guard);
  return held;
}
