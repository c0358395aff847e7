// fails: returns-every-sum
// Collects the sums through a channel in the order the threads finish, not in chunk order.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

export function sumChunks(chunks: number[][]): number[] {
  const [tx, rx] = mpsc.channel<number>();
  const handles = chunks.map((chunk, i) => {
    const mine = tx.clone();
    return spawn(() => {
      let s = 0;
      for (const n of chunk) s += n;
      mine.send(s);
      return s;
    });
  });
  tx.drop();
  const sums = [...rx];
  for (const h of handles) h.join();
  return sums;
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
