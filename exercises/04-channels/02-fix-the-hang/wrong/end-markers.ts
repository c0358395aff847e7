// fails: every-thread-ends
// Leaves main's lineTx alive and has each reader send an end marker; the counter breaks out after one marker per file. Every thread ends and the total is right, but the lines channel never closes: the hang is dodged, not fixed.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();
  for (const file of files) {
    const tx = lineTx.clone();
    spawn(() => {
      for (const line of file) tx.send(line);
      tx.send("\u0000eof");
    });
  }
  const readers = files.length;
  spawn(() => {
    let ended = 0;
    for (const line of lineRx) {
      if (line === "\u0000eof") { if (++ended === readers) break; continue; }
      countTx.send(line.split(" ").filter((word) => word !== "").length);
    }
  });
  let total = 0;
  for (const words of countRx) total += words;
  return total;
}

function main() {
  const files = [
    ["the quick brown fox", "jumps over"],
    ["the lazy dog", "", "and runs away"],
  ];
  console.log(`Words: ${countWords(files)}`);
}
