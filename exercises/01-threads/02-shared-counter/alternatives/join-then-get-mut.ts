// Joins every thread, then reads the total through getMut() (the Mutex is main's alone once the threads are joined).
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

function main() {
  const count = new Arc(new Mutex(0));
  const hs = [];
  for (let t = 0; t < 4; t++) {
    const c = count.clone();
    hs.push(spawn(() => {
      for (let i = 0; i < 250; i++) {
        using g = c.lock();
        g.value += 1;
      }
    }));
  }
  for (const h of hs) h.join();
  using g = count.getMut();
  console.log(`Total: ${g.value}`);
}
