// fails: two-producers-one-channel
// Gives each producer a channel of its own and drains one after the other: every message arrives, but the two threads don't share a channel, and nothing from the second is received until the first is done.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

/**
 * Sends the messages of `first` from one thread and those of `second` from
 * another, over one channel, and returns every message in the order they
 * were received.
 */
export function collect(first: string[], second: string[]): string[] {
  const [tx1, rx1] = mpsc.channel<string>();
  const [tx2, rx2] = mpsc.channel<string>();

  spawn(() => {
    for (const msg of first) tx1.send(msg);
  });
  spawn(() => {
    for (const msg of second) tx2.send(msg);
  });

  const received = [];
  for (const msg of rx1) {
    received.push(msg);
  }
  for (const msg of rx2) {
    received.push(msg);
  }
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
