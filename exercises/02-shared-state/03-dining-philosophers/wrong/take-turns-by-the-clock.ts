// fails: no-deadlock
// Every philosopher picks up the left fork, then the right one, but first sleeps for a time that depends on their seat, so that they don't all reach for their left fork at the same moment: the circle is still there, and on a busy machine the timing drifts.
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
    const first = forks[left]!.clone();
    const second = forks[right]!.clone();
    seats.push(
      spawn(() => {
        let eaten = 0;
        for (let meal = 0; meal < meals; meal++) {
          // Take turns by the clock: each seat waits for its own slot, so they never all reach at once.
          sleep(seat * 3);
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
