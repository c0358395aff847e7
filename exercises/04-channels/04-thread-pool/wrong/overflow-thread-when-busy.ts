// fails: spawns-the-workers-once
// When every worker is busy, execute starts an overflow thread for the job instead of queueing it: more threads than the pool's size.
import { spawn, sleep, type JoinHandle } from "weft/thread";
import { Arc, Mutex, mpsc, drop, RecvError, AtomicU32 } from "weft/sync";

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
  #extra: JoinHandle<number[]>[] = [];
  #busy = new Arc(new AtomicU32(0));
  #size = 0;

  /** Starts `size` worker threads, waiting for jobs. */
  constructor(size: number) {
    const [tx, rx] = mpsc.channel<Job>();
    this.#jobs = tx;
    this.#size = size;
    // One Receiver for all the workers: behind a Mutex, so one of them at a time waits for the next job.
    const queue = new Arc(new Mutex(rx));
    for (let w = 0; w < size; w++) {
      const mine = queue.clone();
      const busy = this.#busy.clone();
      this.#workers.push(
        spawn(() => {
          const ran: number[] = [];
          for (;;) {
            let job: Job;
            try {
              using rx = mine.lock(); // held only while waiting for a job, not while running it
              job = rx.value.recv();
            } catch (error) {
              if (error instanceof RecvError) break; // the queue is closed and empty: the pool is shutting down
              throw error;
            }
            busy.fetchAdd(1);
            runJob(job);
            busy.fetchSub(1);
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
    if (this.#busy.load() >= this.#size) {
      // every worker is busy: an overflow thread takes this one, so nobody waits
      this.#extra.push(spawn(() => { runJob(job); return [job.id]; }));
      return;
    }
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
    const lists = this.#workers.map((worker) => worker.join());
    for (const extra of this.#extra) lists[0]!.push(...extra.join());
    return lists;
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
