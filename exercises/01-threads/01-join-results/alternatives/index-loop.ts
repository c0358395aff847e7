// Names each thread after its chunk and fills the result array by index after spawning them all.
import { builder } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles = [];
  for (let i = 0; i < chunks.length; i++) {
    const chunk = chunks[i];
    handles.push(builder().name(`chunk-${i}`).spawn(() => {
      let sum = 0;
      for (let j = 0; j < chunk.length; j++) sum += chunk[j];
      return sum;
    }));
  }
  const sums = new Array<number>(chunks.length);
  for (let i = handles.length - 1; i >= 0; i--) sums[i] = handles[i].join();
  return sums;
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
