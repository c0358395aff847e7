// fails: uses-parallel-iterators
// Runs a parallel iterator over the amounts, but only to collect() them, then adds them up and finds the largest in a loop on the calling thread.
import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

export function summarize(xs: number[]): Summary {
  const copy = parIter(xs).collect();
  let sum = 0, largest = -Infinity;
  for (const x of copy) { sum += x; largest = Math.max(largest, x); }
  return { balance: -sum, largest, average: copy.length ? sum / copy.length : 0 };
}
function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
