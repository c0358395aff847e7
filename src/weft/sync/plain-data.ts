/**
 * Plain data in a value weft shares: its plain objects and arrays, as
 * opposed to weft handles (a Mutex, an atomic) and other class instances.
 */
import { isEncodable, type Encodable } from '../runtime/handle.ts';
import { className } from '../runtime/context.ts';

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
 * Rust's `Clone::clone` for a value a channel hands to several readers
 * (Tokio's broadcast requires `T: Clone` and gives each Receiver its own
 * clone): primitives and functions as they are; arrays, plain objects, Maps,
 * Sets, Dates and typed arrays copied, deeply; anything with a `clone()`
 * method (a weft handle such as an Arc or a Sender, or the reader's own class)
 * through it, as Rust calls the type's `Clone`. An instance of a class with no
 * `clone()` is refused, naming it, as Rust refuses a `T` that is not `Clone`.
 */
export function rustClone<T>(value: T, api: string, depth = 0): T {
  if (typeof value !== 'object' || value === null) return value;
  if (depth > 64) throw new RangeError(`${api} cannot clone a value nested more than 64 levels deep (or one that contains itself)`);
  const clone = (value as { clone?: unknown }).clone;
  if (typeof clone === 'function') return clone.call(value) as T;
  if (Array.isArray(value)) return value.map((item) => rustClone(item, api, depth + 1)) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [rustClone(k, api, depth + 1), rustClone(v, api, depth + 1)])) as T;
  if (value instanceof Set) return new Set([...value].map((item) => rustClone(item, api, depth + 1))) as T;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return (value as unknown as { slice(): T }).slice();
  if (isPlainContainer(value)) {
    const copy = Object.create(Object.getPrototypeOf(value)) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[key] = rustClone(item, api, depth + 1);
    return copy as T;
  }
  const name = className(value as object) ?? 'object';
  throw new TypeError(
    `${api} gives each receiver its own clone of a message (Rust requires \`T: Clone\`), and this ${name} has no clone() method: ` +
      `give class ${name} a clone() that returns a copy, or send plain data (objects, arrays, numbers, strings)`,
  );
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
