import { parIter } from "weft/par";
const square = (x: number) => x * x;
export function sumOfSquares(xs: number[]): number {
  return parIter(xs).chunks(64).map((chunk) => chunk.reduce((acc, x) => acc + square(x), 0)).sum();
}
function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
