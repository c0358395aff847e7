// fails: sums-come-through-join
// Spawns one thread per chunk, but the threads do nothing: the caller adds the chunks up itself, so the right sums come back without any thread's help.
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles = [];
  for (const chunk of chunks) handles.push(spawn(() => {}));
  for (const handle of handles) handle.join();
  return chunks.map((chunk) => chunk.reduce((a, b) => a + b, 0));
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
