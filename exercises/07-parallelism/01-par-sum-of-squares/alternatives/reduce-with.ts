// Squares in parallel and adds them with reduceWith, whose empty answer (undefined) is 0 here.
import { parIter } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  return parIter(xs)
    .map((x) => x * x)
    .reduceWith((a, b) => a + b) ?? 0;
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
