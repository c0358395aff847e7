// fails: keeps-limit-busy
// Runs the jobs in batches of `limit` and waits for each whole batch: slots stay idle while the batch's slowest job finishes.
import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // `limit` jobs at a time, in batches: the next batch waits for the slowest job of this one.
  const results: number[] = [];
  for (let start = 0; start < latencies.length; start += limit) {
    const batch = latencies.slice(start, start + limit).map((ms, k) => runJob(start + k, ms));
    results.push(...(await join(...batch)));
  }
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
