// Scoped threads: the scope would rethrow a panic nobody joined, so every handle is joined (and its panic caught) inside the scope.
import { scope, ThreadPanic } from "weft/thread";

/** One job's work. It panics (throws) on a negative input. Keep it as it is. */
export function work(n: number): number {
  if (n < 0) throw new Error(`bad input ${n}`);
  return n * n;
}

export function runAll(jobs: number[]): { ok: [number, number][]; failed: number[] } {
  const outcomes = scope((s) => {
    const hs = jobs.map((job) => s.spawn(() => work(job)));
    return hs.map((h) => {
      try {
        return { panicked: false, value: h.join() };
      } catch (e) {
        if (e instanceof ThreadPanic) return { panicked: true, value: 0 };
        throw e;
      }
    });
  });
  const ok: [number, number][] = [];
  const failed: number[] = [];
  outcomes.forEach((o, i) => (o.panicked ? failed.push(jobs[i]) : ok.push([jobs[i], o.value])));
  return { ok, failed };
}

function main() {
  const { ok, failed } = runAll([3, -1, 4, -5, 9]);
  console.log(`ok: ${ok.map(([job, result]) => `${job}→${result}`).join(", ")}; failed: ${failed.join(", ")}`);
}
