// Reads with getCloned(), waits twice a round, and lets the worker of cell 0 record the sum (exactly one worker, though not the barrier's leader).
import { spawn } from "weft/thread";
import { Arc, Barrier, Mutex } from "weft/sync";

/** A cell's next value, from its own value and its two neighbours' values in the round before. */
export function step(left: number, me: number, right: number, round: number): number {
  return (3 * left + 5 * me + 7 * right + round) % 1009;
}

export function simulate(initial: number[], rounds: number): { cells: number[]; sums: number[] } {
  const n = initial.length;
  const grid = new Arc(new Mutex(initial.slice()));
  const sums = new Arc(new Mutex<number[]>([]));
  const barrier = new Arc(new Barrier(n));
  const workers = [];
  for (let i = 0; i < n; i++) {
    const [cells, log, sync] = [grid.clone(), sums.clone(), barrier.clone()];
    workers.push(spawn(() => {
      for (let round = 0; round < rounds; round++) {
        const v = cells.getCloned();
        const next = step(v[(i + n - 1) % n]!, v[i]!, v[(i + 1) % n]!, round);
        sync.wait();
        { using g = cells.lock(); g.value[i] = next; }
        sync.wait();
        if (i === 0) {
          const total = cells.getCloned().reduce((a, b) => a + b, 0);
          using l = log.lock();
          l.value.push(total);
        }
      }
    }));
  }
  for (const worker of workers) worker.join();
  return { cells: grid.getCloned(), sums: sums.getCloned() };
}

function main() {
  const { cells, sums } = simulate([1, 2, 3, 4, 5], 3);
  console.log(`Cells: ${cells.join(", ")}`);
  console.log(`Sums after each round: ${sums.join(", ")}`);
}
