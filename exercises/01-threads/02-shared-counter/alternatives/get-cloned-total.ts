// Reads the total with getCloned() after joining (forEach over the handles), increments with g.value++.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

function main() {
  const count = new Arc(new Mutex(0));
  const handles = Array.from({ length: 4 }, (_, t) => {
    const c = count.clone();
    return spawn(() => {
      for (let i = 0; i < 250; i++) {
        using g = c.lock();
        g.value++;
      }
    });
  });
  handles.forEach((h) => h.join());
  const total = count.getCloned();
  console.log(`Total: ${total}`);
}
