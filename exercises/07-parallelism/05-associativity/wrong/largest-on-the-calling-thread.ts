// fails: uses-parallel-iterators
// Fixes the balance and the average with parallel sums, but takes the largest with Math.max(...xs) on the calling thread: one of the three is not computed by a parallel iterator.
import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  const balance = -parIter(xs).sum(); // 0 - a - b - … is minus the sum, and + is associative
  const largest = Math.max(...xs); // a plain max on the calling thread
  const average = xs.length === 0 ? 0 : parIter(xs).sum() / xs.length; // sum in parallel, divide once
  return { balance, largest, average };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
