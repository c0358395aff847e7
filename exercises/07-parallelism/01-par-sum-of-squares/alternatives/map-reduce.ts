import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  // reduce needs an identity (0 for +) and an associative operation: + is both.
  return parIter(xs)
    .map((x) => x * x)
    .reduce(() => 0, (a, b) => a + b);
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
