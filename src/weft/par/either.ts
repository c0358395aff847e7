/**
 * Rayon's `Either` (from the either crate, re-exported as
 * `rayon::iter::Either`), as plain data so it crosses threads: test `left`,
 * then read `value`, as weft/sync's Result is read with `ok`.
 *
 *   const [numbers, words] = parIter(tokens).partitionMap((s) => (/^\d+$/.test(s) ? Either.left(Number(s)) : Either.right(s)));
 *
 * https://docs.rs/either/latest/either/enum.Either.html
 */
export type Either<L, R> = { readonly left: true; readonly value: L } | { readonly left: false; readonly value: R };

/** Makes an Either: `Either.left(x)` is Rust's `Either::Left(x)`, `Either.right(x)` its `Either::Right(x)`. */
export const Either = Object.freeze({
  left<L>(value: L): { readonly left: true; readonly value: L } {
    return { left: true, value };
  },
  right<R>(value: R): { readonly left: false; readonly value: R } {
    return { left: false, value };
  },
});

/** Whether `x` is an Either as `Either.left`/`Either.right` make them. */
export function isEither(x: unknown): x is Either<unknown, unknown> {
  return x !== null && typeof x === 'object' && 'value' in x && typeof (x as { left?: unknown }).left === 'boolean';
}
