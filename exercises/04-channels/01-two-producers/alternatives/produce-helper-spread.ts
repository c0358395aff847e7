// A produce() helper spawns a producer on a given Sender; main drops its own with drop(tx) and spreads the Receiver into an array.
import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";

function produce(tx: mpsc.Sender<string>, messages: string[]) {
  return spawn(() => {
    for (const m of messages) tx.send(m);
  });
}

export function collect(first: string[], second: string[]): string[] {
  const [tx, rx] = mpsc.channel<string>();
  const handles = [produce(tx.clone(), first), produce(tx.clone(), second)];
  drop(tx);
  const received = [...rx];
  for (const h of handles) h.join();
  console.log("Channel closed");
  return received;
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
