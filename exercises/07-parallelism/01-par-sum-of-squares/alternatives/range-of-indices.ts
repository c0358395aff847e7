import { range } from "weft/par";
export function sumOfSquares(xs: number[]): number {
  return range(0, xs.length).map((i) => xs[i]! * xs[i]!).sum();
}
function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
