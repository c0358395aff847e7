// fails: runs-in-parallel
// Runs a parallel iterator that does nothing, then adds the squares to an atomic total in a loop on the calling thread: the atomic is there, but none of its additions happen in the pool.
import { parIter } from "weft/par";
import { AtomicI32 } from "weft/sync";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  const total = new AtomicI32(0);
  parIter(xs).forEach((x) => {
    // looks parallel, does nothing
  });
  for (const x of xs) total.fetchAdd(x * x);
  return total.load();
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
