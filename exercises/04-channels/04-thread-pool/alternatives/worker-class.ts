// The Rust Book's shape: a Worker class owning its JoinHandle, each worker taking a job under the lock in a try block (RecvError ends it) and running it after the guard is gone; shutdown drops the Sender and joins.
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

class Worker {
  readonly id: number;
  readonly handle: JoinHandle<number[]>;
  constructor(id: number, queue: Arc<Mutex<mpsc.Receiver<Job>>>) {
    this.id = id;
    this.handle = spawn(() => {
      const ran: number[] = [];
      for (;;) {
        let job: Job;
        try {
          using rx = queue.lock();
          job = rx.value.recv();
        } catch (e) {
          if (e instanceof RecvError) break;
          throw e;
        }
        runJob(job);
        ran.push(job.id);
      }
      return ran;
    });
  }
}

/** A fixed number of worker threads that run the jobs given to `execute`. */
export class ThreadPool {
  #workers: Worker[] = [];
  #sender: mpsc.Sender<Job> | undefined;

  constructor(size: number) {
    const [tx, rx] = mpsc.channel<Job>();
    const queue = new Arc(new Mutex(rx));
    for (let id = 0; id < size; id++) this.#workers.push(new Worker(id, queue.clone()));
    this.#sender = tx;
  }

  execute(job: Job): void {
    this.#sender!.send(job);
  }

  shutdown(): number[][] {
    drop(this.#sender!);
    this.#sender = undefined;
    return this.#workers.map((w) => w.handle.join());
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
