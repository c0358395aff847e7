// Spawns the readers from a helper that takes the Sender and drops it when done, and counts with recv() until the channel reports it is closed.
import { spawn } from "weft/thread";
import { mpsc, drop, RecvError } from "weft/sync";

/** Starts one reader per file, each with a clone of `lines`, then drops `lines` itself. */
function startReaders(files: string[][], lines: mpsc.Sender<string>): void {
  for (const file of files) {
    const tx = lines.clone();
    spawn(() => {
      for (const line of file) tx.send(line);
    });
  }
  drop(lines);
}

export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();
  startReaders(files, lineTx);

  spawn(() => {
    for (const line of lineRx) {
      let words = 0;
      for (const word of line.split(" ")) if (word.length > 0) words++;
      countTx.send(words);
    }
  });

  let total = 0;
  for (;;) {
    try {
      total += countRx.recv();
    } catch (error) {
      if (error instanceof RecvError) return total;
      throw error;
    }
  }
}

function main() {
  const files = [
    ["the quick brown fox", "jumps over"],
    ["the lazy dog", "", "and runs away"],
  ];
  console.log(`Words: ${countWords(files)}`);
}
