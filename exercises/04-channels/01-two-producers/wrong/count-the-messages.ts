// fails: channel-closes
// Keeps main's own Sender and receives exactly as many messages as the two lists hold: it ends, but only because collect knows how many will come; the channel never closes.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

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

  const received = [];
  for (let i = 0; i < first.length + second.length; i++) {
    received.push(rx.recv());
  }
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
