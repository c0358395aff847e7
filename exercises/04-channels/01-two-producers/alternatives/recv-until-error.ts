// Receives with recv() until it throws RecvError, which it does once both producers are done and main's Sender is dropped: the same end as for (const msg of rx).
import { spawn } from "weft/thread";
import { mpsc, drop, RecvError } from "weft/sync";

export function collect(first: string[], second: string[]): string[] {
  const [tx, rx] = mpsc.channel<string>();
  for (const messages of [first, second]) {
    const mine = tx.clone();
    spawn(() => {
      for (const msg of messages) mine.send(msg);
    });
  }
  drop(tx);
  const received: string[] = [];
  for (;;) {
    try {
      received.push(rx.recv());
    } catch (error) {
      if (error instanceof RecvError) break;
      throw error;
    }
  }
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
