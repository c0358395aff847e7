import { spawn } from "weft/thread";
import { mpsc, drop, SendError } from "weft/sync";

/** Is `n` a prime? The work of the filter stage. */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

/**
 * The first `k` primes from `start` on, found by a pipeline: a generator
 * thread counts up from `start`, a filter thread keeps the primes, and the
 * caller takes the first `k` of them. Each stage talks to the next through
 * a channel that holds at most 2 values.
 */
export function firstPrimes(start: number, k: number): number[] {
  const [numbersTx, numbersRx] = mpsc.syncChannel<number>(2);
  const [primesTx, primesRx] = mpsc.syncChannel<number>(2);

  const generator = spawn(() => {
    // TODO: this never ends. Stop when the filter has hung up.
    for (let n = start; ; n++) numbersTx.send(n);
  });

  const filter = spawn(() => {
    for (const n of numbersRx) {
      // TODO: stop when the caller has hung up.
      if (isPrime(n)) primesTx.send(n);
    }
  });

  const primes: number[] = [];
  for (const p of primesRx) {
    primes.push(p);
    if (primes.length === k) break;
  }
  // TODO: hang up, so that the stages can notice and stop.
  generator.join();
  filter.join();
  return primes;
}

function main() {
  console.log(firstPrimes(1000, 5).join(", "));
}
