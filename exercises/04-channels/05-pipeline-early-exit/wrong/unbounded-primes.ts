// fails: bounded-waste
// Bounds the numbers channel but makes the primes channel unbounded: whenever the caller is slow to take primes, the filter (and the generator behind it) runs on ahead, testing numbers nobody will need.
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
  const [primesTx, primesRx] = mpsc.channel<number>(); // unbounded: the filter is never held back

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

  const primes: number[] = [];
  for (const p of primesRx) {
    primes.push(p);
    if (primes.length === k) break;
  }
  drop(primesRx); // hang up: the filter's next send fails, and it stops
  generator.join();
  filter.join();
  return primes;
}

function main() {
  console.log(firstPrimes(1000, 5).join(", "));
}
