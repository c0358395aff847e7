// Puts the critical section in a function of its own, and moves a clone of the Arc into each thread through a loop over thread names.
import { builder } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

const INCREMENTS = 250;

/** One increment: lock, add 1, unlock (when `using` drops the guard). */
function increment(counter: Arc<Mutex<number>>): void {
  using count = counter.lock();
  count.value++;
}

function main() {
  const counter = new Arc(new Mutex(0));
  const handles = [];
  for (const name of ["a", "b", "c", "d"]) {
    const c = counter.clone();
    handles.push(builder().name(`counter-${name}`).spawn(() => {
      for (let i = 0; i < INCREMENTS; i++) increment(c);
    }));
  }
  for (const handle of handles) handle.join();
  using total = counter.lock();
  console.log(`Total: ${total.value}`);
}
