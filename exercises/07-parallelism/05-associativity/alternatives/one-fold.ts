import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  // One pass: each piece folds its items into [sum, max, count]; pieces combine component by component,
  // which is associative, and [0, -Infinity, 0] is a true identity for that combination.
  const [sum, largest, count] = parIter(xs)
    .fold((): [number, number, number] => [0, -Infinity, 0], (acc, x): [number, number, number] => [acc[0] + x, Math.max(acc[1], x), acc[2] + 1])
    .reduce(
      (): [number, number, number] => [0, -Infinity, 0],
      (a, b): [number, number, number] => [a[0] + b[0], Math.max(a[1], b[1]), a[2] + b[2]],
    );
  return { balance: -sum, largest, average: count === 0 ? 0 : sum / count };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
