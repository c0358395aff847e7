import { Mutex, Semaphore, interval, sleep, sleepUntil, spawn, time } from "weft/task";

/** A token bucket: at most `burst` tokens, one more every `intervalMs`; acquire() takes one, waiting in line if none is left. */
class RateLimiter {
  constructor(intervalMs: number, burst: number) {
    // TODO
  }

  async acquire(): Promise<void> {
    // TODO: take a token, or wait (in order) until one is back.
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
