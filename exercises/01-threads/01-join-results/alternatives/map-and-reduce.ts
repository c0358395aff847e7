import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  // Spawn them all (map runs to the end before the second map starts), then join them all, in chunk order.
  const handles = chunks.map((chunk) => spawn(() => chunk.reduce((total, n) => total + n, 0)));
  return handles.map((handle) => handle.join());
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
