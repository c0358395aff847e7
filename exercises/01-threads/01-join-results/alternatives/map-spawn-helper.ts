// A typed array of handles from chunks.map, a helper with an index loop for the adding, and handles.map(join).
import { spawn, type JoinHandle } from "weft/thread";

function total(xs: number[]): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s;
}

export function sumChunks(chunks: number[][]): number[] {
  const handles: JoinHandle<number>[] = chunks.map((chunk) => spawn(() => total(chunk)));
  return handles.map((h) => h.join());
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
