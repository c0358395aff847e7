// fails: every-result-in-order
// Keeps `limit` jobs running with a JoinSet, but pushes each result as it comes back: the results are in the order the jobs finished, not in job order.
import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  const running = new JoinSet<number>();
  const results: number[] = [];
  let next = 0;
  while (next < latencies.length && running.len() < limit) running.spawn(runJob(next, latencies[next++]!));
  for (;;) {
    const done = await running.joinNext();
    if (done === undefined) break;
    if (!done.ok) throw done.value;
    results.push(done.value); // in the order the jobs finished
    if (next < latencies.length) running.spawn(runJob(next, latencies[next++]!));
  }
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
