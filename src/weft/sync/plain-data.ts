/**
 * Plain data in a value weft shares: its plain objects and arrays, as
 * opposed to weft handles (a Mutex, an atomic) and other class instances.
 */
import { isEncodable, type Encodable } from '../runtime/handle.ts';

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

/** The weft handles in `value`, looking through plain objects, arrays, Maps and Sets (not into the handles). */
export function handlesIn(value: unknown, found: Encodable[] = [], depth = 0): Encodable[] {
  if (typeof value !== 'object' || value === null || depth > 64) return found;
  if (isEncodable(value)) {
    found.push(value);
    return found;
  }
  if (Array.isArray(value) || value instanceof Set) for (const item of value) handlesIn(item, found, depth + 1);
  else if (value instanceof Map) for (const [k, v] of value) (handlesIn(k, found, depth + 1), handlesIn(v, found, depth + 1));
  else if (isPlainContainer(value)) for (const item of Object.values(value)) handlesIn(item, found, depth + 1);
  return found;
}

/**
 * `value`, returned as a clone by a lock's `getCloned` or OnceLock's `clone` (Rust: `T: Clone`):
 * a guard's value is already this thread's own copy of the data, but weft
 * cannot clone what a handle inside holds (a Mutex, a Sender), so such a
 * value is refused, in the reader's terms.
 */
export function clonedData<T>(value: T, api: string): T {
  if (handlesIn(value).length > 0) {
    throw new TypeError(
      `${api} cannot copy a value that holds weft handles (a Mutex, a Sender, an Arc): Rust clones the value here, ` +
        'and weft has no clone for what a handle holds. Lock it and use the handles through the guard',
    );
  }
  return value;
}

/**
 * Rust's derived `PartialEq` for the data weft stores: numbers, strings and
 * the other primitives by `===` (so NaN is not equal to itself, as `f64`),
 * arrays element by element, plain objects field by field, Maps and Sets by
 * their entries; anything else (a weft handle, a class instance) only
 * equals itself.
 */
export function dataEq(a: unknown, b: unknown, depth = 0): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || depth > 64) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => dataEq(item, b[i], depth + 1));
  }
  if (a instanceof Map || b instanceof Map) {
    if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
    for (const [k, v] of a) if (!b.has(k) || !dataEq(v, b.get(k), depth + 1)) return false;
    return true;
  }
  if (a instanceof Set || b instanceof Set) {
    if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
    for (const item of a) if (!b.has(item)) return false;
    return true;
  }
  if (!isPlainContainer(a) || !isPlainContainer(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && dataEq((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], depth + 1));
}
