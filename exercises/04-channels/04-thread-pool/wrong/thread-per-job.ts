// fails: spawns-the-workers-once
// Spawns a new thread for every job instead of keeping a fixed set of workers: as many threads as jobs, all at once.
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
  #threads: JoinHandle<number[]>[] = [];

  /** Starts `size` worker threads, waiting for jobs. */
  constructor(size: number) {}

  /** Hands `job` to the pool: one of the workers will run it. Returns at once. */
  execute(job: Job): void {
    this.#threads.push(
      spawn(() => {
        runJob(job);
        return [job.id];
      }),
    );
  }

  /** Waits for every job. */
  shutdown(): number[][] {
    return this.#threads.map((thread) => thread.join());
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
