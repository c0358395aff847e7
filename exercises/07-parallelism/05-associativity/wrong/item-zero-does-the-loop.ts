// fails: uses-parallel-iterators
// Parallel iterators over the indices whose item 0 works each answer out with a loop (the other items give 0 or -Infinity): right answers, pieces cut, one item doing all the work.
import { range } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** Parallel iterators over the amounts' indices, whose item 0 works each answer out with a loop. */
export function summarize(xs: number[]): Summary {
  const n = xs.length;
  const balance = range(0, n)
    .map((i) => (i === 0 ? xs.reduce((acc, x) => acc - x, 0) : 0))
    .sum();
  const largest = range(0, n)
    .map((i) => (i === 0 ? Math.max(...xs) : -Infinity))
    .reduce(() => -Infinity, (a, b) => Math.max(a, b));
  const total = range(0, n)
    .map((i) => (i === 0 ? xs.reduce((acc, x) => acc + x, 0) : 0))
    .sum();
  return { balance: n === 0 ? 0 : balance, largest, average: n === 0 ? 0 : total / n };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
}
