import { join } from "weft/par";

/** Sequential sort for small slices. */
function insertionSort(xs: number[]): number[] {
  for (let i = 1; i < xs.length; i++) {
    const x = xs[i]!;
    let j = i - 1;
    while (j >= 0 && xs[j]! > x) {
      xs[j + 1] = xs[j]!;
      j--;
    }
    xs[j + 1] = x;
  }
  return xs;
}

/** `xs` sorted ascending (a new array); halves above `cutoff` numbers are sorted in parallel with join. */
export function quicksort(xs: number[], cutoff: number): number[] {
  if (xs.length <= cutoff) return insertionSort([...xs]);
  const pivot = xs[Math.floor(Math.random() * xs.length)]!; // a random pivot: shallow on any input, with high probability
  const below = xs.filter((x) => x < pivot);
  const same = xs.filter((x) => x === pivot);
  const above = xs.filter((x) => x > pivot);
  const [low, high] = join(
    () => quicksort(below, cutoff),
    () => quicksort(above, cutoff),
  );
  return low.concat(same, high);
}

function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
