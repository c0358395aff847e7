// Clones lineTx for every reader but the last, which takes main's own Sender: nothing is left in main to keep the channel open.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();

  files.forEach((file, i) => {
    if (i < files.length - 1) {
      const tx = lineTx.clone();
      spawn(() => file.forEach((line) => tx.send(line)));
    } else {
      spawn(() => file.forEach((line) => lineTx.send(line)));
    }
  });
  if (files.length === 0) lineTx.drop();

  spawn(() => {
    for (const line of lineRx) countTx.send(line.split(" ").filter((word) => word !== "").length);
  });

  return [...countRx].reduce((a, b) => a + b, 0);
}

function main() {
  const files = [
    ["the quick brown fox", "jumps over"],
    ["the lazy dog", "", "and runs away"],
  ];
  console.log(`Words: ${countWords(files)}`);
}
