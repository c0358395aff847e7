import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // Keep `limit` jobs in a JoinSet; each time one comes back, start the next. Results go in by index.
  const results: number[] = new Array(latencies.length);
  const running = new JoinSet<[number, number]>();
  let next = 0;
  const startNext = () => {
    const i = next++;
    running.spawn(async () => [i, await runJob(i, latencies[i]!)] as [number, number]);
  };
  while (next < latencies.length && running.len() < limit) startNext();
  for (;;) {
    const done = await running.joinNext();
    if (done === undefined) break;
    if (!done.ok) throw done.value;
    const [i, result] = done.value;
    results[i] = result;
    if (next < latencies.length) startNext();
  }
  return results;
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
