// fails: runs-in-parallel
// Sums the squares in a loop on the calling thread, then passes the total through a join as two made-up "halves" (the total minus 1, and 1): both are positive and add up, but neither is the sum of a part of xs.
import { join } from "weft/par";

export function sumOfSquares(xs: number[]): number {
  const total = xs.reduce((acc, x) => acc + x * x, 0);
  const [a, b] = join(() => total - 1, () => 1);
  return a + b;
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
