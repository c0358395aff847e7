// fails: jobs-run-concurrently
// Keeps the queue's guard for the whole loop body (Rust's `while let Ok(job) = rx.lock().unwrap().recv()`): a worker holds the lock while it runs its job, so only one job runs at a time.
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
  /** The sending end of the job queue; undefined once the pool is shut down. */
  #jobs: mpsc.Sender<Job> | undefined;
  #workers: JoinHandle<number[]>[] = [];

  /** Starts `size` worker threads, waiting for jobs. */
  constructor(size: number) {
    const [tx, rx] = mpsc.channel<Job>();
    this.#jobs = tx;
    // One Receiver for all the workers: behind a Mutex, so one of them at a time waits for the next job.
    const queue = new Arc(new Mutex(rx));
    for (let w = 0; w < size; w++) {
      const mine = queue.clone();
      this.#workers.push(
        spawn(() => {
          const ran: number[] = [];
          for (;;) {
            using rx = mine.lock();
            let job: Job;
            try {
              job = rx.value.recv();
            } catch (error) {
              if (error instanceof RecvError) break;
              throw error;
            }
            runJob(job);
            ran.push(job.id);
          }
          return ran;
        }),
      );
    }
  }

  /** Hands `job` to the pool: one of the workers will run it. Returns at once. */
  execute(job: Job): void {
    if (this.#jobs === undefined) throw new Error("execute after shutdown");
    this.#jobs.send(job);
  }

  /**
   * Lets the workers finish every job already handed to the pool, then
   * waits for all of them to end. Returns the ids of the jobs each worker
   * ran, one list per worker.
   */
  shutdown(): number[][] {
    // Close the queue first: each worker finishes the jobs left in it, then its recv() throws RecvError and it ends.
    if (this.#jobs !== undefined) drop(this.#jobs);
    this.#jobs = undefined;
    return this.#workers.map((worker) => worker.join());
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
