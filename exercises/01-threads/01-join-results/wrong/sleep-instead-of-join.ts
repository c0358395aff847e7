// fails: sums-come-through-join
// Has the threads write their sums into a shared array and sleeps instead of joining: it works when the threads happen to be done in time, and loses sums when they are not.
import { sleep, spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

export function sumChunks(chunks: number[][]): number[] {
  const sums = new Arc(new Mutex<number[]>(chunks.map(() => 0)));
  chunks.forEach((chunk, i) => {
    const mine = sums.clone();
    spawn(() => {
      let sum = 0;
      for (const n of chunk) sum += n;
      using s = mine.lock();
      s.value[i] = sum;
    });
  });
  sleep(50);
  using s = sums.lock();
  return [...s.value];
}

function main() {
  console.log(sumChunks([[1, 2, 3], [10, 20], [], [5]]));
}
