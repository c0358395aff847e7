// fails: jobs-run-on-their-threads
// Runs every job on the calling thread first, catching the failures there, then spawns a thread per job that only hands back the ready result, or panics for a job that already failed: the results, the panics and the joins look right, but no job runs on its thread.
import { spawn, ThreadPanic } from "weft/thread";

export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const outcomes = jobs.map((job) => {
    try {
      return { result: work(job) };
    } catch (error) {
      return { error: String(error) };
    }
  });
  const handles = outcomes.map((outcome) =>
    spawn(() => {
      if (outcome.error !== undefined) throw new Error(outcome.error);
      return outcome.result!;
    }),
  );
  const ok: [number, number][] = [];
  const failed: number[] = [];
  handles.forEach((handle, i) => {
    try {
      ok.push([jobs[i]!, handle.join()]);
    } catch (error) {
      if (!(error instanceof ThreadPanic)) throw error;
      failed.push(jobs[i]!);
    }
  });
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
