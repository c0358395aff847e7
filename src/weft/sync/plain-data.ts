/**
 * Plain data in a value weft shares: its plain objects and arrays, as
 * opposed to weft handles (a Mutex, an atomic) and other class instances.
 */

/** A plain object or an array: data a value holds, not a handle or an instance of a class. */
export function isPlainContainer(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return Array.isArray(value) || proto === Object.prototype || proto === null;
}

/**
 * Freezes plain objects and arrays, deeply; weft handles and other objects
 * are left as they are (they are how shared contents change). A read guard's
 * value and an Arc's are read-only this way, as in Rust.
 */
export function deepFreeze(value: unknown): unknown {
  if (!isPlainContainer(value) || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const item of Object.values(value)) deepFreeze(item);
  return value;
}
