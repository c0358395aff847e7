import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

/** The balance after paying out every amount, the largest amount and the mean amount, computed in parallel. */
export function summarize(xs: number[]): Summary {
  const balance = parIter(xs)
    .map((x) => -x) // paying out x adds -x to the balance: a sum again
    .reduce(() => 0, (a, b) => a + b);
  const largest = xs.length === 0 ? -Infinity : (parIter(xs).max() as number);
  const [sum, count] = parIter(xs)
    .map((x): [number, number] => [x, 1])
    .reduce(
      (): [number, number] => [0, 0],
      (a, b): [number, number] => [a[0] + b[0], a[1] + b[1]],
    );
  return { balance, largest, average: count === 0 ? 0 : sum / count };
}

function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
