// fails: counts-every-increment
// Reads the counter under one lock and writes it back under another, so another thread's increment can land in between and be overwritten.
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
        for (let i = 0; i < INCREMENTS; i++) {
          let seen;
          {
            using count = c.lock();
            seen = count.value;
          }
          {
            using count = c.lock();
            count.value = seen + 1;
          }
        }
      }),
    );
  }

  for (const handle of handles) {
    handle.join();
  }
  using total = counter.lock();
  console.log(`Total: ${total.value}`);
}
