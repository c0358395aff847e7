// fails: shares-one-mutex
// Never joins: the thread whose increment reaches 1000 prints the total itself, and main only sleeps. The output is right, but main never waited for the threads nor read the Mutex.
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

function main() {
  const count = new Arc(new Mutex(0));
  for (let t = 0; t < 4; t++) {
    const c = count.clone();
    spawn(() => {
      for (let i = 0; i < 250; i++) {
        using g = c.lock();
        g.value += 1;
        if (g.value === 1000) console.log(`Total: ${g.value}`);
      }
    });
  }
  sleep(500);
}
