// fails: never-faster-than-the-bucket
// Refills the bucket without capping it at `burst`: after a quiet spell it has saved up more tokens than the bucket holds, and lets a flood of requests through at once.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

class RateLimiter {
  readonly #interval: number;
  #credit: number;
  #last: number;
  readonly #line = new Mutex(0);

  constructor(intervalMs: number, burst: number) {
    this.#interval = intervalMs;
    this.#credit = burst * intervalMs;
    this.#last = time.now();
  }

  async acquire(): Promise<void> {
    using turn = await this.#line.lock();
    const now = time.now();
    this.#credit += now - this.#last; // never capped at the burst: a long pause saves up a flood of tokens
    this.#last = now;
    if (this.#credit < this.#interval) {
      await sleep(this.#interval - this.#credit);
      this.#credit += this.#interval - this.#credit;
      this.#last = time.now();
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
