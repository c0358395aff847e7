// fails: at-most-limit-at-once
// Never runs more than limit jobs, but starts the longest jobs first instead of in the order given.
import { JoinSet, Semaphore, join, mpsc, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // Starts the longest jobs first, at most `limit` at once.
  const permits = new Semaphore(limit);
  const order = latencies.map((_, i) => i).sort((x, y) => latencies[y]! - latencies[x]!);
  const results: number[] = new Array(latencies.length);
  const tasks = order.map((i) =>
    spawn(async () => {
      using permit = await permits.acquire();
      results[i] = await runJob(i, latencies[i]!);
    }),
  );
  for (const t of tasks) await t;
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
