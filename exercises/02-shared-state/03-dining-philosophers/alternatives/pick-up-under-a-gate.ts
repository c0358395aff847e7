// A gate Mutex held only while picking up both forks (left then right): the ring of forks can't close, since only one philosopher at a time is reaching; the gate is let go before eating.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

export function eat(): void {
  sleep(1);
}

export function dine(philosophers: number, meals: number): number[] {
  const forks = new Arc(Array.from({ length: philosophers }, () => new Mutex(0)));
  const pickup = new Arc(new Mutex(0));
  const hs = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const f = forks.clone();
    const p = pickup.clone();
    hs.push(spawn(() => {
      for (let m = 0; m < meals; m++) {
        const gate = p.lock();
        const left = f[seat].lock();
        const right = f[(seat + 1) % philosophers].lock();
        gate.unlock();
        eat();
        right.unlock();
        left.unlock();
      }
      return meals;
    }));
  }
  return hs.map((h) => h.join());
}

function main() {
  const eaten = dine(5, 10);
  console.log(`Meals eaten, by seat: ${eaten.join(", ")}`);
}
