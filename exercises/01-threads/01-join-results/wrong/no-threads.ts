// fails: one-thread-per-chunk
// Adds the chunks up on the calling thread: right sums, but no threads at all.
export function sumChunks(chunks: number[][]): number[] {
  return chunks.map((chunk) => chunk.reduce((a, b) => a + b, 0));
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
