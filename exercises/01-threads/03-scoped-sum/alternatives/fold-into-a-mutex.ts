import { scope } from "weft/thread";
import { Mutex, RwLock } from "weft/sync";

/**
 * The sum and the largest of `values`, worked out by `k` scoped threads,
 * each over its own slice of the values.
 */
export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  // The values live in one RwLock that every thread reads; no Arc needed inside a scope.
  const data = new RwLock(values);
  // The threads fold their results into one Mutex that they borrow, as they borrow the data.
  const result = new Mutex({ total: 0, max: -Infinity });
  const size = Math.ceil(values.length / k);
  scope((s) => {
    for (let start = 0, i = 0; i < k; i++, start += size) {
      const from = Math.min(values.length, start);
      const to = Math.min(values.length, start + size);
      s.spawn(() => {
        let total = 0;
        let max = -Infinity;
        {
          using d = data.read();
          for (const v of d.value.slice(from, to)) {
            total += v;
            if (v > max) max = v;
          }
        }
        using r = result.lock();
        r.value = { total: r.value.total + total, max: Math.max(r.value.max, max) };
      });
    }
  }); // every thread has ended here
  using r = result.lock();
  return r.value;
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
