// fails: one-thread-per-chunk
// Skips the thread for an empty chunk and puts 0 in its place: the sums are right, but not one thread per chunk.
import { spawn, JoinHandle } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles: (JoinHandle<number> | undefined)[] = chunks.map((chunk) => (chunk.length === 0 ? undefined : spawn(() => chunk.reduce((a, b) => a + b, 0))));
  return handles.map((h) => (h === undefined ? 0 : h.join()));
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
