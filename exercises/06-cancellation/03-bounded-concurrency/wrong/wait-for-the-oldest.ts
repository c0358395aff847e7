// fails: keeps-limit-busy
// Keeps at most limit tasks, but when they are all taken waits for the oldest one, not for whichever finishes first: a quick job that finished behind a slow one leaves its slot idle.
import { JoinHandle, JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // Keeps at most `limit` tasks: when they are all taken, waits for the oldest one before starting the next job.
  const running: { i: number; task: JoinHandle<number> }[] = [];
  const results: number[] = new Array(latencies.length);
  for (let i = 0; i < latencies.length; i++) {
    if (running.length === limit) {
      const oldest = running.shift()!;
      results[oldest.i] = await oldest.task;
    }
    running.push({ i, task: spawn(runJob(i, latencies[i]!)) });
  }
  for (const { i, task } of running) results[i] = await task;
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
