import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

export function summarize(xs: number[]): Summary {
  const total = parIter(xs).sum();
  const largest = parIter(xs).max() ?? -Infinity;
  return { balance: -total, largest, average: xs.length === 0 ? 0 : parIter(xs).sum() / xs.length };
}
function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
