// fails: keeps-the-pipeline
// Removes the counter thread and counts the words in main: it no longer hangs, but the pipeline is gone.
import { spawn } from "weft/thread";
import { mpsc, drop } from "weft/sync";

/**
 * Counts the words in several files, as a small pipeline: one reader thread
 * per file sends the file's lines, a counter thread turns each line into its
 * number of words, and the caller adds the numbers up.
 */
export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();

  // The readers: one per file, each with its own clone of lineTx.
  for (const file of files) {
    const tx = lineTx.clone();
    spawn(() => {
      for (const line of file) tx.send(line);
    });
  }

  drop(lineTx);
  let total = 0;
  for (const line of lineRx) {
    total += line.split(" ").filter((word) => word !== "").length;
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
