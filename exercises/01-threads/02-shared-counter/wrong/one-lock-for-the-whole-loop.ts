// fails: shares-one-mutex
// Takes the lock once per thread and adds 1 250 times under it: right total, but one thread at a time for the whole loop.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

function main() {
  const counter = new Arc(new Mutex(0));
  const hs = [];
  for (let t = 0; t < 4; t++) {
    const c = counter.clone();
    hs.push(spawn(() => { using g = c.lock(); for (let i = 0; i < 250; i++) g.value += 1; }));
  }
  hs.forEach((h) => h.join());
  console.log(`Total: ${counter.lock().value}`);
}
