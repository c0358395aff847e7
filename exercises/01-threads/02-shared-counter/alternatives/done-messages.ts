// Each thread sends "done" on a channel after its last increment; main receives one message per thread before it reads the total, instead of joining.
import { spawn } from "weft/thread";
import { Arc, Mutex, mpsc } from "weft/sync";

function main() {
  const counter = new Arc(new Mutex(0));
  const [tx, rx] = mpsc.channel<number>();
  for (let t = 0; t < 4; t++) {
    const c = counter.clone();
    const done = tx.clone();
    spawn(() => {
      for (let i = 0; i < 250; i++) {
        using g = c.lock();
        g.value += 1;
      }
      done.send(t);
    });
  }
  for (let t = 0; t < 4; t++) rx.recv();
  using total = counter.lock();
  console.log(`Total: ${total.value}`);
}
