// Joins the handles in reverse order and unshifts, so the lists still come out in job order.
import { spawn } from "weft/thread";

/** One job's work. It panics (throws) on a negative input. Keep it as it is. */
export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const hs = jobs.map((job) => ({ job, h: spawn(() => work(job)) }));
  const ok: [number, number][] = [];
  const failed: number[] = [];
  for (let i = hs.length - 1; i >= 0; i--) {
    const { job, h } = hs[i];
    let r: number | undefined;
    try { r = h.join(); } catch { failed.unshift(job); continue; }
    ok.unshift([job, r]);
  }
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
