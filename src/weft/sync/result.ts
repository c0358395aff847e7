/**
 * Rust's `Result<T, E>` as TypeScript data, for the weft/sync calls whose
 * failure is an ordinary answer rather than an error (`compareExchange`,
 * `fetchUpdate`, `OnceLock.set`): test `ok`, then read `value`.
 *
 *   const r = a.compareExchange(0, 1);
 *   if (r.ok) { ... r.value is the previous value ... } else { ... r.value is the value found ... }
 *
 * Errors that Rust code usually propagates with `?` or `unwrap` (poisoning,
 * a closed channel) are thrown instead (sync/errors.ts).
 */
export type Result<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly value: E };

export function ok<T>(value: T): { readonly ok: true; readonly value: T } {
  return { ok: true, value };
}

export function err<E>(value: E): { readonly ok: false; readonly value: E } {
  return { ok: false, value };
}
