// Cancels with a shared done flag as well as by hanging up: the generator checks the flag before each number, and the caller drops its Receiver and joins both stages.
import { spawn } from "weft/thread";
import { Arc, AtomicBool, mpsc, drop, SendError } from "weft/sync";

export function isPrime(n: number): boolean {
  if (n < 2) return false;
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return true;
}

export function firstPrimes(start: number, k: number): number[] {
  const done = new Arc(new AtomicBool(false));
  const [numbersTx, numbersRx] = mpsc.syncChannel<number>(2);
  const [primesTx, primesRx] = mpsc.syncChannel<number>(2);
  const stopGen = done.clone();
  const generator = spawn(() => {
    for (let n = start; !stopGen.load(); n++) {
      try {
        numbersTx.send(n);
      } catch (e) {
        if (e instanceof SendError) return;
        throw e;
      }
    }
  });
  const filter = spawn(() => {
    for (const n of numbersRx) {
      if (!isPrime(n)) continue;
      try {
        primesTx.send(n);
      } catch (e) {
        if (e instanceof SendError) return;
        throw e;
      }
    }
  });
  const primes: number[] = [];
  while (primes.length < k) primes.push(primesRx.recv());
  done.store(true);
  drop(primesRx);
  filter.join();
  generator.join();
  return primes;
}

function main() {
  console.log(firstPrimes(1000, 5).join(", "));
}
