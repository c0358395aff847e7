// fails: in-arrival-order
// Books the right times but waits for them by spinning on yieldNow until time.now() gets there: on paused time the clock moves only when every task waits on a timer, so it never gets there.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time, yieldNow } from "weft/task";

/**
 * A token bucket, kept as the time the bucket will next be "one token short of full" (GCRA, the generic cell rate
 * algorithm): each acquire() books the earliest time the bucket allows, in the order of the calls, and sleeps until then.
 */
class RateLimiter {
  readonly #interval: number;
  readonly #burst: number;
  /** When the bucket would be full again if nothing else came: each request pushes it one interval further. */
  #full: number;

  constructor(intervalMs: number, burst: number) {
    this.#interval = intervalMs;
    this.#burst = burst;
    this.#full = time.now(); // starts full
  }

  async acquire(): Promise<void> {
    const now = time.now();
    // A request may go once the bucket holds a token: no earlier than `burst - 1` intervals before it is full again.
    const at = Math.max(now, this.#full - (this.#burst - 1) * this.#interval);
    this.#full = Math.max(this.#full, at) + this.#interval;
    while (time.now() < at) await yieldNow(); // spin until the booked time
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
