// fails: receives-everything
// Keeps main's Sender and ends the loop when nothing arrives for 100 ms: it works while the producers are quick, and loses their messages when they are slow.
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
  for (;;) {
    try {
      received.push(rx.recvTimeout(100));
    } catch {
      break; // nothing for 100 ms: "they must be done"
    }
  }
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
