import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  // Subtraction is fine inside one piece, where the items are taken in order: each piece folds 0 - a - b - …
  // Across pieces the partial balances are added, which is associative (0 - a - b - c - d is (0 - a - b) + (0 - c - d)).
  const balance = parIter(xs).fold(() => 0, (acc, x) => acc - x).sum();
  // max has no "nothing yet" number of its own in Math.max's eyes, so carry one: null until a piece has seen an amount.
  const largest = parIter(xs)
    .map((x): number | null => x)
    .reduce(() => null as number | null, (a, b) => (a === null ? b : b === null ? a : Math.max(a, b)));
  const [sum, count] = parIter(xs)
    .map((x): [number, number] => [x, 1])
    .reduce((): [number, number] => [0, 0], (a, b) => [a[0] + b[0], a[1] + b[1]]);
  return { balance, largest: largest ?? -Infinity, average: count === 0 ? 0 : sum / count };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
