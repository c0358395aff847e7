// fails: every-stage-ends
// Never hangs up: once it has k primes the caller sets a shared AtomicBool, and the stages look at it before each send; the caller keeps receiving (and dropping) primes until the channel closes. Right primes, every stage joined, but no send ever fails: the stages were stopped by a flag, not by the hang-up.
import { spawn } from "weft/thread";
import { mpsc, drop, SendError, Arc, AtomicBool } from "weft/sync";

/** Is `n` a prime? The work of the filter stage. */
export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export function firstPrimes(start: number, k: number): number[] {
  const [numbersTx, numbersRx] = mpsc.syncChannel<number>(2);
  const [primesTx, primesRx] = mpsc.syncChannel<number>(2);
  const stop = new Arc(new AtomicBool(false));
  const s1 = stop.clone(), s2 = stop.clone();
  const generator = spawn(() => {
    for (let n = start; !s1.load(); n++) numbersTx.send(n);
  });
  const filter = spawn(() => {
    for (const n of numbersRx) {
      if (!s2.load() && isPrime(n)) primesTx.send(n);
    }
  });
  const primes: number[] = [];
  for (const p of primesRx) {
    if (primes.length < k) primes.push(p);
    if (primes.length === k) stop.store(true);
  }
  generator.join();
  filter.join();
  return primes;
}

function main() {
  console.log(firstPrimes(1000, 5).join(", "));
}
