// Unlocks the queue by hand right after recv(), before the work, and drops main's results Sender with its drop() method.
import { spawn } from "weft/thread";
import { Arc, Mutex, mpsc, drop, RecvError } from "weft/sync";

/** How many steps of the Collatz rule take `n` down to 1: the work one job stands for. */
export function collatzSteps(n: number): number {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

/**
 * Runs every job through `workers` worker threads and returns one
 * `[job, collatzSteps(job)]` pair per job, in the order they came back.
 */
export function runPipeline(jobs: number[], workers: number): [number, number][] {
  const [jobTx, jobRx] = mpsc.syncChannel<number>(4);
  const [resultTx, resultRx] = mpsc.channel<[number, number]>();
  spawn(() => {
    for (const job of jobs) jobTx.send(job);
  });

  const queue = new Arc(new Mutex(jobRx));
  for (let id = 0; id < workers; id++) {
    const jobs = queue.clone();
    const results = resultTx.clone();
    spawn(() => {
      for (;;) {
        const rx = jobs.lock();
        let job: number;
        try {
          job = rx.value.recv();
        } catch (error) {
          rx.unlock();
          if (error instanceof RecvError) return;
          throw error;
        }
        rx.unlock();
        const steps = collatzSteps(job);
        results.send([job, steps]);
      }
    });
  }
  resultTx.drop();
  return Array.from(resultRx);
}

function main() {
  const results = runPipeline([27, 97, 871, 6171, 77031, 837799, 7, 9, 12, 19], 3);
  results.sort((a, b) => a[0] - b[0]);
  console.log(results.map(([job, steps]) => `${job}: ${steps}`).join(", "));
  console.log(`${results.length} results`);
}
