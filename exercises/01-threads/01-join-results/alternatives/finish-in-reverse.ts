// Each thread sleeps a little longer the earlier its chunk, so they finish in reverse order; join still returns them in chunk order.
import { sleep, spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles = chunks.map((chunk, i) =>
    spawn(() => {
      sleep((chunks.length - i) * 2);
      let total = 0;
      for (const n of chunk) total += n;
      return total;
    }),
  );
  const sums: number[] = [];
  for (const h of handles) sums.push(h.join());
  return sums;
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
