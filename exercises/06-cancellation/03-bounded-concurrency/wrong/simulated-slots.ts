// fails: keeps-limit-busy
// Runs no job: works out how long limit slots would take, waits that long once, and writes the results itself.
import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // Works out how long `limit` slots would take, waits that long once, and writes the results itself.
  const free = new Array<number>(limit).fill(0);
  for (const ms of latencies) {
    const slot = free.indexOf(Math.min(...free));
    free[slot] = free[slot]! + ms;
  }
  await sleep(Math.max(...free));
  return latencies.map((ms, i) => (i * 7919 + ms) % 10007);
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
