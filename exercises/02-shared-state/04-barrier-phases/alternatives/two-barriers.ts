// Two Barriers, one for "everyone has read" and one for "everyone has written"; the read and the write lock the grid by hand.
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
  const readDone = new Arc(new Barrier(n));
  const writeDone = new Arc(new Barrier(n));
  const workers = [];
  for (let i = 0; i < n; i++) {
    const cells = grid.clone(), log = sums.clone(), r = readDone.clone(), w = writeDone.clone();
    workers.push(spawn(() => {
      for (let round = 0; round < rounds; round++) {
        const g1 = cells.lock();
        const next = step(g1.value[(i + n - 1) % n], g1.value[i], g1.value[(i + 1) % n], round);
        g1.unlock();
        r.wait();
        const g2 = cells.lock();
        g2.value[i] = next;
        g2.unlock();
        const res = w.wait();
        if (!res.isLeader()) continue;
        const g3 = cells.lock();
        const total = g3.value.reduce((a, b) => a + b, 0);
        g3.unlock();
        const l = log.lock();
        l.value.push(total);
        l.unlock();
      }
    }));
  }
  workers.forEach((x) => x.join());
  return { cells: grid.lock().value.slice(), sums: sums.lock().value.slice() };
}

function main() {
  const { cells, sums } = simulate([1, 2, 3, 4, 5], 3);
  console.log(`Cells: ${cells.join(", ")}`);
  console.log(`Sums after each round: ${sums.join(", ")}`);
}
