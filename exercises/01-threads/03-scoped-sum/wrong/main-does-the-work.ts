// fails: k-threads-read-the-data
// Spawns the k threads but has them do nothing, and works out the sum and the maximum on main: the answer is right, the threads are for show.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

/**
 * The sum and the largest of `values`, worked out by `k` scoped threads,
 * each over its own slice of the values.
 */
export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  // The values live in one RwLock that every thread reads; no Arc needed inside a scope.
  const data = new RwLock(values);
  return scope((s) => {
    for (let i = 0; i < k; i++) s.spawn(() => 0);
    let total = 0;
    let max = -Infinity;
    for (const v of values) {
      total += v;
      max = Math.max(max, v);
    }
    return { total, max };
  });
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
