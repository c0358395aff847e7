// fails: one-sum-per-round
// Keeps the leader of the first wait (the one before the writes) to record the sum: it adds the cells up while the other workers may not have written this round's values yet, so a sum is right only in schedules where they happened to write first.
import { spawn } from "weft/thread";
import { Arc, Barrier, Mutex } from "weft/sync";

/** A cell's next value, from its own value and its two neighbours' values in the round before. */
export function step(left: number, me: number, right: number, round: number): number {
  return (3 * left + 5 * me + 7 * right + round) % 1009;
}

/**
 * Runs `rounds` rounds on a ring of cells, one worker thread per cell. In
 * each round every cell gets `step(left, me, right, round)`, computed from
 * the values all cells had at the end of the round before. After each
 * round, one worker records the sum of all the cells. Returns the cells
 * at the end and the sum after each round.
 */
export function simulate(initial: number[], rounds: number): { cells: number[]; sums: number[] } {
  const n = initial.length;
  const grid = new Arc(new Mutex(initial.slice()));
  const sums = new Arc(new Mutex<number[]>([]));
  const barrier = new Arc(new Barrier(n));

  const workers = [];
  for (let i = 0; i < n; i++) {
    const [cells, log, sync] = [grid.clone(), sums.clone(), barrier.clone()];
    workers.push(
      spawn(() => {
        for (let round = 0; round < rounds; round++) {
          let next: number;
          {
            using g = cells.lock();
            next = step(g.value[(i + n - 1) % n]!, g.value[i]!, g.value[(i + 1) % n]!, round);
          }
          const leader = sync.wait().isLeader();
          {
            using g = cells.lock();
            g.value[i] = next;
          }
          if (leader) {
            using g = cells.lock();
            using l = log.lock();
            l.value.push(g.value.reduce((a, b) => a + b, 0));
          }
          sync.wait();
        }
      }),
    );
  }
  for (const worker of workers) worker.join();
  using cells = grid.lock();
  using log = sums.lock();
  return { cells: cells.value.slice(), sums: log.value.slice() };
}

function main() {
  const { cells, sums } = simulate([1, 2, 3, 4, 5], 3);
  console.log(`Cells: ${cells.join(", ")}`);
  console.log(`Sums after each round: ${sums.join(", ")}`);
}
