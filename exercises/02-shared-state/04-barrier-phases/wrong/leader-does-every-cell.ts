// fails: waits-for-the-others
// The workers only meet at the barrier; the leader computes every cell of the round by itself.
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
        if (sync.wait().isLeader()) {
          using g = cells.lock();
          const old = g.value.slice();
          for (let j = 0; j < n; j++) g.value[j] = step(old[(j + n - 1) % n], old[j], old[(j + 1) % n], round);
          using l = log.lock();
          l.value.push(g.value.reduce((a, b) => a + b, 0));
        }
        sync.wait();
      }
    }));
  }
  for (const w of workers) w.join();
  using cells = grid.lock();
  using log = sums.lock();
  return { cells: cells.value.slice(), sums: log.value.slice() };
}

function main() {
  const { cells, sums } = simulate([1, 2, 3, 4, 5], 3);
  console.log(`Cells: ${cells.join(", ")}`);
  console.log(`Sums after each round: ${sums.join(", ")}`);
}
