// Each thread hands back its chunk's index with its sum ({ index, sum }); the caller puts each sum at its index.
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles = chunks.map((chunk, i) => spawn(() => {
    let sum = 0;
    for (const n of chunk) sum += n;
    return { index: i, sum };
  }));
  const out: number[] = [];
  for (const h of handles) {
    const { index, sum } = h.join();
    out[index] = sum;
  }
  return out;
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
