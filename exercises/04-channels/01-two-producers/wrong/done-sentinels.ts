// fails: channel-closes
// Each producer sends a made-up "done" message last, and main breaks out of the loop after the second one: the loop ends, but main still holds its Sender, so the channel never closed.
import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";

export function collect(first: string[], second: string[]): string[] {
  const [tx, rx] = mpsc.channel<string>();
  const tx1 = tx.clone();
  const tx2 = tx.clone();
  spawn(() => { for (const msg of first) tx1.send(msg); tx1.send("\u0000done"); });
  spawn(() => { for (const msg of second) tx2.send(msg); tx2.send("\u0000done"); });
  const received = [];
  let done = 0;
  for (const msg of rx) {
    if (msg === "\u0000done") { if (++done === 2) break; continue; }
    received.push(msg);
  }
  console.log("Channel closed");
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
