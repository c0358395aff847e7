// fails: shallow-recursion
// Always takes the first number as the pivot: on an already sorted array each join splits off a single number, so the joins nest once per number.
import { join } from "weft/par";

/** `xs` sorted ascending (a new array); halves above `cutoff` numbers are sorted in parallel with join. */
export function quicksort(xs: number[], cutoff: number): number[] {
  if (xs.length <= cutoff) return [...xs].sort((a, b) => a - b);
  const pivot = xs[0]!; // the first number: on sorted input, every partition peels off just one number
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
