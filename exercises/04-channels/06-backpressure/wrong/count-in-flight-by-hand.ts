// fails: never-too-far-ahead
// Keeps the unbounded channel and counts the items in flight in an atomic, spinning while more than capacity are out: the count is off by one (> instead of >=), and the channel itself does no waiting.
import { spawn, sleep } from "weft/thread";
import { mpsc, Arc, AtomicU32 } from "weft/sync";

/** The consumer's work on one item: slow. Keep it as it is. */
export function consume(item: number): number {
  sleep(2);
  return item;
}

export function transfer(items: number[], capacity: number): number[] {
  const [tx, rx] = mpsc.channel<number>();
  const inFlight = new Arc(new AtomicU32(0));
  const mine = inFlight.clone();
  spawn(() => {
    for (const item of items) {
      while (mine.load() > capacity) {}
      mine.fetchAdd(1);
      tx.send(item);
    }
  });
  const consumed: number[] = [];
  for (const item of rx) { inFlight.fetchSub(1); consumed.push(consume(item)); }
  return consumed;
}

function main() {
  const consumed = transfer([1, 2, 3, 4, 5, 6, 7, 8], 2);
  console.log(`Consumed: ${consumed.join(", ")}`);
}
