// fails: splits-with-join
// Sorts every number up front with a plain sort, then only halves the sorted array with join down to the cut-off: the joins' halves return sorted sides of the right lengths, but sort nothing.
import { join } from "weft/par";

/** Splits an already sorted array in halves with join, down to the cut-off. */
function split(sorted: number[], cutoff: number): number[] {
  if (sorted.length <= cutoff) return sorted;
  const mid = sorted.length >> 1;
  const [low, high] = join(
    () => split(sorted.slice(0, mid), cutoff),
    () => split(sorted.slice(mid), cutoff),
  );
  return [...low, ...high];
}

export function quicksort(xs: number[], cutoff: number): number[] {
  // Sort once, up front; the joins only cut the sorted array into halves.
  return split([...xs].sort((a, b) => a - b), cutoff);
}

function main() {
  console.log(quicksort([5, 3, 9, 1, 7, 2, 8], 2).join(" "));
}
