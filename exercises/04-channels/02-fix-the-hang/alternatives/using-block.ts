// Holds main's lines Sender in a `using` block around the readers' spawns: it is disposed when the block ends.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

/**
 * Counts the words in several files, as a small pipeline: one reader thread
 * per file sends the file's lines, a counter thread turns each line into its
 * number of words, and the caller adds the numbers up.
 */
export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();

  // The readers: one per file, each with its own clone of main's Sender, which is disposed when the block ends.
  {
    using mainTx = lineTx;
    for (const file of files) {
      const tx = mainTx.clone();
      spawn(() => {
        for (const line of file) tx.send(line);
      });
    }
  }

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
