// fails: same-as-the-loop
// Iterates over the indices with range and squares the index instead of the item at that index.
import { parIter, range } from "weft/par";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  return range(0, xs.length)
    .map((i) => i * i) // squares the index, not the item
    .sum();
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
