// Each thread copies the data with structuredClone under a short read lock, then works through its own slice of the copy.
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
          // A private copy of the data (structuredClone), so the read lock is let go before the work.
          let copy: number[];
          {
            using d = data.read();
            copy = structuredClone(d.value);
          }
          let total = 0;
          let max = -Infinity;
          for (const v of copy.slice(from, to)) {
            total += v;
            max = Math.max(max, v);
          }
          return { total, max };
        }),
      );
    }
    let total = 0;
    let max = -Infinity;
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
