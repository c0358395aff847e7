import { parIter } from "weft/par";
import { AtomicI32, Ordering } from "weft/sync";

/** The sum of the squares of `xs`, computed by the pool's threads: each adds its squares to a shared atomic total. */
export function sumOfSquares(xs: number[]): number {
  // A captured `let total` can't be assigned from a par closure; an atomic can be added to from any thread.
  const total = new AtomicI32(0);
  parIter(xs).forEach((x) => {
    total.fetchAdd(x * x, Ordering.Relaxed);
  });
  return total.load(Ordering.SeqCst);
}

function main() {
  console.log(sumOfSquares([1, 2, 3, 4])); // 30
  console.log(sumOfSquares(Array.from({ length: 100_000 }, (_, i) => i % 100)));
}
