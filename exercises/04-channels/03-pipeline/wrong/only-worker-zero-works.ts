// fails: several-workers
// Spawns every worker with a clone of the queue, but all except worker 0 return at once: every result comes back, by one worker, one job after another.
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

export function runPipeline(jobs: number[], workers: number): [number, number][] {
  const [jobTx, jobRx] = mpsc.syncChannel<number>(4);
  const [resultTx, resultRx] = mpsc.channel<[number, number]>();
  spawn(() => { for (const job of jobs) jobTx.send(job); });
  const queue = new Arc(new Mutex(jobRx));
  for (let id = 0; id < workers; id++) {
    const q = queue.clone();
    const results = resultTx.clone();
    spawn(() => {
      if (id !== 0) return;
      for (;;) {
        let job: number;
        try { using g = q.lock(); job = g.value.recv(); } catch { break; }
        results.send([job, collatzSteps(job)]);
      }
    });
  }
  drop(resultTx);
  return [...resultRx];
}

function main() {
  const results = runPipeline([27, 97, 871, 6171, 77031, 837799, 7, 9, 12, 19], 3);
  results.sort((a, b) => a[0] - b[0]);
  console.log(results.map(([job, steps]) => `${job}: ${steps}`).join(", "));
  console.log(`${results.length} results`);
}
