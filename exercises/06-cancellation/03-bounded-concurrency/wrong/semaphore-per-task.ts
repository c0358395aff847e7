// fails: at-most-limit-at-once
// Makes a new Semaphore(limit) inside every job's task: each job has permits of its own to take from, so nothing is shared and every job runs at once.
import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // Every job gets a task at once, but a task runs its job only while it holds one of `limit` permits.
  // The Semaphore is fair (first come, first served), so the jobs start in order.
  const tasks = latencies.map((ms, i) =>
    spawn(async () => {
      const permits = new Semaphore(limit); // at most `limit` permits
      using permit = await permits.acquire(); // given back when this block ends
      return await runJob(i, ms);
    }),
  );
  const results: number[] = [];
  for (const task of tasks) results.push(await task); // in job order
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
