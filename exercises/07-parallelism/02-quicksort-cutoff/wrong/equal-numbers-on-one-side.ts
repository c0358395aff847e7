// fails: shallow-recursion
// Splits into below the pivot and the rest (>=), taking out only the pivot itself: on an array with many equal numbers, each split takes one number off, and the joins nest once per repeat.
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
  if (xs.length <= cutoff) return [...xs].sort((a, b) => a - b); // small: sequential, no join
  const pivot = pivotOf(xs);
  const rest = [...xs];
  rest.splice(rest.indexOf(pivot), 1); // the pivot goes in the middle
  const below = rest.filter((x) => x < pivot);
  const above = rest.filter((x) => x >= pivot);
  const [low, high] = join(
    () => quicksort(below, cutoff),
    () => quicksort(above, cutoff),
  );
  return [...low, pivot, ...high];
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
