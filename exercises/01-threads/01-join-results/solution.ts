import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles = [];
  for (const chunk of chunks) {
    handles.push(
      spawn(() => {
        let sum = 0;
        for (const n of chunk) sum += n;
        return sum;
      }),
    );
  }
  // Every thread is running by now; join them in chunk order, whichever ends first.
  return handles.map((handle) => handle.join());
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
