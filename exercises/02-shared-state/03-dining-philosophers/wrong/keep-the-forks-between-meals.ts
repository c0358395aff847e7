// fails: everyone-eats
// Picks both forks up once and eats every meal before putting them down: no deadlock, but a philosopher's neighbours wait for all their meals.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

export function eat(): void {
  sleep(1);
}

export function dine(philosophers: number, meals: number): number[] {
  const forks: Arc<Mutex<number>>[] = [];
  for (let i = 0; i < philosophers; i++) forks.push(new Arc(new Mutex(0)));
  const seats = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const a = seat, b = (seat + 1) % philosophers;
    const first = forks[Math.min(a, b)].clone(), second = forks[Math.max(a, b)].clone();
    seats.push(spawn(() => {
      using x = first.lock();
      using y = second.lock();
      let eaten = 0;
      for (let m = 0; m < meals; m++) { eat(); eaten++; }
      return eaten;
    }));
  }
  return seats.map((s) => s.join());
}

function main() {
  console.log(`Meals eaten, by seat: ${dine(5, 10).join(", ")}`);
}
