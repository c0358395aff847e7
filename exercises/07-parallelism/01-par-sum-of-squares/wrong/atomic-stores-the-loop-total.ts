// fails: runs-in-parallel
// Sums the squares in a loop on the calling thread, then has every closure of a parallel forEach store that total in an atomic: the pool writes the answer but computes none of it.
import { parIter } from "weft/par";
import { AtomicI32 } from "weft/sync";

/** The sum of the squares of `xs`, computed by the pool's threads. */
export function sumOfSquares(xs: number[]): number {
  const loopTotal = xs.reduce((acc, x) => acc + x * x, 0);
  const total = new AtomicI32(0);
  parIter(xs).forEach(() => total.store(loopTotal));
  return total.load();
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
