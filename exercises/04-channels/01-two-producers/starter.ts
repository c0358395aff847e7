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

  // TODO: a second thread that sends the messages of `second` on the same channel

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
