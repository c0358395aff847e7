// fails: workers-do-the-work
// Works out every job's result on the calling thread before the pipeline starts, and has the workers only look the results up: the queue, the lock and the channels are all there, but the workers do none of the work.
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

  // Every result worked out here, before any thread starts; the workers only look them up.
  const ready: Record<number, number> = {};
  for (const job of jobs) ready[job] = collatzSteps(job);

  // Fan out: the producer sends the jobs.
  spawn(() => {
    for (const job of jobs) jobTx.send(job);
  });

  // The workers share the one Receiver behind Arc<Mutex<…>>: one of them at a time waits for a job.
  const queue = new Arc(new Mutex(jobRx));
  for (let id = 0; id < workers; id++) {
    const jobs = queue.clone();
    const results = resultTx.clone();
    spawn(() => {
      for (;;) {
        let job: number;
        try {
          using rx = jobs.lock(); // held only while waiting for a job
          job = rx.value.recv();
        } catch (error) {
          if (error instanceof RecvError) break; // the producer is done and the queue is empty
          throw error;
        }
        results.send([job, ready[job]!]);
      }
    });
  }
  drop(resultTx); // main's own result Sender: the workers hold clones

  // Fan in: every result arrives on one channel.
  return [...resultRx];
}

function main() {
  const results = runPipeline([27, 97, 871, 6171, 77031, 837799, 7, 9, 12, 19], 3);
  results.sort((a, b) => a[0] - b[0]);
  console.log(results.map(([job, steps]) => `${job}: ${steps}`).join(", "));
  console.log(`${results.length} results`);
}
