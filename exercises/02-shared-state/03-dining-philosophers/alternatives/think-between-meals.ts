// Lower-numbered fork first, and each philosopher thinks (sleeps) between meals with both forks down: a sleep that is not a meal.
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
    // Everyone picks up the lower-numbered of their two forks first. Then no circle of
    // philosophers can each hold one fork and wait for the next one's: the one who would
    // close the circle wants fork 0 first, and can't be holding the last fork yet.
    const first = forks[Math.min(left, right)]!.clone();
    const second = forks[Math.max(left, right)]!.clone();
    seats.push(
      spawn(() => {
        let eaten = 0;
        for (let meal = 0; meal < meals; meal++) {
          {
            using a = first.lock();
            using b = second.lock();
            eat();
            a.value++;
            b.value++;
            eaten++;
          } // both forks down
          sleep(2); // think for a while before the next meal
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
