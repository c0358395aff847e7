// Scoped threads borrow each chunk instead of copying it in; every handle is joined inside the scope, in chunk order.
import { scope } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  return scope((s) => {
    const handles = chunks.map((chunk) => s.spawn(() => chunk.reduce((a, b) => a + b, 0)));
    return handles.map((handle) => handle.join());
  });
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
