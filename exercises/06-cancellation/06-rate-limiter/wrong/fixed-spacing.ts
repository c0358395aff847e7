// fails: no-needless-waiting
// Spaces every request one interval after the previous one and ignores the burst: requests wait even when the bucket is full of tokens.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

class RateLimiter {
  readonly #interval: number;
  #next: number;

  constructor(intervalMs: number, burst: number) {
    this.#interval = intervalMs;
    this.#next = time.now();
  }

  async acquire(): Promise<void> {
    // One request per interval, evenly spaced: never faster than the rate, but no burst is ever allowed.
    const now = time.now();
    const at = Math.max(now, this.#next);
    this.#next = at + this.#interval;
    if (at > now) await sleepUntil(at);
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
