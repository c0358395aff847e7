// fails: loop-ends
// Keeps main's Sender, sleeps 50 ms to let the producers send, then drains what has arrived with tryRecv: it gets everything while the producers are quick, and loses what they had not sent yet when they are slow.
import { spawn, sleep } from "weft/thread";
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

  const tx2 = tx.clone();
  spawn(() => {
    for (const msg of second) tx2.send(msg);
  });
  // main sends nothing itself: drop its Sender, so the channel closes when both threads are done.
  drop(tx);

  sleep(50); // give the producers time to send everything
  const received = [];
  for (;;) {
    try {
      received.push(rx.tryRecv());
    } catch {
      break;
    }
  }
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
