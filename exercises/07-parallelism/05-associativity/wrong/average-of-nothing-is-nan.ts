// fails: average-any-split
// Divides the sum by xs.length without a case for the empty list: the average of no amounts comes out as NaN, not 0.
import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

export function summarize(xs: number[]): Summary {
  const sum = parIter(xs).sum();
  return { balance: -sum, largest: parIter(xs).reduce(() => -Infinity, (a, b) => Math.max(a, b)), average: sum / xs.length };
}
function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
