// A Mutex-and-Condvar queue of jobs instead of a channel: the workers sleep on the Condvar while it is empty, and shutdown marks it closed and wakes them all.
import { spawn, sleep, type JoinHandle } from "weft/thread";
import { Arc, Condvar, Mutex } from "weft/sync";

/** A job for the pool: its id, and how long it takes to run. */
export interface Job {
  id: number;
  ms: number;
}

/** Runs one job. Keep it as it is. */
export function runJob(job: Job): void {
  sleep(job.ms);
}

/** A fixed number of worker threads sharing a queue of jobs in a Mutex, with a Condvar to sleep on while it is empty. */
interface Queue {
  jobs: Mutex<{ pending: Job[]; closed: boolean }>;
  ready: Condvar;
}

export class ThreadPool {
  #queue: Arc<Queue>;
  #workers: JoinHandle<number[]>[] = [];

  constructor(size: number) {
    this.#queue = new Arc({ jobs: new Mutex({ pending: [] as Job[], closed: false }), ready: new Condvar() });
    for (let w = 0; w < size; w++) {
      const q = this.#queue.clone();
      this.#workers.push(
        spawn(() => {
          const ran: number[] = [];
          for (;;) {
            let job: Job | undefined;
            {
              using g = q.jobs.lock();
              while (g.value.pending.length === 0 && !g.value.closed) q.ready.wait(g);
              job = g.value.pending.shift();
            }
            if (job === undefined) break; // closed and empty
            runJob(job);
            ran.push(job.id);
          }
          return ran;
        }),
      );
    }
  }

  execute(job: Job): void {
    using g = this.#queue.jobs.lock();
    if (g.value.closed) throw new Error("execute after shutdown");
    g.value.pending.push(job);
    this.#queue.ready.notifyOne();
  }

  shutdown(): number[][] {
    {
      using g = this.#queue.jobs.lock();
      g.value.closed = true;
      this.#queue.ready.notifyAll();
    }
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
