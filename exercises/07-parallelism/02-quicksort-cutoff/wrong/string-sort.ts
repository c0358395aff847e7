// fails: sorted-permutation
// Sorts the small slices with array.sort() and no compare function, which orders numbers as strings: -5 before -40, 10 before 9.
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
  if (xs.length <= cutoff) return [...xs].sort(); // sorts the numbers as strings: "10" < "9"
  const pivot = pivotOf(xs);
  const below = xs.filter((x) => x < pivot);
  const same = xs.filter((x) => x === pivot);
  const above = xs.filter((x) => x > pivot);
  const [low, high] = join(
    () => quicksort(below, cutoff),
    () => quicksort(above, cutoff),
  );
  return [...low, ...same, ...high];
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
