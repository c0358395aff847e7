// Each worker takes the lock by hand, recv()s in a try (RecvError ends the worker, after unlocking), unlocks before working and sending; the caller joins the producer and the workers after collecting.
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
  const producer = spawn(() => {
    jobs.forEach((job) => jobTx.send(job));
  });
  const queue = new Arc(new Mutex(jobRx));
  const handles = [];
  for (let id = 0; id < workers; id++) {
    const q = queue.clone();
    const results = resultTx.clone();
    handles.push(spawn(() => {
      let done = 0;
      while (true) {
        const guard = q.lock();
        let job: number;
        try {
          job = guard.value.recv();
        } catch (e) {
          guard.unlock();
          if (e instanceof RecvError) break;
          throw e;
        }
        guard.unlock();
        results.send([job, collatzSteps(job)]);
        done++;
      }
      return done;
    }));
  }
  drop(resultTx);
  const out: [number, number][] = [];
  for (const r of resultRx) out.push(r);
  producer.join();
  handles.forEach((h) => h.join());
  return out;
}

function main() {
  const results = runPipeline([27, 97, 871, 6171, 77031, 837799, 7, 9, 12, 19], 3);
  results.sort((a, b) => a[0] - b[0]);
  console.log(results.map(([job, steps]) => `${job}: ${steps}`).join(", "));
  console.log(`${results.length} results`);
}
