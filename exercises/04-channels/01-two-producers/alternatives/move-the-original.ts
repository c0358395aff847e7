// Gives the first producer a clone and moves main's own Sender into the second: main then has no Sender left to drop.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

export function collect(first: string[], second: string[]): string[] {
  const [tx, rx] = mpsc.channel<string>();
  const tx1 = tx.clone();
  spawn(() => first.forEach((msg) => tx1.send(msg)));
  spawn(() => second.forEach((msg) => tx.send(msg)));
  return [...rx];
}

function main() {
  const received = collect(["a1", "a2", "a3"], ["b1", "b2", "b3"]);
  console.log(`Got: ${received.join(", ")}`);
  console.log("Channel closed");
}
