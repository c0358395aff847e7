// fails: never-too-far-ahead
// Keeps the unbounded channel and slows the producer down with a sleep after each send instead: on a busy machine the consumer is slower still, and items pile up anyway.
import { spawn, sleep } from "weft/thread";
import { mpsc } from "weft/sync";

/** The consumer's work on one item: slow. Keep it as it is. */
export function consume(item: number): number {
  sleep(2);
  return item;
}

/**
 * A producer thread sends `items`, in order, to the caller, which consumes
 * them one by one. At most `capacity` items may wait in the channel between
 * them (0: the producer hands each item over in person). Returns what the
 * consumer consumed, in order.
 */
export function transfer(items: number[], capacity: number): number[] {
  // TODO: nothing stops the producer from running ahead of the consumer.
  const [tx, rx] = mpsc.channel<number>();
  spawn(() => {
    for (const item of items) {
      tx.send(item);
      sleep(1); // let the consumer keep up
    }
  });
  const consumed: number[] = [];
  for (const item of rx) consumed.push(consume(item));
  return consumed;
}

function main() {
  const consumed = transfer([1, 2, 3, 4, 5, 6, 7, 8], 2);
  console.log(`Consumed: ${consumed.join(", ")}`);
}
