// fails: no-deadlock
// A waiter with as many seats as philosophers: everyone can sit, everyone picks up the left fork first, and the circle closes as it would without a waiter.
import { spawn, sleep } from "weft/thread";
import { Arc, Condvar, Mutex } from "weft/sync";

/** A philosopher eats: call it while holding both forks. Keep it as it is. */
export function eat(): void {
  sleep(1);
}

type Semaphore = readonly [Mutex<number>, Condvar];

function acquire([permits, freed]: Semaphore) {
  using available = permits.lock();
  freed.waitWhile(available, (n) => n === 0);
  available.value -= 1;
}

function release([permits, freed]: Semaphore) {
  using available = permits.lock();
  available.value += 1;
  freed.notifyOne();
}

export function dine(philosophers: number, meals: number): number[] {
  const forks: Arc<Mutex<number>>[] = [];
  for (let i = 0; i < philosophers; i++) forks.push(new Arc(new Mutex(0)));
  const waiter = new Arc([new Mutex(philosophers), new Condvar()] as const);

  const seats = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const left = forks[seat]!.clone();
    const right = forks[(seat + 1) % philosophers]!.clone();
    const table = waiter.clone();
    seats.push(
      spawn(() => {
        let eaten = 0;
        for (let meal = 0; meal < meals; meal++) {
          acquire(table);
          {
            using a = left.lock();
            using b = right.lock();
            eat();
            a.value++;
            b.value++;
            eaten++;
          }
          release(table);
        }
        return eaten;
      }),
    );
  }
  return seats.map((seat) => seat.join());
}

function main() {
  const eaten = dine(5, 10);
  console.log(`Meals eaten, by seat: ${eaten.join(", ")}`);
}
