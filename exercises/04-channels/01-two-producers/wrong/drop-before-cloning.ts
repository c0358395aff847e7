// fails: receives-everything
// Drops main's Sender before cloning it for the second thread: using a dropped Sender throws "use of dropped value".
import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";

/**
 * Sends the messages of `first` from one thread and those of `second` from
 * another, over one channel, and returns every message in the order they
 * were received.
 */
export function collect(first: string[], second: string[]): string[] {
  const [tx, rx] = mpsc.channel<string>();

  const tx1 = tx.clone();
  spawn(() => {
    for (const msg of first) tx1.send(msg);
  });
  drop(tx);

  const tx2 = tx.clone();
  spawn(() => {
    for (const msg of second) tx2.send(msg);
  });

  const received = [];
  for (const msg of rx) {
    received.push(msg);
  }
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
