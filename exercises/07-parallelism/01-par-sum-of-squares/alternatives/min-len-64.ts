// Squares in parallel, with pieces of at least 64 items (withMinLen), summed by the pool.
import { parIter } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  return parIter(xs)
    .withMinLen(64)
    .map((x) => x * x)
    .sum();
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
