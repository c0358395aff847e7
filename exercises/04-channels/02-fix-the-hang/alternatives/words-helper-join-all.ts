// Drops main's lineTx with lineTx.drop() right after the readers are spawned, counts words in a helper, and joins the readers and the counter after the total.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

function wordsIn(line: string): number {
  return line.split(" ").filter((word) => word !== "").length;
}

export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();
  const readers = files.map((file) => {
    const tx = lineTx.clone();
    return spawn(() => {
      for (const line of file) tx.send(line);
    });
  });
  lineTx.drop();
  const counter = spawn(() => {
    for (const line of lineRx) countTx.send(wordsIn(line));
  });
  let total = 0;
  for (const words of countRx) total += words;
  readers.forEach((r) => r.join());
  counter.join();
  return total;
}

function main() {
  const files = [
    ["the quick brown fox", "jumps over"],
    ["the lazy dog", "", "and runs away"],
  ];
  console.log(`Words: ${countWords(files)}`);
}
