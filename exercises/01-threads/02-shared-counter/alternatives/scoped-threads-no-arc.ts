// Scoped threads borrow one Mutex, so no Arc is needed; the scope joins the four threads.
import { scope } from "weft/thread";
import { Mutex } from "weft/sync";

function main() {
  const counter = new Mutex(0);
  scope((s) => {
    for (let t = 0; t < 4; t++) {
      s.spawn(() => {
        for (let i = 0; i < 250; i++) {
          using g = counter.lock();
          g.value++;
        }
      });
    }
  });
  console.log(`Total: ${counter.lock().value}`);
}
