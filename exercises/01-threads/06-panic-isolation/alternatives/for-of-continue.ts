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
  for (const [i, handle] of handles.entries()) {
    let result: number;
    try {
      result = handle.join();
    } catch (error) {
      if (error instanceof ThreadPanic) {
        failed.push(jobs[i]!);
        continue;
      }
      throw error;
    }
    ok.push([jobs[i]!, result]);
  }
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
