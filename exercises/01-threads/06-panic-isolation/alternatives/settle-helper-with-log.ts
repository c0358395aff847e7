// A settle() helper joins one handle and turns a ThreadPanic into an outcome record (logging the panic's message); ok and failed are filtered from the records.
import { spawn, ThreadPanic, type JoinHandle } from "weft/thread";

export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

type Outcome = { job: number; value?: number; panic?: string };

function settle(job: number, handle: JoinHandle<number>): Outcome {
  try {
    return { job, value: handle.join() };
  } catch (e) {
    if (e instanceof ThreadPanic) {
      console.log(`job ${job} panicked: ${e.message}`);
      return { job, panic: e.message };
    }
    throw e;
  }
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const handles = jobs.map((job) => [job, spawn(() => work(job))] as const);
  const outcomes = handles.map(([job, h]) => settle(job, h));
  return {
    ok: outcomes.filter((o) => o.panic === undefined).map((o) => [o.job, o.value!] as [number, number]),
    failed: outcomes.filter((o) => o.panic !== undefined).map((o) => o.job),
  };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
