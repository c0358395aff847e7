// fails: threads-do-the-adding
// Adds each chunk up on the calling thread, then spawns threads that spin for 2 ms each before handing the ready sum back: every thread looks busy, but the one with the big chunk works no longer than the others.
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  const handles = [];
  for (const chunk of chunks) {
    const ready = chunk.reduce((a, b) => a + b, 0);
    handles.push(spawn(() => {
      const until = performance.now() + 2;
      let x = 0;
      while (performance.now() < until) x++;
      return ready + (x < 0 ? 1 : 0);
    }));
  }
  return handles.map((h) => h.join());
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
