/**
 * Dropping a value that owns handles (the last Arc's contents, a message
 * nobody will receive): every owned handle inside is dropped, as Rust drops
 * a value's fields.
 */
import { context, type Owned } from './context.ts';

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
  if (Array.isArray(value)) for (const item of value) dropTree(item, seen);
  else if (value instanceof Map) for (const [k, v] of value) (dropTree(k, seen), dropTree(v, seen));
  else if (value instanceof Set) for (const item of value) dropTree(item, seen);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const item of Object.values(value)) dropTree(item, seen);
}

/** Registers a handle as owned by the current thread (dropped when it ends). */
export function own(value: Owned): void {
  context().owned.add(value);
}
