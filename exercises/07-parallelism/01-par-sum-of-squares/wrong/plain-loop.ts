// fails: runs-in-parallel
// Computes the sum with an ordinary array reduce on the calling thread: the right answer, but no parallel iterator shares the work.
import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  // Right answer, but one thread does all the work.
  return xs.reduce((acc, x) => acc + x * x, 0);
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
