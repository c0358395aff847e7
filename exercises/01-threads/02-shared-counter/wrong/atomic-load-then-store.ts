// fails: counts-every-increment
// Uses an atomic, but as load then store: each call is atomic, the pair is not, so increments are lost (fetchAdd does it in one step).
import { spawn } from "weft/thread";
import { Arc, AtomicI32 } from "weft/sync";

const THREADS = 4;
const INCREMENTS = 250;

function main() {
  const counter = new Arc(new AtomicI32(0));
  const handles = [];

  for (let t = 0; t < THREADS; t++) {
    const c = counter.clone();
    handles.push(
      spawn(() => {
        for (let i = 0; i < INCREMENTS; i++) {
          c.store(c.load() + 1);
        }
      }),
    );
  }

  for (const handle of handles) {
    handle.join();
  }
  console.log(`Total: ${counter.load()}`);
}
