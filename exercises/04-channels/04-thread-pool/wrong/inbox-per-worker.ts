// fails: jobs-run-concurrently
// Gives each worker an inbox of its own and deals the jobs out in turn: jobs run at once, but a job handed to a busy worker waits while another worker may have nothing to do, because the workers share no queue.
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

/** A fixed number of worker threads, each with an inbox of its own; execute deals the jobs out in turn. */
export class ThreadPool {
  #inboxes: mpsc.Sender<Job>[] = [];
  #workers: JoinHandle<number[]>[] = [];
  #next = 0;

  constructor(size: number) {
    for (let w = 0; w < size; w++) {
      const [tx, rx] = mpsc.channel<Job>();
      this.#inboxes.push(tx);
      this.#workers.push(
        spawn(() => {
          const ran: number[] = [];
          for (const job of rx) {
            runJob(job);
            ran.push(job.id);
          }
          return ran;
        }),
      );
    }
  }

  execute(job: Job): void {
    this.#inboxes[this.#next]!.send(job);
    this.#next = (this.#next + 1) % this.#inboxes.length;
  }

  shutdown(): number[][] {
    for (const tx of this.#inboxes) drop(tx);
    this.#inboxes = [];
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
