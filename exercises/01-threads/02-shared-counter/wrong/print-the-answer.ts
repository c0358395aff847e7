// fails: shares-one-mutex
// Prints the expected total without sharing a counter: the threads count nothing that main can see.
import { spawn } from "weft/thread";

const THREADS = 4;
const INCREMENTS = 250;

function main() {
  const handles = [];
  for (let t = 0; t < THREADS; t++) {
    handles.push(
      spawn(() => {
        let mine = 0;
        for (let i = 0; i < INCREMENTS; i++) mine += 1;
        return mine;
      }),
    );
  }
  for (const handle of handles) handle.join();
  console.log(`Total: ${THREADS * INCREMENTS}`);
}
