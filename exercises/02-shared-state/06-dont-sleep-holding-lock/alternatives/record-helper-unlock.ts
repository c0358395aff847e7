// A record() helper replaces the stats with a new object under one guard and unlocks it by hand; runJob then works.
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

function record(stats: Arc<Mutex<Stats>>, ms: number): void {
  const s = stats.lock();
  s.value = { jobs: s.value.jobs + 1, totalMs: s.value.totalMs + ms };
  s.unlock();
}

export function runJob(stats: Arc<Mutex<Stats>>, ms: number): void {
  record(stats, ms);
  work(ms);
}

// ---- You don't need to change anything below this line. ----

/** Starts one worker thread per list of job lengths; each runs its jobs in order. Returns the stats once all are done. */
export function runWorkers(jobs: number[][]): Stats {
  const stats = new Arc(new Mutex<Stats>({ jobs: 0, totalMs: 0 }));
  const handles = [];
  for (const mine of jobs) {
    const shared = stats.clone();
    handles.push(
      spawn(() => {
        for (const ms of mine) runJob(shared, ms);
      }),
    );
  }
  for (const handle of handles) handle.join();
  using s = stats.lock();
  return { jobs: s.value.jobs, totalMs: s.value.totalMs };
}

function main() {
  const start = Date.now();
  const stats = runWorkers([[100, 100], [100, 100], [100, 100], [100, 100]]);
  console.log(`${stats.jobs} jobs, ${stats.totalMs} ms of work, done in about ${Math.round((Date.now() - start) / 100) * 100} ms`);
}
