// Joins from the last handle to the first, keeping the result or the ThreadPanic at the job's index, then sorts them into ok and failed.
import { spawn, ThreadPanic } from "weft/thread";

export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const handles = [];
  for (const job of jobs) handles.push(spawn(() => work(job)));
  const results: (number | ThreadPanic)[] = [];
  for (let i = handles.length - 1; i >= 0; i--) {
    try {
      results[i] = handles[i]!.join();
    } catch (e) {
      if (!(e instanceof ThreadPanic)) throw e;
      results[i] = e;
    }
  }
  const ok: [number, number][] = [];
  const failed: number[] = [];
  results.forEach((r, i) => (r instanceof ThreadPanic ? failed.push(jobs[i]!) : ok.push([jobs[i]!, r])));
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
