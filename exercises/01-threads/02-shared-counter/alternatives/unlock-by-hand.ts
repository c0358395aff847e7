// Locks and unlocks by hand instead of with `using`, and keeps the handles in an array made by Array.from.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

const THREADS = 4;
const INCREMENTS = 250;

function main() {
  const counter = new Arc(new Mutex(0));
  const handles = Array.from({ length: THREADS }, () => {
    const mine = counter.clone();
    return spawn(() => {
      for (let i = 0; i < INCREMENTS; i++) {
        const guard = mine.lock();
        guard.value = guard.value + 1;
        guard.unlock();
      }
    });
  });
  handles.forEach((handle) => handle.join());
  const total = counter.lock();
  console.log(`Total: ${total.value}`);
  total.unlock();
}
