// fails: sleeps-until-its-token
// Takes a ticket in arrival order, then sleeps 1 ms and looks again until it is its turn and a token is back: the times come out right, but each waiting request wakes every millisecond (a spin loop with sleeps in it).
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

class RateLimiter {
  private tokens: number;
  private last = 0;
  private nextTicket = 0;
  private serving = 0;
  private readonly intervalMs: number;
  private readonly burst: number;
  constructor(intervalMs: number, burst: number) {
    this.intervalMs = intervalMs;
    this.burst = burst;
    this.tokens = burst;
  }
  async acquire(): Promise<void> {
    const ticket = this.nextTicket++;
    for (;;) {
      const now = time.now();
      this.tokens = Math.min(this.burst, this.tokens + (now - this.last) / this.intervalMs);
      this.last = now;
      if (ticket === this.serving && this.tokens >= 1) { this.tokens -= 1; this.serving++; return; }
      await sleep(1);
    }
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
