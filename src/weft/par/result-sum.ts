/**
 * Rust's `Sum` and `Product` for `Result<T, E>`: a par iterator of Results
 * (`{ ok, value }`, weft/sync's Result) sums to the first failed one, or to
 * `{ ok: true, value: the sum }` (rayon src/iter/test.rs check_results).
 * Used by the sum sink (pipeline.ts), its fused loop (fused.ts) and
 * `product` (iter.ts); the first item tells whether a sum is one of Results.
 */

/** A Result item (`{ ok, value }`). */
export function isResultItem(x: unknown): x is { ok: boolean; value: unknown } {
  return x !== null && typeof x === 'object' && typeof (x as { ok?: unknown }).ok === 'boolean' && 'value' in x;
}

/** `Ok(a op b)` of two Results, or the first `Err`; `op` adds by default. */
export function addResults(a: unknown, b: unknown, op: (x: number, y: number) => number = (x, y) => x + y): unknown {
  const ra = a as { ok: boolean; value: unknown };
  if (!ra.ok) return a;
  if (!isResultItem(b)) throw new TypeError(`sum and product of Results expect every item to be a Result ({ ok, value }), but met ${b === null ? 'null' : typeof b}`);
  if (!b.ok) return b;
  return { ok: true, value: op(ra.value as number, b.value as number) };
}
