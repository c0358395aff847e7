import { spawn, sleep, type JoinHandle } from "weft/thread";
import { Arc, Mutex, mpsc, drop, RecvError } from "weft/sync";

/** A job for the pool: its id, and how long it takes to run. */
export interface Job {
  id: number;
  ms: number;
}

/** Runs one job. Keep it as it is. */
export function runJob(job: Job): void {
  sleep(job.ms);
}

/** A fixed number of worker threads that run the jobs given to `execute`. */
export class ThreadPool {
  /** Starts `size` worker threads, waiting for jobs. */
  constructor(size: number) {
    // TODO
  }

  /** Hands `job` to the pool: one of the workers will run it. Returns at once. */
  execute(job: Job): void {
    // TODO
  }

  /**
   * Lets the workers finish every job already handed to the pool, then
   * waits for all of them to end. Returns the ids of the jobs each worker
   * ran, one list per worker.
   */
  shutdown(): number[][] {
    // TODO
    return [];
  }
}

/** What the checks call: a pool of `size` workers gets `jobs` in bursts of three, then shuts down. */
export function usePool(size: number, jobs: Job[]): number[][] {
  const pool = new ThreadPool(size);
  jobs.forEach((job, i) => {
    pool.execute(job);
    // Jobs come in bursts, as requests do, with quiet spells in between: the workers find the queue empty for a while.
    if (i % 3 === 2) sleep(20);
  });
  return pool.shutdown();
}

function main() {
  const jobs = Array.from({ length: 8 }, (_, id) => ({ id, ms: 50 }));
  const ran = usePool(4, jobs);
  ran.forEach((ids, w) => console.log(`Worker ${w} ran jobs ${ids.join(", ")}`));
}
