// fails: matches-step-by-step
// Keeps the cells' guard through the round and waits at the barrier holding it: the other workers can't lock the cells to read, so they never reach the barrier, and the run deadlocks.
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
        using g = cells.lock();
        const next = step(g.value[(i + n - 1) % n]!, g.value[i]!, g.value[(i + 1) % n]!, round);
        sync.wait();
        g.value[i] = next;
        if (sync.wait().isLeader()) { using l = log.lock(); l.value.push(g.value.reduce((a, b) => a + b, 0)); }
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
