// fails: splits-with-join
// Joins the lower side with an empty closure and sorts the upper side after the join, on the calling thread: the two sides are never sorted in parallel.
import { join } from "weft/par";
export function quicksort(xs: number[], cutoff: number): number[] {
  if (xs.length <= cutoff) return [...xs].sort((a, b) => a - b);
  const m = [xs[0]!, xs[xs.length >> 1]!, xs[xs.length - 1]!].sort((a, b) => a - b)[1]!;
  const lo = xs.filter((x) => x < m), eq = xs.filter((x) => x === m), hi = xs.filter((x) => x > m);
  const [a] = join(() => quicksort(lo, cutoff), () => null);
  const b = quicksort(hi, cutoff);
  return [...a, ...eq, ...b];
}
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
