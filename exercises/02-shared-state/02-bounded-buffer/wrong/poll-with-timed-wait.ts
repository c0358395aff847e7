// fails: no-busy-waiting
// Never notifies: each waiter polls with waitTimeout(items, 1), so it wakes only when its 1 ms runs out, and looks again. Every timed wait ends by its timer, not by another thread: a poll, not a sleep.
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

export function put(buffer: Arc<Buffer>, item: number): void {
  using items = buffer.items.lock();
  while (items.value.length >= buffer.capacity) buffer.notFull.waitTimeout(items, 1);
  items.value.push(item);
}

export function take(buffer: Arc<Buffer>): number {
  using items = buffer.items.lock();
  while (items.value.length === 0) buffer.notEmpty.waitTimeout(items, 1);
  const item = items.value.shift()!;
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
  const buffer = new Arc({ items: new Mutex<number[]>([]), notEmpty: new Condvar(), notFull: new Condvar(), capacity });
  let total = 0;
  for (const batch of batches) total += batch.length;

  const producers = [];
  for (const batch of batches) {
    const mine = buffer.clone();
    producers.push(
      spawn(() => {
        for (const item of batch) put(mine, item);
      }),
    );
  }
  const takers = [];
  for (let c = 0; c < consumers; c++) {
    const quota = Math.floor(total / consumers) + (c < total % consumers ? 1 : 0);
    const mine = buffer.clone();
    takers.push(
      spawn(() => {
        const taken = [];
        for (let i = 0; i < quota; i++) taken.push(take(mine));
        return taken;
      }),
    );
  }

  let most = 0;
  for (let look = 0; look < total; look++) {
    using items = buffer.items.lock();
    most = Math.max(most, items.value.length);
  }
  for (const producer of producers) producer.join();
  const taken = takers.map((taker) => taker.join());
  return { taken, most };
}

function main() {
  const { taken, most } = runBuffer(2, [[1, 2, 3, 4, 5], [101, 102, 103, 104, 105], [201, 202, 203, 204, 205]], 2);
  taken.forEach((items, c) => console.log(`Consumer ${c} took: ${items.join(", ")}`));
  console.log(`Most items seen in the buffer: ${most} (capacity 2)`);
}
