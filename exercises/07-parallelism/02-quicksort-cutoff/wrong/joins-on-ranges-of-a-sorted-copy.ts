// fails: splits-with-join
// Sorts the whole array once, then joins on index ranges of it (each half slices its range of the sorted copy): the joins pass sorted numbers through.
import { join } from "weft/par";
function halves(s: number[], lo: number, hi: number, cutoff: number): number[] {
  if (hi - lo <= cutoff) return s.slice(lo, hi);
  const mid = (lo + hi) >> 1;
  const [a, b] = join(() => halves(s, lo, mid, cutoff), () => halves(s, mid + 1, hi, cutoff));
  return [...a, s[mid]!, ...b];
}
export function quicksort(xs: number[], cutoff: number): number[] {
  const s = [...xs].sort((a, b) => a - b);
  return halves(s, 0, s.length, cutoff);
}
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
