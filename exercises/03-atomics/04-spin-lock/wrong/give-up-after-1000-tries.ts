// fails: mutual-exclusion
// Gives up after 1,000 tries and runs f anyway: whenever the holder is kept off its core longer than that (here the seeded scheduler's stall), two threads are inside at once.
import { spawn } from "weft/thread";
import { Arc, AtomicBool, AtomicU32, Ordering } from "weft/sync";

export function withLock<T>(locked: Arc<AtomicBool>, f: () => T): T {
  let got = false;
  for (let tries = 0; tries < 1000 && !got; tries++) got = locked.compareExchange(false, true, Ordering.Acquire, Ordering.Relaxed).ok;
  try {
    return f();
  } finally {
    if (got) locked.store(false, Ordering.Release);
  }
}

// ---- You don't need to change anything below this line. ----

/**
 * `threads` threads each add 1 to a shared counter `rounds` times, under
 * the spin lock. The counter is read and written in two steps, on purpose:
 * only the lock keeps two threads from losing each other's updates. In the
 * rounds listed in `failAt`, the work throws after its update (each thread
 * catches it and counts a failure). Returns the counter and the failures.
 */
export function runCounter(threads: number, rounds: number, failAt: number[]): { count: number; failures: number } {
  const locked = new Arc(new AtomicBool(false));
  const counter = new Arc(new AtomicU32(0));
  const failures = new Arc(new AtomicU32(0));
  const handles = [];
  for (let t = 0; t < threads; t++) {
    const [lock, count, failed] = [locked.clone(), counter.clone(), failures.clone()];
    handles.push(
      spawn(() => {
        for (let round = 0; round < rounds; round++) {
          try {
            withLock(lock, () => {
              const value = count.load();
              count.store(value + 1);
              if (failAt.includes(round)) throw new Error(`round ${round} failed`);
            });
          } catch {
            failed.fetchAdd(1);
          }
        }
      }),
    );
  }
  for (const handle of handles) handle.join();
  return { count: counter.load(), failures: failures.load() };
}

function main() {
  const { count, failures } = runCounter(4, 25, [3, 17]);
  console.log(`Counter: ${count} (expected 100), failures: ${failures} (expected 8)`);
}
