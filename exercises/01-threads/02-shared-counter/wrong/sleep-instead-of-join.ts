// fails: shares-one-mutex
// Sleeps instead of joining: the threads usually finish in time, so the total is right by luck; main must wait for them with join().
import { spawn, sleep } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

function main() {
  const counter = new Arc(new Mutex(0));
  for (let t = 0; t < 4; t++) {
    const c = counter.clone();
    spawn(() => {
      for (let i = 0; i < 250; i++) {
        using g = c.lock();
        g.value += 1;
      }
    });
  }
  sleep(500);
  using total = counter.lock();
  console.log(`Total: ${total.value}`);
}
