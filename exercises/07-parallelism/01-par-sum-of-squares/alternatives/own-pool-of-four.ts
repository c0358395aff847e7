import { parIter, ThreadPoolBuilder } from "weft/par";

/** A pool of its own, with four threads, so the sum doesn't compete with other work on the global pool. */
export function sumOfSquares(xs: number[]): number {
  const pool = new ThreadPoolBuilder().numThreads(4).build();
  return pool.install(() => parIter(xs).map((x) => x * x).sum());
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
