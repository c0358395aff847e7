// fails: splits-with-join
// Calls join the right number of times, nested the right depth, on the sizes alone (each half returns 0), and sorts the array sequentially.
import { join } from "weft/par";
function fake(n: number, cutoff: number): number {
  if (n <= cutoff) return 0;
  const [a, b] = join(() => fake(n >> 1, cutoff), () => fake(n - (n >> 1) - 1, cutoff));
  return a + b;
}
export function quicksort(xs: number[], cutoff: number): number[] {
  fake(xs.length, cutoff);
  return [...xs].sort((a, b) => a - b);
}
function main() {
  const xs = Array.from({ length: 20 }, (_, i) => (i * 37) % 23 - 5);
  console.log(quicksort(xs, 4).join(" "));
}
