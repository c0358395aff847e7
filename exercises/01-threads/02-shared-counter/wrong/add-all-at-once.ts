// fails: shares-one-mutex
// Counts on a private copy and adds the 250 to the shared Mutex in one go: the total is right, but the exercise is each increment under the lock.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

const THREADS = 4;
const INCREMENTS = 250;

function main() {
  const counter = new Arc(new Mutex(0));
  const handles = [];
  for (let t = 0; t < THREADS; t++) {
    const c = counter.clone();
    handles.push(
      spawn(() => {
        let mine = 0;
        for (let i = 0; i < INCREMENTS; i++) mine += 1;
        using count = c.lock();
        count.value += mine;
      }),
    );
  }
  for (const handle of handles) handle.join();
  using total = counter.lock();
  console.log(`Total: ${total.value}`);
}
