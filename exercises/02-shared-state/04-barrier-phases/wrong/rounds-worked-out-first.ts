// fails: waits-for-the-others
// Works every round out on the calling thread with step, then has each worker copy its cell's answers in, round after round, with no waits at all: the cells and sums come out right whatever the schedule, because nothing is computed at the same time.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

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
  // Every round worked out here, one after another: the workers only copy the answers in, so they need no waits.
  const table: number[][] = [];
  let now = initial.slice();
  for (let round = 0; round < rounds; round++) {
    now = now.map((me, i) => step(now[(i + n - 1) % n]!, me, now[(i + 1) % n]!, round));
    table.push(now);
  }
  const grid = new Arc(new Mutex(initial.slice()));
  const sums = new Arc(new Mutex<number[]>([]));
  const workers = [];
  for (let i = 0; i < n; i++) {
    const [cells, log] = [grid.clone(), sums.clone()];
    workers.push(
      spawn(() => {
        for (let round = 0; round < rounds; round++) {
          using g = cells.lock();
          g.value[i] = table[round]![i]!;
          if (i === 0) {
            using l = log.lock();
            l.value.push(table[round]!.reduce((a, b) => a + b, 0));
          }
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
