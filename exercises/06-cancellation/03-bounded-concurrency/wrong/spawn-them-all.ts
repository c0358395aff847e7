// fails: at-most-limit-at-once
// Spawns a task for every job at once, with nothing to bound them: every job runs at the same time.
import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // A task per job, all at once: nothing holds them back.
  const tasks = latencies.map((ms, i) => spawn(runJob(i, ms)));
  const results: number[] = [];
  for (const task of tasks) results.push(await task);
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
