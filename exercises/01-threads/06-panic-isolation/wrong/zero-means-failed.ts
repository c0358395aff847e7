// fails: sorts-every-job
// Puts a job in failed when join() returned nothing, which also loses a job whose result is 0.
import { spawn } from "weft/thread";

/** One job's work. It panics (throws) on a negative input. Keep it as it is. */
export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const hs = jobs.map((job) => spawn(() => { try { return work(job); } catch { return 0; } }));
  const ok: [number, number][] = [];
  const failed: number[] = [];
  hs.forEach((h, i) => { const r = h.join(); if (r) ok.push([jobs[i], r]); else failed.push(jobs[i]); });
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
