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

import { JoinSet } from "weft/task";
export async function serve(requests: [latency: number, n: number][], slots: number): Promise<number[]> {
  const cpu = new Semaphore(slots);
  const set = new JoinSet<[number, number]>();
  requests.forEach(([latency, n], i) => {
    set.spawn(async () => {
      await sleep(latency);
      using _slot = await cpu.acquire();
      const answer = await spawnBlocking(() => crunch(n));
      console.log(`request ${i} answered`);
      return [i, answer] as [number, number];
    });
  });
  const answers = new Array<number>(requests.length);
  for (let r = await set.joinNext(); r !== undefined; r = await set.joinNext()) {
    if (!r.ok) throw r.value;
    answers[r.value[0]] = r.value[1];
  }
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
