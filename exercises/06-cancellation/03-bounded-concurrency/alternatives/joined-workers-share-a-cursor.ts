import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  const results = new Array<number>(latencies.length);
  let next = 0;
  const worker = async () => {
    while (next < latencies.length) {
      const i = next++;
      results[i] = await runJob(i, latencies[i]!);
    }
  };
  await join(...Array.from({ length: Math.min(limit, latencies.length) }, () => worker()));
  return results;
}
async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
