import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

/** Generic cell rate algorithm: the bucket as one number, the time it would be full again. */
class RateLimiter {
  private fullAt = 0;
  private readonly intervalMs: number;
  private readonly burst: number;
  constructor(intervalMs: number, burst: number) {
    this.intervalMs = intervalMs;
    this.burst = burst;
  }
  async acquire(): Promise<void> {
    const now = time.now();
    const go = Math.max(now, this.fullAt - (this.burst - 1) * this.intervalMs);
    this.fullAt = Math.max(this.fullAt, go) + this.intervalMs;
    if (go > now) await sleepUntil(go);
  }
}
// ---- the test bench: keep it as it is ----

/** Request i arrives at arrivals[i] ms and acquires from one shared limiter; returns the time each one got through. */
export async function runRequests(arrivals: number[], intervalMs: number, burst: number): Promise<number[]> {
  const limiter = new RateLimiter(intervalMs, burst);
  const through: number[] = new Array(arrivals.length).fill(-1);
  const requests = arrivals.map((at, i) =>
    spawn(async () => {
      await sleepUntil(at);
      await limiter.acquire();
      through[i] = time.now();
    }),
  );
  for (const request of requests) await request;
  return through;
}

async function main() {
  time.pause();
  const arrivals = [0, 0, 0, 0, 0, 100, 1000, 1000, 1000, 1000];
  const through = await runRequests(arrivals, 100, 3);
  arrivals.forEach((at, i) => console.log(`request ${i}: arrived at ${at} ms, went through at ${through[i]} ms`));
}
