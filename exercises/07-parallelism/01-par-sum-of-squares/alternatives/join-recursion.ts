// Divide and conquer with weft/par's join: halves until the pieces are small, a loop for each piece; the pool's threads share the work as a parallel iterator's would.
import { join } from "weft/par";

/** Divide and conquer: split the slice in halves with join until the pieces are small, then loop. */
function sumRange(xs: number[], lo: number, hi: number): number {
  if (hi - lo <= 256) {
    let total = 0;
    for (let i = lo; i < hi; i++) total += xs[i]! * xs[i]!;
    return total;
  }
  const mid = (lo + hi) >> 1;
  const [a, b] = join(() => sumRange(xs, lo, mid), () => sumRange(xs, mid, hi));
  return a + b;
}

export function sumOfSquares(xs: number[]): number {
  return sumRange(xs, 0, xs.length);
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
