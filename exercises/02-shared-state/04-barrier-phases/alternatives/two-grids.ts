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
  // Two grids: round r reads grids[r % 2] and writes grids[(r + 1) % 2], so reads and writes never meet.
  const grid = new Arc(new Mutex(initial.slice()));
  const spare = new Arc(new Mutex(initial.slice()));
  const sums = new Arc(new Mutex<number[]>([]));
  const barrier = new Arc(new Barrier(n));

  const workers = [];
  for (let i = 0; i < n; i++) {
    const [cells, other, log, sync] = [grid.clone(), spare.clone(), sums.clone(), barrier.clone()];
    workers.push(
      spawn(() => {
        for (let round = 0; round < rounds; round++) {
          const [from, to] = round % 2 === 0 ? [cells, other] : [other, cells];
          let next: number;
          {
            using g = from.lock();
            next = step(g.value[(i + n - 1) % n]!, g.value[i]!, g.value[(i + 1) % n]!, round);
          }
          {
            using g = to.lock();
            g.value[i] = next;
          }
          // One wait per round: nobody reads `to` (next round's `from`) before everyone has written it,
          // and nobody writes `from` again (two rounds on) before everyone has read it.
          if (sync.wait().isLeader()) {
            using g = to.lock();
            using l = log.lock();
            l.value.push(g.value.reduce((a, b) => a + b, 0));
          }
        }
      }),
    );
  }
  for (const worker of workers) worker.join();
  using cells = (rounds % 2 === 0 ? grid : spare).lock();
  using log = sums.lock();
  return { cells: cells.value.slice(), sums: log.value.slice() };
}

function main() {
  const { cells, sums } = simulate([1, 2, 3, 4, 5], 3);
  console.log(`Cells: ${cells.join(", ")}`);
  console.log(`Sums after each round: ${sums.join(", ")}`);
}
