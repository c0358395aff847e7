// fails: at-most-four-queued
// Deals the jobs out to one unbounded inbox per worker: the dealer empties the bounded queue at once, and the jobs pile up in the inboxes instead.
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
  // The queue of jobs holds at most 4: the producer can't run far ahead of the workers.
  const [jobTx, jobRx] = mpsc.syncChannel<number>(4);
  const [resultTx, resultRx] = mpsc.channel<[number, number]>();

  // Fan out: the producer sends the jobs.
  spawn(() => {
    for (const job of jobs) jobTx.send(job);
  });

  // One unbounded inbox per worker instead of sharing jobRx; the producer deals jobs out round robin.
  const inboxes: mpsc.Sender<number>[] = [];
  for (let id = 0; id < workers; id++) {
    const [inboxTx, inboxRx] = mpsc.channel<number>();
    inboxes.push(inboxTx);
    const results = resultTx.clone();
    spawn(() => {
      for (const job of inboxRx) results.send([job, collatzSteps(job)]);
    });
  }
  drop(resultTx);
  spawn(() => {
    let next = 0;
    for (const job of jobRx) {
      inboxes[next]!.send(job);
      next = (next + 1) % inboxes.length;
    }
  });

  // Fan in: every result arrives on one channel.
  return [...resultRx];
}

function main() {
  const results = runPipeline([27, 97, 871, 6171, 77031, 837799, 7, 9, 12, 19], 3);
  results.sort((a, b) => a[0] - b[0]);
  console.log(results.map(([job, steps]) => `${job}: ${steps}`).join(", "));
  console.log(`${results.length} results`);
}
