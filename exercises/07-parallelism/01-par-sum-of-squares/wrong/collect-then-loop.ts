// fails: runs-in-parallel
// Squares the items in parallel but collects them into an array and adds them up in a loop on the calling thread: half the work never reaches the pool.
import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  const squares = parIter(xs).map((x) => x * x).collect();
  let total = 0;
  for (const s of squares) total += s;
  return total;
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
