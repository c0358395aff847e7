// fails: runs-in-parallel
// A parallel iterator over every index whose item 0 sums every square and the others give 0: the pieces are cut, but one closure does all the work.
import { range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  // Item 0 adds up every square; the other items add nothing: a parallel iterator over all the items, in name.
  return range(0, xs.length)
    .map((i) => (i === 0 ? xs.reduce((acc, x) => acc + x * x, 0) : 0))
    .sum();
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
