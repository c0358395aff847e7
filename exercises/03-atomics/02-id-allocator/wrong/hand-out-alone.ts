// fails: threads-call-allocate
// Hands the ids out on the calling thread, one call after another, and has each thread only return the ids it was given: no id goes twice and none wraps, because nothing runs at the same time and allocate is never called.
import { spawn } from "weft/thread";
import { Arc, AtomicU32 } from "weft/sync";

/**
 * Hands out the next free id: `next` holds it. Ids go up to `end - 1`;
 * once they are all taken, this returns undefined, on every later call.
 * `end` is at most 4,294,967,295, the largest number an AtomicU32 holds.
 */
export function allocate(next: Arc<AtomicU32>, end: number): number | undefined {
  // Add 1 only while the id is below `end`: a compare-exchange loop that gives up, leaving the counter at `end`.
  const taken = next.fetchUpdate((id) => (id < end ? id + 1 : undefined));
  return taken.ok ? taken.value : undefined;
}

// ---- You don't need to change anything below this line. ----

/**
 * Starts `workers` threads on one counter that starts at `first`; each
 * calls `allocate` `callsEach` times. Returns what each worker got, in
 * order, with null for each call that got no id.
 */
export function handOut(first: number, end: number, workers: number, callsEach: number): (number | null)[][] {
  // Every call answered here, one after another; the threads only hand their ids back.
  let next = first;
  const lists = Array.from({ length: workers }, () => Array.from({ length: callsEach }, () => (next < end ? next++ : null)));
  const handles = lists.map((got) => spawn(() => got));
  return handles.map((handle) => handle.join());
}

function main() {
  // Ids 100 to 109, and 14 calls: the last 4 calls must get nothing.
  const got = handOut(100, 110, 2, 7);
  got.forEach((ids, w) => console.log(`Worker ${w} got: ${ids.map((id) => id ?? "none").join(", ")}`));
  // Near the top of a u32: ids 4294967290 to 4294967294, and 8 calls.
  const top = handOut(4294967290, 4294967295, 2, 4);
  top.forEach((ids, w) => console.log(`Worker ${w} got: ${ids.map((id) => id ?? "none").join(", ")}`));
}
