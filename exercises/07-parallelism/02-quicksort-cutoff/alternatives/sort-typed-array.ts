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
  // Small slices: a Float64Array sorts numerically by itself. Big ones: split in two, joined.
  if (xs.length <= cutoff) return Array.from(Float64Array.from(xs).sort());
  const pivot = pivotOf(xs);
  const [low, high] = join(
    () => quicksort(xs.filter((x) => x < pivot), cutoff),
    () => quicksort(xs.filter((x) => x > pivot), cutoff),
  );
  return [...low, ...xs.filter((x) => x === pivot), ...high];
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
