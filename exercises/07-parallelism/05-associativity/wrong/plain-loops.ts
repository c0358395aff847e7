// fails: uses-parallel-iterators
// Computes the three with ordinary loops: right, but no parallel iterator shares the work.
import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  // Right answers, computed by ordinary loops on one thread.
  let sum = 0;
  let largest = -Infinity;
  for (const x of xs) {
    sum += x;
    largest = Math.max(largest, x);
  }
  return { balance: -sum, largest, average: xs.length === 0 ? 0 : sum / xs.length };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
