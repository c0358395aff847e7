// fails: sorts-every-job
// Catches the panic around the whole loop: the first failed job ends the loop, and the jobs after it are never collected.
import { spawn, ThreadPanic } from "weft/thread";

/** One job's work. It panics (throws) on a negative input. Keep it as it is. */
export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

/**
 * Runs each job on a thread of its own. Returns the results of the jobs
 * that succeeded, as [job, result] pairs, and the jobs whose thread
 * panicked, both in the order of `jobs`.
 */
export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const handles = jobs.map((job) => spawn(() => work(job)));
  const ok: [number, number][] = [];
  const failed: number[] = [];
  try {
    handles.forEach((handle, i) => ok.push([jobs[i]!, handle.join()]));
  } catch {
    failed.push(jobs[ok.length + failed.length]!);
  }
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
