import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // One job after another: never overloads the service, but wastes time.
  const results: number[] = [];
  for (let i = 0; i < latencies.length; i++) results.push(await runJob(i, latencies[i]!));
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
