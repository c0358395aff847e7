import { parIter } from "weft/par";

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

type Acc = [sum: number, n: number];
const add = (a: Acc, b: Acc): Acc => [a[0] + b[0], a[1] + b[1]];
export function summarize(xs: number[]): Summary {
  const [sum, n] = parIter(xs).map((x): Acc => [x, 1]).reduce((): Acc => [0, 0], add);
  const largest = parIter(xs).reduce(() => -Infinity, (a, b) => Math.max(a, b));
  return { balance: parIter(xs).map((x) => -x).sum(), largest, average: n > 0 ? sum / n : 0 };
}
function main() {
  console.log(summarize([12, -3, 40, 7, -15, 22, 9, 1]));
  console.log(summarize([-8, -2, -30]));
}
