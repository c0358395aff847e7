import { join } from "weft/par";
function insertionSort(a: number[]): number[] {
  for (let i = 1; i < a.length; i++) {
    const v = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > v) { a[j + 1] = a[j]!; j--; }
    a[j + 1] = v;
  }
  return a;
}
function medianOfThree(xs: number[]): number {
  const [a, b, c] = [xs[0]!, xs[xs.length >> 1]!, xs[xs.length - 1]!];
  return Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
}
export function quicksort(xs: number[], cutoff: number): number[] {
  if (xs.length <= cutoff) return insertionSort([...xs]);
  const pivot = medianOfThree(xs);
  const below: number[] = [], same: number[] = [], above: number[] = [];
  for (const x of xs) (x < pivot ? below : x > pivot ? above : same).push(x);
  const [left, right] = join(() => quicksort(below, cutoff), () => quicksort(above, cutoff));
  return left.concat(same, right);
}
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
