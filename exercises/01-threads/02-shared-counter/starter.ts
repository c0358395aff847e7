import { spawn } from "weft/thread";

const THREADS = 4;
const INCREMENTS = 250;

function main() {
  let count = 0; // TODO: one counter, shared by every thread
  const handles = [];

  for (let t = 0; t < THREADS; t++) {
    handles.push(
      spawn(() => {
        for (let i = 0; i < INCREMENTS; i++) {
          count += 1;
        }
      }),
    );
  }

  for (const handle of handles) {
    handle.join();
  }
  console.log(`Total: ${count}`);
}
