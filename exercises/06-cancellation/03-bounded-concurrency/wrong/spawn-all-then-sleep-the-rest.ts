// fails: at-most-limit-at-once
// Works out how long the batch should take with limit slots, starts every job at once, and then sleeps until that time: the clock looks right, but all the jobs ran at the same time.
import { JoinSet, Semaphore, join, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  const free = new Array<number>(limit).fill(0);
  let end = 0;
  for (const ms of latencies) {
    const slot = free.indexOf(Math.min(...free));
    free[slot]! += ms;
    end = Math.max(end, free[slot]!);
  }
  const start = time.now();
  const handles = latencies.map((ms, i) => spawn(runJob(i, ms)));
  const results: number[] = [];
  for (const h of handles) results.push(await h);
  await sleepUntilMs(start + end);
  return results;
}
async function sleepUntilMs(t: number) { await sleep(t - time.now()); }
async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
