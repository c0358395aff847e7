// fails: exact-total-and-max
// Starts each maximum at 0 instead of at the first value (or -Infinity): when every value is negative, the maximum comes out as 0.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

/**
 * The sum and the largest of `values`, worked out by `k` scoped threads,
 * each over its own slice of the values.
 */
export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  // The values live in one RwLock that every thread reads; no Arc needed inside a scope.
  const data = new RwLock(values);
  const size = Math.ceil(values.length / k); // round up, so the last slice takes the remainder
  return scope((s) => {
    const handles = [];
    for (let i = 0; i < k; i++) {
      const from = Math.min(values.length, i * size);
      const to = Math.min(values.length, from + size);
      // A scoped thread borrows `data`: the scope joins every thread before it returns, so the borrow can't outlive it.
      handles.push(
        s.spawn(() => {
          using d = data.read();
          let total = 0;
          let max = 0;
          for (let j = from; j < to; j++) {
            total += d.value[j]!;
            max = Math.max(max, d.value[j]!);
          }
          return { total, max };
        }),
      );
    }
    let total = 0;
    let max = 0;
    for (const handle of handles) {
      const part = handle.join();
      total += part.total;
      max = Math.max(max, part.max);
    }
    return { total, max };
  });
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
