import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  const balance = parIter(xs).reduce(() => 0, (a, b) => a - b);
  const largest = parIter(xs).reduce(() => 0, (a, b) => Math.max(a, b));
  const average = parIter(xs).reduce(() => 0, (a, b) => (a + b) / 2);
  return { balance, largest, average };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
