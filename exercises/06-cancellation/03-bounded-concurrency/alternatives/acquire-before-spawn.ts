// The spawning loop acquires a permit before it spawns each job's task, and the task releases it in a finally; join collects the results in order.
import { JoinSet, Semaphore, join, mpsc, sleep, spawn, time } from "weft/task";

/** One request to the service: takes `ms` milliseconds. */
async function runJob(id: number, ms: number): Promise<number> {
  await sleep(ms);
  return (id * 7919 + ms) % 10007;
}

/** Runs job i = runJob(i, latencies[i]) for every i, at most `limit` at a time; returns the results in job order. */
export async function processAll(latencies: number[], limit: number): Promise<number[]> {
  // The spawning loop takes a permit first, so a job's task is spawned only when a slot is free; the task gives it back.
  const permits = new Semaphore(limit);
  const tasks = [];
  for (let i = 0; i < latencies.length; i++) {
    const permit = await permits.acquire();
    tasks.push(spawn(async () => {
      try {
        return await runJob(i, latencies[i]!);
      } finally {
        permit.release();
      }
    }));
  }
  return await join(...tasks);
}

async function main() {
  time.pause();
  const latencies = [40, 10, 30, 20, 50, 10, 30, 20];
  const results = await processAll(latencies, 3);
  console.log(`${results.length} results after ${time.now()} ms: ${results.join(", ")}`);
}
