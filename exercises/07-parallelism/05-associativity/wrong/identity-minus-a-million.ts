// fails: largest-true-identity
// Starts max from -1,000,000, "lower than any amount": not a true identity, so a piece of amounts all below it says its largest is -1,000,000.
import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  const balance = -parIter(xs).sum(); // 0 - a - b - … is minus the sum, and + is associative
  const largest = parIter(xs).reduce(() => -1_000_000, (a, b) => Math.max(a, b)); // lower than any amount we will see
  const average = xs.length === 0 ? 0 : parIter(xs).sum() / xs.length; // sum in parallel, divide once
  return { balance, largest, average };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
