// A parallel merge sort instead of a partition: both halves sorted with join, slices of cutoff numbers or fewer sorted sequentially (a Float64Array sorts numerically), then merged.
import { join } from "weft/par";

/** Parallel merge sort: split by position, sort both halves with join, merge. Slices of cutoff numbers or fewer are sorted sequentially. */
export function quicksort(xs: number[], cutoff: number): number[] {
  if (xs.length <= cutoff) return Float64Array.from(xs).sort().reduce<number[]>((out, x) => (out.push(x), out), []);
  const mid = xs.length >> 1;
  const [a, b] = join(() => quicksort(xs.slice(0, mid), cutoff), () => quicksort(xs.slice(mid), cutoff));
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) out.push(a[i]! <= b[j]! ? a[i++]! : b[j++]!);
  while (i < a.length) out.push(a[i++]!);
  while (j < b.length) out.push(b[j++]!);
  return out;
}

function main() {
  console.log(quicksort([5, 3, 9, 1, 7, 3, 8, -2, 0, 4], 3).join(" "));
}
