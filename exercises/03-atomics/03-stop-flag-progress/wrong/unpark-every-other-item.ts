// fails: reporter-sleeps
// Unparks the reporter only after every other item: the progress still goes up and ends right, but half the news waits asleep.
import { spawn, park } from "weft/thread";
import { Arc, AtomicBool, AtomicU32 } from "weft/sync";

/** One item of work: how many steps of the Collatz rule take `n` down to 1. */
export function work(n: number): number {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

/**
 * Works through `items` on main while a reporter thread shows the progress.
 * The user presses Cancel on the reporter's `cancelAt`-th progress line.
 * Returns the results of the items main finished, in order, and every
 * progress count the reporter showed.
 */
export function runJob(items: number[], cancelAt: number): { results: number[]; reports: number[] } {
  const done = new Arc(new AtomicU32(0)); // how many items main has finished
  const stop = new Arc(new AtomicBool(false)); // set by the reporter when the user cancels
  const finished = new Arc(new AtomicBool(false)); // set by main when it stops working

  // The reporter: shows the progress each time it wakes up, until main has finished.
  const seen = done.clone();
  const cancel = stop.clone();
  const over = finished.clone();
  const reporter = spawn(() => {
    const reports: number[] = [];
    for (;;) {
      const n = seen.load();
      reports.push(n);
      if (reports.length === cancelAt) cancel.store(true); // the user pressed Cancel
      if (over.load()) break;
      park(); // sleeps until main unparks it (or returns at once if it already did)
    }
    return reports;
  });

  // The work, on main.
  const results: number[] = [];
  for (const [i, item] of items.entries()) {
    if (stop.load()) break;
    results.push(work(item));
    done.fetchAdd(1);
    if (i % 2 === 1) reporter.thread().unpark(); // every other item is news enough
  }
  finished.store(true);
  reporter.thread().unpark(); // after `finished`, so the reporter sees it when it wakes
  const reports = reporter.join();
  return { results, reports };
}

function main() {
  const items = [27, 97, 871, 6171, 77031, 837799, 1161, 2223, 3711, 35655];
  const all = runJob(items, 1000);
  console.log(`Finished ${all.results.length} of ${items.length} items; progress shown: ${all.reports.join(", ")}`);
  const cancelled = runJob(items, 3);
  console.log(`Cancelled after ${cancelled.results.length} of ${items.length} items; progress shown: ${cancelled.reports.join(", ")}`);
}
