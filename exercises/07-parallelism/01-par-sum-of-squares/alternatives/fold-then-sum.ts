import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  // Each piece folds its squares into a running total from 0; the pieces' totals are then summed.
  return parIter(xs)
    .fold(() => 0, (acc, x) => acc + x * x)
    .sum();
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
