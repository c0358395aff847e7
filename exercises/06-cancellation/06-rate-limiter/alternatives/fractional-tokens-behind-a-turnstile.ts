import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

class RateLimiter {
  private tokens: number;
  private last = time.now();
  private readonly turn = new Semaphore(1);
  private readonly intervalMs: number;
  private readonly burst: number;
  constructor(intervalMs: number, burst: number) {
    this.intervalMs = intervalMs;
    this.burst = burst;
    this.tokens = burst;
  }
  private refill() {
    const now = time.now();
    this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.intervalMs);
    this.last = now;
  }
  async acquire(): Promise<void> {
    using _turn = await this.turn.acquire(); // fair: first come, first served
    this.refill();
    if (this.tokens < 1) {
      await sleep((1 - this.tokens) * this.intervalMs);
      this.refill();
    }
    this.tokens -= 1;
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
