// fails: no-needless-waiting
// Counts whole tokens and refills them with the whole intervals since the last look, then sets the last look to now: the part of an interval that had passed is thrown away, so tokens come back late.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

/** A token bucket of whole tokens, refilled with the whole intervals since the last look. */
class RateLimiter {
  readonly #interval: number;
  readonly #burst: number;
  #tokens: number;
  #last: number;
  readonly #line = new Mutex(0);

  constructor(intervalMs: number, burst: number) {
    this.#interval = intervalMs;
    this.#burst = burst;
    this.#tokens = burst; // starts full
    this.#last = time.now();
  }

  #refill(): void {
    const now = time.now();
    const earned = Math.floor((now - this.#last) / this.#interval); // whole tokens since the last refill
    this.#tokens = Math.min(this.#burst, this.#tokens + earned);
    this.#last = now;
  }

  async acquire(): Promise<void> {
    using turn = await this.#line.lock();
    this.#refill();
    while (this.#tokens < 1) {
      await sleep(this.#interval);
      this.#refill();
    }
    this.#tokens -= 1;
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
