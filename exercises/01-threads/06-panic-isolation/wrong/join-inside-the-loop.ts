// fails: a-thread-per-job
// Joins each thread right after spawning it: every job on its own thread, but one at a time.
import { spawn, ThreadPanic } from "weft/thread";

/** One job's work. It panics (throws) on a negative input. Keep it as it is. */
export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const ok: [number, number][] = [];
  const failed: number[] = [];
  for (const job of jobs) {
    try { ok.push([job, spawn(() => work(job)).join()]); } catch (e) { if (!(e instanceof ThreadPanic)) throw e; failed.push(job); }
  }
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
