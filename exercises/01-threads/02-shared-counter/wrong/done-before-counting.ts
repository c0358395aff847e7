// fails: counts-every-increment
// Each thread says it is done before it counts, so main's receives wait for nothing: it reads the total while the threads may still be counting.
import { spawn } from "weft/thread";
import { Arc, Mutex, mpsc } from "weft/sync";

function main() {
  const counter = new Arc(new Mutex(0));
  const [tx, rx] = mpsc.channel<number>();
  for (let t = 0; t < 4; t++) {
    const c = counter.clone();
    const done = tx.clone();
    spawn(() => {
      done.send(t);
      for (let i = 0; i < 250; i++) {
        using g = c.lock();
        g.value += 1;
      }
    });
  }
  for (let t = 0; t < 4; t++) rx.recv();
  using total = counter.lock();
  console.log(`Total: ${total.value}`);
}
