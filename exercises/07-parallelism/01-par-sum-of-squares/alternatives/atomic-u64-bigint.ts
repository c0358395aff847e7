import { parIter } from "weft/par";
import { AtomicU64 } from "weft/sync";

/** The sum of the squares of `xs`: the pool adds each square, as a bigint, to a shared 64-bit atomic total. */
export function sumOfSquares(xs: number[]): number {
  const total = new AtomicU64(0n);
  parIter(xs)
    .map((x) => BigInt(x * x))
    .forEach((square) => {
      total.fetchAdd(square);
    });
  return Number(total.load());
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
}
