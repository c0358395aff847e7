// fails: jobs-run-on-their-threads
// Works out the results of the jobs that succeed on the calling thread (squaring them there, without work), and lets only the failing jobs call work on their threads: the panics are real, the results were handed over ready.
import { spawn, ThreadPanic } from "weft/thread";

export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const handles = jobs.map((job) => {
    const ready = job >= 0 ? job * job : undefined;
    return spawn(() => (ready !== undefined ? ready : work(job)));
  });
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
