// fails: counts-every-word
// Leaves main's lineTx open and has the counter give up after 100 ms without a line: no hang, but when the readers are slow the counter quits early and their lines are never counted.
import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

export function countWords(files: string[][]): number {
  const [lineTx, lineRx] = mpsc.channel<string>();
  const [countTx, countRx] = mpsc.channel<number>();

  for (const file of files) {
    const tx = lineTx.clone();
    spawn(() => {
      for (const line of file) tx.send(line);
    });
  }

  spawn(() => {
    for (;;) {
      let line: string;
      try {
        line = lineRx.recvTimeout(100);
      } catch {
        break; // nothing for 100 ms: "the readers must be done"
      }
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
