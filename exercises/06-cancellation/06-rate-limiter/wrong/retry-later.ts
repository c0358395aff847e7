// fails: in-arrival-order
// Waits by sleeping and trying again: a request that arrives just as a token comes back can take it ahead of one that was already waiting.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

class RateLimiter {
  readonly #interval: number;
  readonly #capacity: number;
  #credit: number;
  #last: number;

  constructor(intervalMs: number, burst: number) {
    this.#interval = intervalMs;
    this.#capacity = burst * intervalMs;
    this.#credit = this.#capacity;
    this.#last = time.now();
  }

  async acquire(): Promise<void> {
    for (;;) {
      const now = time.now();
      this.#credit = Math.min(this.#capacity, this.#credit + (now - this.#last));
      this.#last = now;
      if (this.#credit >= this.#interval) {
        this.#credit -= this.#interval;
        return;
      }
      // No token: try again later. Whoever happens to look first when a token is back gets it, not who waited longest.
      await sleep(this.#interval);
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
