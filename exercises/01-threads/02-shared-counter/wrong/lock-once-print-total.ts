// fails: shares-one-mutex
// Each thread locks the shared Mutex once and does nothing with it, and main prints the total it expects instead of the one the threads made.
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
        using count = c.lock();
        let mine = 0;
        for (let i = 0; i < INCREMENTS; i++) mine += 1;
        return mine;
      }),
    );
  }
  let total = 0;
  for (const handle of handles) total += handle.join();
  console.log(`Total: ${total}`);
}
