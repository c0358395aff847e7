// Everyone takes the left fork first except the last seat, who takes the right one (fork 0) first; forks are locked and dropped by hand.
import { builder, sleep } from "weft/thread";
import { Arc, Mutex, drop } from "weft/sync";

export function eat(): void {
  sleep(1);
}

export function dine(philosophers: number, meals: number): number[] {
  const table = Array.from({ length: philosophers }, () => new Arc(new Mutex(true)));
  const hs = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const left = table[seat], right = table[(seat + 1) % philosophers];
    const last = seat === philosophers - 1;
    const first = (last ? right : left).clone(), second = (last ? left : right).clone();
    hs.push(builder().name(`philosopher ${seat}`).spawn(() => {
      for (let m = 0; m < meals; m++) {
        const f1 = first.lock();
        const f2 = second.lock();
        eat();
        drop(f2);
        drop(f1);
      }
      return meals;
    }));
  }
  const eaten: number[] = [];
  for (const h of hs) eaten.push(h.join());
  return eaten;
}

function main() {
  console.log(`Meals eaten, by seat: ${dine(5, 10).join(", ")}`);
}
