// fails: same-as-the-loop
// Gives reduce an identity of 1 instead of 0: every piece the work is cut into starts from 1, so the answer depends on how many pieces there were.
import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  // An identity of 1 instead of 0: each piece of the work starts from 1.
  return parIter(xs)
    .map((x) => x * x)
    .reduce(() => 1, (a, b) => a + b);
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
