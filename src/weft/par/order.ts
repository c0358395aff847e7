/**
 * Rust's `Ord` for the values weft/par compares without a closure (`min`,
 * `max`, the keys of `minByKey`/`maxByKey`/`parSortByKey`, `parSort`):
 * numbers, strings (by UTF-16 code units), bigints and booleans by their own
 * order, and arrays, standing for Rust's tuples and slices,
 * lexicographically (the first element that differs decides; a prefix is
 * less). JavaScript's `<` on two arrays compares their text ("10,1" <
 * "9,2"), which is not Rust's order.
 */

/** Whether `a` orders before `b`. */
export function ordLess(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  return ordCompare(a, b) < 0;
}

/** Negative, 0 or positive as `a` orders before, with or after `b`; throws for values with no order (objects, undefined). */
export function ordCompare(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) return arrayCompare(a, b);
  if (typeof a === 'object' || typeof b === 'object' || a === undefined || b === undefined) refuse(a, b);
  return (a as number) < (b as number) ? -1 : (b as number) < (a as number) ? 1 : 0;
}

function refuse(a: unknown, b: unknown): void {
  const what = unordered(a) ?? unordered(b);
  if (what === undefined) return; // an array beside a number: left to <, as before
  throw new TypeError(
    `weft/par orders values as Rust's Ord does (numbers, strings, bigints, booleans, and arrays of them as tuples), but met ${what}: ` +
      'say how to order it, with minBy/maxBy((a, b) => …), minByKey/maxByKey((x) => x.key) or parSortBy',
  );
}

function arrayCompare(a: readonly unknown[], b: readonly unknown[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const c = ordCompare(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** How an item that has no order of its own reads in a message ('an object', 'undefined'), or undefined when it has one. */
export function unordered(x: unknown): string | undefined {
  switch (typeof x) {
    case 'number':
    case 'string':
    case 'bigint':
    case 'boolean':
      return undefined;
    case 'object':
      if (x === null) return 'null';
      if (Array.isArray(x)) {
        for (const item of x) if (unordered(item) !== undefined) return `an array holding ${unordered(item)}`;
        return undefined;
      }
      return 'an object';
    default:
      return typeof x === 'undefined' ? 'undefined' : `a ${typeof x}`;
  }
}
