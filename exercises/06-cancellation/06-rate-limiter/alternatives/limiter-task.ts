import { Mutex, Semaphore, interval, mpsc, oneshot, sleep, sleepUntil, spawn, time } from "weft/task";

/** The bucket belongs to a task of its own (an actor): acquire() sends it a reply channel, and it answers in the order asked. */
class RateLimiter {
  readonly #requests: mpsc.UnboundedSender<oneshot.Sender<void>>;

  constructor(intervalMs: number, burst: number) {
    const [tx, rx] = mpsc.unboundedChannel<oneshot.Sender<void>>();
    this.#requests = tx;
    spawn(async () => {
      const capacity = burst * intervalMs; // ms of credit: one token is worth intervalMs
      let credit = capacity;
      let last = time.now();
      const refill = () => {
        const now = time.now();
        credit = Math.min(capacity, credit + (now - last));
        last = now;
      };
      let reply: oneshot.Sender<void> | undefined;
      while ((reply = await rx.recv()) !== undefined) {
        refill();
        if (credit < intervalMs) {
          await sleep(intervalMs - credit);
          refill();
        }
        credit -= intervalMs;
        reply.send();
      }
    });
  }

  async acquire(): Promise<void> {
    const [reply, granted] = oneshot.channel<void>();
    this.#requests.send(reply);
    await granted;
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
