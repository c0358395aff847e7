// Scoped producers, each dropping its clone of the Sender when done (a scoped thread borrows what it uses, so nothing is dropped for it); the scope joins both before main receives.
import { scope } from "weft/thread";
import { mpsc, drop } from "weft/sync";

export function collect(first: string[], second: string[]): string[] {
  const [tx, rx] = mpsc.channel<string>();
  scope((s) => {
    const tx1 = tx.clone();
    s.spawn(() => {
      for (const msg of first) tx1.send(msg);
      drop(tx1); // a scoped thread borrows: drop the clone when done with it
    });
    const tx2 = tx.clone();
    s.spawn(() => {
      for (const msg of second) tx2.send(msg);
      drop(tx2);
    });
  });
  drop(tx);
  return [...rx];
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
