// fails: jobs-run-on-their-threads
// Every thread calls work on the absolute value of its job, so none panics, and the caller puts the negative jobs in failed by their sign: right lists, but no failure ever happened in a thread.
import { spawn, ThreadPanic } from "weft/thread";

export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const handles = jobs.map((job) => spawn(() => work(Math.abs(job))));
  const ok: [number, number][] = [];
  const failed: number[] = [];
  handles.forEach((handle, i) => {
    const r = handle.join();
    if (jobs[i]! < 0) failed.push(jobs[i]!); else ok.push([jobs[i]!, r]);
  });
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
