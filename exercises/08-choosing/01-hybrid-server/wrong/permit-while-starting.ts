// fails: bounded-cpu-jobs
// Holds the CPU permit only while it starts the blocking job, and gives it back before awaiting the job: every request that is ready starts its crunch at once, so the Semaphore bounds nothing.
import { Semaphore, join, sleep, spawn, spawnBlocking, time } from "weft/task";
import { range } from "weft/par";

/** How many steps the Collatz sequence takes from `x` down to 1. */
function collatzSteps(x: number): number {
  let steps = 0;
  while (x !== 1) {
    x = x % 2 === 0 ? x / 2 : 3 * x + 1;
    steps++;
  }
  return steps;
}

/** The CPU-heavy part of a request: the Collatz steps of 1..n, added up on weft/par's pool. Keep it as it is. */
function crunch(n: number): number {
  return range(1, n + 1).map(collatzSteps).sum();
}

/** One request: wait `latency` ms for its data (the network), then crunch `n`. */
async function handle(cpu: Semaphore, latency: number, n: number): Promise<number> {
  await sleep(latency); // waiting: the task gives the executor back
  let job;
  {
    using permit = await cpu.acquire(); // the permit guards starting the job...
    job = spawnBlocking(() => crunch(n));
  } // ...and is given back as soon as the job has started
  return await job;
}

/** Serves every request at once; returns each request's answer, in the order of `requests`. */
export async function serve(requests: [latency: number, n: number][], slots: number): Promise<number[]> {
  const cpu = new Semaphore(slots);
  const handlers = requests.map(([latency, n]) => spawn(handle(cpu, latency, n)));
  const answers: number[] = [];
  for (const handler of handlers) answers.push(await handler);
  return answers;
}

async function main() {
  // A heartbeat that should tick every 10 ms while the server works.
  let longestGap = 0;
  const heartbeat = spawn(async () => {
    let last = performance.now();
    for (;;) {
      await sleep(10);
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }
  });
  const start = performance.now();
  const answers = await serve([[30, 30_000], [10, 20_000], [20, 25_000], [10, 10_000]], 2);
  console.log(`answers: ${answers.join(", ")} after ${(performance.now() - start).toFixed(0)} ms`);
  heartbeat.abort();
  console.log(`longest heartbeat gap: ${longestGap.toFixed(0)} ms`);
}
