// fails: never-faster-than-the-bucket
// A fair Semaphore of tokens refilled by an interval task when it isn't full: when the ticker fires at the same moment as a flood empties a full bucket, it adds a token the full bucket could not have saved, and one request too many goes through.
import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

/**
 * A token bucket, kept as the time the bucket will next be "one token short of full" (GCRA, the generic cell rate
 * algorithm): each acquire() books the earliest time the bucket allows, in the order of the calls, and sleeps until then.
 */
class RateLimiter {
  // A fair Semaphore holds the tokens (it starts full); a refill task adds one every interval, up to the burst.
  readonly #tokens: Semaphore;

  constructor(intervalMs: number, burst: number) {
    this.#tokens = new Semaphore(burst);
    const tokens = this.#tokens;
    spawn(async () => {
      const ticks = interval(intervalMs);
      await ticks.tick(); // the first tick is at once: the bucket is already full
      for (;;) {
        await ticks.tick();
        if (tokens.availablePermits() < burst) tokens.addPermits(1);
      }
    });
  }

  async acquire(): Promise<void> {
    const permit = await this.#tokens.acquire(); // first come, first served
    permit.forget(); // a token is spent, not given back
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
