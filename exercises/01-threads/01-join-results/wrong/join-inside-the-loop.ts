// fails: threads-overlap
// Joins each thread right after spawning it, so only one thread ever runs at a time.
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const sums = [];
  for (const chunk of chunks) {
    const handle = spawn(() => {
      let sum = 0;
      for (const n of chunk) sum += n;
      return sum;
    });
    sums.push(handle.join());
  }
  return sums;
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
