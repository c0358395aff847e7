// fails: splits-with-join
// Recurses on both sides one after the other, without join: a correct sort, but nothing runs in parallel.
import { join } from "weft/par";

/** The median of the first, middle and last numbers: a good pivot even for sorted input. */
function pivotOf(xs: number[]): number {
  const a = xs[0]!;
  const b = xs[xs.length >> 1]!;
  const c = xs[xs.length - 1]!;
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}

/** `xs` sorted ascending (a new array); halves above `cutoff` numbers are sorted in parallel with join. */
export function quicksort(xs: number[], cutoff: number): number[] {
  // A correct quicksort, but sequential: no join, so one thread does everything.
  if (xs.length <= cutoff) return [...xs].sort((a, b) => a - b);
  const pivot = pivotOf(xs);
  const low = quicksort(xs.filter((x) => x < pivot), cutoff);
  const high = quicksort(xs.filter((x) => x > pivot), cutoff);
  return [...low, ...xs.filter((x) => x === pivot), ...high];
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
