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
  // Each thread catches its own failure and reports it as a value: nothing panics past the thread.
  const handles = jobs.map((job) =>
    spawn(() => {
      try {
        return { ok: true, value: work(job) };
      } catch {
        return { ok: false, value: 0 };
      }
    }),
  );
  const ok: [number, number][] = [];
  const failed: number[] = [];
  handles.forEach((handle, i) => {
    const outcome = handle.join();
    if (outcome.ok) ok.push([jobs[i]!, outcome.value]);
    else failed.push(jobs[i]!);
  });
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
