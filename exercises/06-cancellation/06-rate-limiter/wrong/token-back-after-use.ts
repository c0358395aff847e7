// fails: never-faster-than-the-bucket
// A fair Semaphore of burst permits, each one given back intervalMs after it was taken: a burst of requests at once gets all its tokens back together one interval later, not one per interval.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

class RateLimiter {
  private readonly tokens: Semaphore;
  private readonly intervalMs: number;
  constructor(intervalMs: number, burst: number) {
    this.intervalMs = intervalMs;
    this.tokens = new Semaphore(burst);
  }
  async acquire(): Promise<void> {
    const permit = await this.tokens.acquire();
    permit.forget();
    const tokens = this.tokens;
    const ms = this.intervalMs;
    spawn(async () => { await sleep(ms); tokens.addPermits(1); });
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
