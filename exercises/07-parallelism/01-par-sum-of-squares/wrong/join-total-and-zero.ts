// fails: runs-in-parallel
// Sums the squares in a loop on the calling thread and passes the total through a join beside a zero: the pool computes nothing.
import { join } from "weft/par";

export function sumOfSquares(xs: number[]): number {
  const total = xs.reduce((acc, x) => acc + x * x, 0);
  const [a, b] = join(() => total, () => 0); // the pool "helps"
  return a + b;
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
