import { join } from "weft/par";
export const quicksort = (xs: number[], cutoff: number): number[] => {
  if (xs.length <= cutoff) return xs.slice().sort((a, b) => a - b);
  const pivot = xs[Math.floor(Math.random() * xs.length)]!;
  const [lo, hi] = join(
    () => quicksort(xs.filter((x) => x < pivot), cutoff),
    () => quicksort(xs.filter((x) => x > pivot), cutoff),
  );
  return [...lo, ...xs.filter((x) => x === pivot), ...hi];
};
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
