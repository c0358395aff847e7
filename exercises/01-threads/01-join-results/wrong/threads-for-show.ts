// fails: threads-do-the-adding
// Adds every chunk up on the calling thread first, then spawns one thread per chunk that only hands the ready sum back through join(): the sums and the joins look right, but the threads add nothing.
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const sums = chunks.map((chunk) => {
    let sum = 0;
    for (const n of chunk) sum += n;
    return sum;
  });
  const handles = sums.map((sum) => spawn(() => sum));
  return handles.map((handle) => handle.join());
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
