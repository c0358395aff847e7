// fails: largest-true-identity
// Takes the largest with max(), which gives undefined for an empty list instead of -Infinity.
import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

export function summarize(xs: number[]): Summary {
  const sum = parIter(xs).sum();
  return { balance: 0 - sum, largest: parIter(xs).max()!, average: xs.length > 0 ? sum / xs.length : 0 };
}
function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
