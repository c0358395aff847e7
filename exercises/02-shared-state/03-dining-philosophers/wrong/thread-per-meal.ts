// fails: everyone-eats
// Spawns a new thread for every meal instead of one thread per philosopher.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

export function eat(): void {
  sleep(1);
}

export function dine(philosophers: number, meals: number): number[] {
  const forks: Arc<Mutex<number>>[] = [];
  for (let i = 0; i < philosophers; i++) forks.push(new Arc(new Mutex(0)));
  const eaten = new Array(philosophers).fill(0);
  for (let m = 0; m < meals; m++) {
    const hs = [];
    for (let seat = 0; seat < philosophers; seat++) {
      const a = seat, b = (seat + 1) % philosophers;
      const first = forks[Math.min(a, b)].clone(), second = forks[Math.max(a, b)].clone();
      hs.push(spawn(() => { using x = first.lock(); using y = second.lock(); eat(); return 1; }));
    }
    hs.forEach((h, seat) => (eaten[seat] += h.join()));
  }
  return eaten;
}

function main() {
  console.log(`Meals eaten, by seat: ${dine(5, 10).join(", ")}`);
}
