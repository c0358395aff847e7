// fails: runs-in-parallel
// Uses parIter(xs).map(…).sum(), but with withMinLen(xs.length + 1): the work is never split, so one thread does it all while the pool looks on.
import { parIter } from "weft/par";
export function sumOfSquares(xs: number[]): number {
  return parIter(xs).withMinLen(xs.length + 1).map((x) => x * x).sum();
}
function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
