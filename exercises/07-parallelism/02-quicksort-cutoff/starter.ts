import { join } from "weft/par";

/** `xs` sorted ascending (a new array); halves above `cutoff` numbers are sorted in parallel with join. */
export function quicksort(xs: number[], cutoff: number): number[] {
  // TODO: partition around a pivot, join the two sides, and sort small slices sequentially.
  return xs;
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
