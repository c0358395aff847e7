// fails: no-join-at-or-below-cutoff
// Checks the cut-off only in the exported function; the recursion splits on down to half the cut-off, so slices of cutoff numbers or fewer are still split with join.
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
  return sortDeep(xs, Math.max(2, cutoff >> 1));
}

/** The recursion: splits down to small slices, half the cut-off. */
function sortDeep(xs: number[], small: number): number[] {
  if (xs.length <= small) return [...xs].sort((a, b) => a - b);
  const pivot = pivotOf(xs);
  const below: number[] = [];
  const same: number[] = [];
  const above: number[] = [];
  for (const x of xs) (x < pivot ? below : x > pivot ? above : same).push(x);
  const [low, high] = join(
    () => sortDeep(below, small),
    () => sortDeep(above, small),
  );
  return [...low, ...same, ...high];
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
