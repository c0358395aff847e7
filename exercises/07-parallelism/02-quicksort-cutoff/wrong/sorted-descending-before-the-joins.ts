// fails: splits-with-join
// Sorts the whole array first, in descending order, then partitions it with join; each half only reverses its side at the cut-off, so the joins sort nothing.
import { join } from "weft/par";
function split(s: number[], cutoff: number): number[] {
  if (s.length <= cutoff) return [...s].reverse();
  const pivot = s[s.length >> 1]!;
  const above = s.filter((x) => x > pivot);
  const same = s.filter((x) => x === pivot);
  const below = s.filter((x) => x < pivot);
  const [lo, hi] = join(() => split(below, cutoff), () => split(above, cutoff));
  return [...lo, ...same, ...hi];
}
export function quicksort(xs: number[], cutoff: number): number[] {
  return split([...xs].sort((a, b) => b - a), cutoff);
}
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
