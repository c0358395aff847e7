// fails: never-too-far-ahead
// Makes capacity 0 a channel with room for one, to be safe: the producer never gets more than one item ahead, but it drops its last item into the channel and finishes without waiting for the consumer to take it. At capacity 0 each send must wait for its receive.
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
  // A bounded channel: a send into a full channel waits until the consumer takes an item.
  // syncChannel(0) holds nothing: each send waits for the consumer's recv (a rendezvous).
  const [tx, rx] = mpsc.syncChannel<number>(Math.max(capacity, 1));
  spawn(() => {
    for (const item of items) tx.send(item);
  });
  const consumed: number[] = [];
  for (const item of rx) consumed.push(consume(item));
  return consumed;
}

function main() {
  const consumed = transfer([1, 2, 3, 4, 5, 6, 7, 8], 2);
  console.log(`Consumed: ${consumed.join(", ")}`);
}
