// A bump() helper runs its own compare-exchange loop (retrying with the value compareExchange found) for each counter.
import { spawn } from "weft/thread";
import { Arc, AtomicU32 } from "weft/sync";

/** A web server's statistics, shared by its worker threads. */
interface Stats {
  /** How many requests have been served. */
  requests: AtomicU32;
  /** How many bytes the served requests sent, in all. */
  bytes: AtomicU32;
}

function bump(cell: AtomicU32, by: number): number {
  let seen = cell.load();
  for (;;) {
    const r = cell.compareExchange(seen, seen + by);
    if (r.ok) return seen;
    seen = r.value;
  }
}

export function record(stats: Arc<Stats>, size: number): number {
  const number = bump(stats.requests, 1);
  bump(stats.bytes, size);
  return number;
}

// ---- You don't need to change anything below this line. ----

/**
 * Starts one worker thread per list of request sizes; each records its
 * requests, one after the other. Returns the totals once every worker is
 * done, and the numbers `record` gave each worker's requests.
 */
export function serve(workers: number[][]): { requests: number; bytes: number; numbers: number[][] } {
  const stats = new Arc({ requests: new AtomicU32(0), bytes: new AtomicU32(0) });
  const handles = [];
  for (const sizes of workers) {
    const mine = stats.clone();
    handles.push(spawn(() => sizes.map((size) => record(mine, size))));
  }
  const numbers = handles.map((handle) => handle.join());
  return { requests: stats.requests.load(), bytes: stats.bytes.load(), numbers };
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
