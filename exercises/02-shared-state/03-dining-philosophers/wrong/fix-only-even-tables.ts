// fails: no-deadlock
// Fixes the circle only for an even table: the last philosopher reaches right first when the number of seats is even, and with five seats everyone picks up their left fork first, all the way around.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** A philosopher eats: call it while holding both forks. Keep it as it is. */
export function eat(): void {
  sleep(1);
}

/**
 * Seats `philosophers` philosophers at a round table, with one fork between
 * each two neighbours, and has each of them eat `meals` times, each on its
 * own thread. Returns how many times each philosopher ate, by seat.
 */
export function dine(philosophers: number, meals: number): number[] {
  // Fork i lies between seat i and seat i + 1 (the last seat's right fork is fork 0).
  const forks: Arc<Mutex<number>>[] = [];
  for (let i = 0; i < philosophers; i++) forks.push(new Arc(new Mutex(0)));

  const seats = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const left = seat;
    const right = (seat + 1) % philosophers;
    // Left fork first, but the last seat reaches right first (tried with four philosophers).
    const swap = seat === philosophers - 1 && philosophers % 2 === 0;
    const first = forks[swap ? right : left]!.clone();
    const second = forks[swap ? left : right]!.clone();
    seats.push(
      spawn(() => {
        let eaten = 0;
        for (let meal = 0; meal < meals; meal++) {
          using a = first.lock();
          using b = second.lock();
          eat();
          a.value++;
          b.value++;
          eaten++;
        } // b, then a, are released at the end of each meal
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
