// fails: no-deadlock
// Each philosopher takes the left fork, tries the right one with tryLock and puts the left back when it is taken: no one waits forever, but the forks are still taken in a ring, and all can keep picking up and putting back forever (a livelock); the statement asks for one of the two classic ways.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

export function eat(): void {
  sleep(1);
}

export function dine(philosophers: number, meals: number): number[] {
  const forks = new Arc(Array.from({ length: philosophers }, () => new Mutex(0)));
  const hs = [];
  for (let seat = 0; seat < philosophers; seat++) {
    const f = forks.clone();
    hs.push(spawn(() => {
      let eaten = 0;
      while (eaten < meals) {
        const left = f[seat].lock();
        const right = f[(seat + 1) % philosophers].tryLock();
        if (right === undefined) { left.unlock(); sleep(1); continue; }
        eat();
        eaten++;
        right.unlock();
        left.unlock();
      }
      return eaten;
    }));
  }
  return hs.map((h) => h.join());
}

function main() {
  const eaten = dine(5, 10);
  console.log(`Meals eaten, by seat: ${eaten.join(", ")}`);
}
