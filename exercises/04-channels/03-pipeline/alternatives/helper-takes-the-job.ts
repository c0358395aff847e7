// A helper takes the next job under the lock and returns it, so the worker loop never sees the guard; the last worker takes main's own results Sender.
import { spawn } from "weft/thread";
import { Arc, Mutex, mpsc, RecvError } from "weft/sync";

/** How many steps of the Collatz rule take `n` down to 1: the work one job stands for. */
export function collatzSteps(n: number): number {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

/** The next job from the shared queue, or undefined once it is closed and empty; the lock is held only inside. */
function nextJob(queue: Arc<Mutex<mpsc.Receiver<number>>>): number | undefined {
  using rx = queue.lock();
  try {
    return rx.value.recv();
  } catch (error) {
    if (error instanceof RecvError) return undefined;
    throw error;
  }
}

/**
 * Runs every job through `workers` worker threads and returns one
 * `[job, collatzSteps(job)]` pair per job, in the order they came back.
 */
export function runPipeline(jobs: number[], workers: number): [number, number][] {
  const [jobTx, jobRx] = mpsc.syncChannel<number>(4);
  const [resultTx, resultRx] = mpsc.channel<[number, number]>();
  spawn(() => jobs.forEach((job) => jobTx.send(job)));

  const queue = new Arc(new Mutex(jobRx));
  for (let id = 0; id < workers; id++) {
    const mine = queue.clone();
    // The last worker takes main's own Sender; the others get clones.
    const results = id < workers - 1 ? resultTx.clone() : resultTx;
    spawn(() => {
      for (let job = nextJob(mine); job !== undefined; job = nextJob(mine)) {
        results.send([job, collatzSteps(job)]);
      }
    });
  }
  const collected = [];
  for (const result of resultRx) collected.push(result);
  return collected;
}

function main() {
  const results = runPipeline([27, 97, 871, 6171, 77031, 837799, 7, 9, 12, 19], 3);
  results.sort((a, b) => a[0] - b[0]);
  console.log(results.map(([job, steps]) => `${job}: ${steps}`).join(", "));
  console.log(`${results.length} results`);
}
