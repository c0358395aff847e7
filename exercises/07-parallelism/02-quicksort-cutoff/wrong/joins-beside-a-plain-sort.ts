// fails: splits-with-join
// Partitions and joins recursively, as asked, but the joins return nothing: the array is sorted in one go with sort((a, b) => a - b) beside them, so the joins did no sorting.
import { join } from "weft/par";
function split(xs: number[], cutoff: number): void {
  if (xs.length <= cutoff) return;
  const s = [...xs].sort((a, b) => a - b);
  const pivot = s[s.length >> 1]!;
  join(() => split(xs.filter((x) => x < pivot), cutoff), () => split(xs.filter((x) => x > pivot), cutoff));
}
export function quicksort(xs: number[], cutoff: number): number[] {
  split(xs, cutoff); // the joins, as asked
  return [...xs].sort((a, b) => a - b);
}
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
