// fails: sorts-every-job
// Collects the results through a channel as the threads finish: the failed jobs come out in the order they happened to fail, not in the order of the jobs.
import { spawn, ThreadPanic } from "weft/thread";
import { mpsc, drop } from "weft/sync";

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
  const [tx, rx] = mpsc.channel<[number, number | null]>();
  for (const job of jobs) {
    const mine = tx.clone();
    spawn(() => {
      let result: number | null = null;
      try {
        result = work(job);
      } finally {
        mine.send([job, result]);
      }
    });
  }
  drop(tx);
  const ok: [number, number][] = [];
  const failed: number[] = [];
  for (const [job, result] of rx) {
    if (result === null) failed.push(job);
    else ok.push([job, result]);
  }
  ok.sort((a, b) => jobs.indexOf(a[0]) - jobs.indexOf(b[0]));
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
