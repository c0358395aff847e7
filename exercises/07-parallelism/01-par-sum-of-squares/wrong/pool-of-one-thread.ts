// fails: runs-in-parallel
// Runs parIter(xs).map(…).sum() inside install on a ThreadPool built with numThreads(1): the work is split into pieces, but one thread does them all.
import { parIter, ThreadPoolBuilder } from "weft/par";
export function sumOfSquares(xs: number[]): number {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  return pool.install(() => parIter(xs).map((x) => x * x).sum());
}
function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
