// Joins every reader before dropping main's lineTx: the readers' clones are gone by then, and main's was the last.
import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";

/**
 * Counts the words in several files, as a small pipeline: one reader thread
 * per file sends the file's lines, a counter thread turns each line into its
 * number of words, and the caller adds the numbers up.
 */
export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();

  // The readers: one per file, each with its own clone of lineTx.
  const readers = files.map((file) => {
    const tx = lineTx.clone();
    return spawn(() => {
      for (const line of file) tx.send(line);
    });
  });
  for (const reader of readers) reader.join(); // every reader is done: its clone is gone
  // Every reader has its clone now. main's own lineTx would keep the lines channel open
  // forever, so the counter would never finish, and neither would the loop below.
  drop(lineTx);

  // The counter: one count per line, until the lines run out.
  spawn(() => {
    for (const line of lineRx) {
      const words = line.split(" ").filter((word) => word !== "").length;
      countTx.send(words);
    }
  });

  let total = 0;
  for (const words of countRx) {
    total += words;
  }
  return total;
}

function main() {
  const files = [
    ["the quick brown fox", "jumps over"],
    ["the lazy dog", "", "and runs away"],
  ];
  console.log(`Words: ${countWords(files)}`);
}
