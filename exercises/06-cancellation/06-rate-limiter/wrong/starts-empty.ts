// fails: no-needless-waiting
// Starts the bucket empty: the first requests wait for tokens to come in, though a bucket that has never been used is full.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

/** A token bucket counted in milliseconds of credit; an async Mutex makes the waiters take turns, first come first served. */
class RateLimiter {
  readonly #interval: number;
  readonly #capacity: number;
  #credit: number; // ms of credit: one token is worth `interval`
  #last: number;
  readonly #line = new Mutex(0);

  constructor(intervalMs: number, burst: number) {
    this.#interval = intervalMs;
    this.#capacity = burst * intervalMs;
    this.#credit = 0; // fills up as time goes by
    this.#last = time.now();
  }

  #refill(): void {
    const now = time.now();
    this.#credit = Math.min(this.#capacity, this.#credit + (now - this.#last));
    this.#last = now;
  }

  async acquire(): Promise<void> {
    using turn = await this.#line.lock(); // weft's Mutex, like Tokio's, is fair: the lock goes in the order asked
    this.#refill();
    if (this.#credit < this.#interval) {
      await sleep(this.#interval - this.#credit); // until one token's worth is back
      this.#refill();
    }
    this.#credit -= this.#interval;
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
