// fails: returns-every-sum
// Each thread pushes its sum into an array it captured, but a thread gets its own copy of plain data, so the caller's array stays empty.
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const sums: number[] = [];
  const handles = [];
  for (const chunk of chunks) {
    handles.push(
      spawn(() => {
        let sum = 0;
        for (const n of chunk) sum += n;
        sums.push(sum);
      }),
    );
  }
  for (const handle of handles) handle.join();
  return sums;
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
