// Spawns with a builder, reads the value into a local inside the critical section and writes it back before the guard drops.
import { builder, JoinHandle } from "weft/thread";
import { Arc, Mutex, drop } from "weft/sync";

function main() {
  const counter = new Arc(new Mutex(0));
  const hs: JoinHandle<void>[] = [];
  for (const name of ["a", "b", "c", "d"]) {
    const mine = counter.clone();
    hs.push(builder().name(`counter-${name}`).spawn(() => {
      for (let i = 0; i < 250; i++) {
        const g = mine.lock();
        const before = g.value;
        g.value = before + 1;
        drop(g);
      }
    }));
  }
  hs.forEach((h) => h.join());
  const g = counter.lock();
  const total = g.value;
  drop(g);
  console.log(`Total: ${total}`);
}
