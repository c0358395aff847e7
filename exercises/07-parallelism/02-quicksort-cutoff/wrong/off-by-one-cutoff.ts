// fails: no-join-at-or-below-cutoff
// Tests `xs.length < cutoff` instead of `<=`: a slice of exactly `cutoff` numbers is split with a join instead of being sorted sequentially.
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
  if (xs.length < cutoff) return [...xs].sort((a, b) => a - b); // a slice of exactly `cutoff` numbers is still split
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
