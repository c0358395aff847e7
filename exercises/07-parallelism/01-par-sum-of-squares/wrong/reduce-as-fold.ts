// fails: same-as-the-loop
// Squares inside reduce's operation instead of in a map: reduce's operation also combines partial results, so partial sums are squared when the work is split.
import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  // Uses reduce like a fold: the op squares its second argument, which is an item only inside a piece;
  // when the pieces are combined, their partial sums get squared too.
  return parIter(xs).reduce(() => 0, (acc, x) => acc + x * x);
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
