// fails: filter-finds-the-primes
// Finds the k primes on the calling thread with isPrime, then hangs up at once: the generator and the filter start, stop quietly and are joined, but the caller never takes a prime from them.
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
    for (let n = start; ; n++) {
      try {
        numbersTx.send(n);
      } catch (error) {
        if (error instanceof SendError) return; // the filter is gone: nobody wants more numbers
        throw error;
      }
    }
  });

  const filter = spawn(() => {
    for (const n of numbersRx) {
      if (!isPrime(n)) continue;
      try {
        primesTx.send(n);
      } catch (error) {
        if (error instanceof SendError) return; // the caller has enough; returning drops numbersRx, which stops the generator
        throw error;
      }
    }
  });

  // The caller finds its primes itself and hangs up at once: the stages run, but for show.
  const primes: number[] = [];
  for (let n = start; primes.length < k; n++) if (isPrime(n)) primes.push(n);
  drop(primesRx); // hang up: the filter's next send fails, and it stops
  generator.join();
  filter.join();
  return primes;
}

function main() {
  console.log(firstPrimes(1000, 5).join(", "));
}
