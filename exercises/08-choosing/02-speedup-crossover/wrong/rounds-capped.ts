// fails: heavy-work-goes-parallel
// Measures n × min(rounds, 10) instead of n × rounds: many cheap items go to the pool, but a few items of thousands of rounds each stay in the loop, though they are as much work.
import { ThreadPoolBuilder, range } from "weft/par";
import { availableParallelism } from "weft/thread";

/** One item's work: `rounds` rounds of an integer hash. Keep it as it is. */
function work(i: number, rounds: number): number {
  let h = i + 1;
  for (let r = 0; r < rounds; r++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return h % 1000;
}

export const CROSSOVER = 100_000;
export function total(n: number, rounds: number): number {
  if (n * Math.min(rounds, 10) < CROSSOVER) { let s = 0; for (let i = 0; i < n; i++) s += work(i, rounds); return s; }
  return range(0, n).map((i) => work(i, rounds)).sum();
}
/** The checks' bench: total of each [n, rounds], in order. Keep it as it is. */
export function totals(cases: [n: number, rounds: number][]): number[] {
  return cases.map(([n, rounds]) => total(n, rounds));
}

function median(xs: number[]): number {
  return [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
}

/** The lab: the loop against the pool (with weft's own cut-off switched off), as the work grows. */
function main() {
  const pool = new ThreadPoolBuilder().sequentialCutoff(0).build();
  console.log(`cores: ${availableParallelism()}`);
  console.log("items      rounds  work (items × rounds)  loop       pool       speedup");
  for (const [n, rounds] of [[1_000, 10], [10_000, 10], [100_000, 10], [1_000_000, 2], [2_000, 1_000]]) {
    const loop = [];
    const par = [];
    for (let trial = 0; trial < 3; trial++) {
      let start = performance.now();
      let sum = 0;
      for (let i = 0; i < n; i++) sum += work(i, rounds);
      loop.push(performance.now() - start);
      start = performance.now();
      pool.install(() => range(0, n).map((i) => work(i, rounds)).sum());
      par.push(performance.now() - start);
    }
    const [l, p] = [median(loop), median(par)];
    console.log(
      `${String(n).padEnd(10)} ${String(rounds).padEnd(7)} ${String(n * rounds).padEnd(22)} ${l.toFixed(2).padStart(7)} ms ${p.toFixed(2).padStart(7)} ms  ${(l / p).toFixed(2)}x`,
    );
  }
}
