// fails: k-threads-read-the-data
// Spawns one thread per value instead of one per slice: k is the number of threads the caller asked for.
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
    const handles = values.map((_, j) =>
      s.spawn(() => {
        using d = data.read();
        return d.value[j]!;
      }),
    );
    const parts = handles.map((h) => h.join());
    return { total: parts.reduce((a, b) => a + b, 0), max: Math.max(...parts) };
  });
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
