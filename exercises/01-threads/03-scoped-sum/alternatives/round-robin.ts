import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

/**
 * The sum and the largest of `values`, worked out by `k` scoped threads,
 * each over its own slice of the values.
 */
export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  // The values live in one RwLock that every thread reads; no Arc needed inside a scope.
  const data = new RwLock(values);
  // Deal the values out round-robin: thread i takes indexes i, i + k, i + 2k, …
  const parts = scope((s) =>
    Array.from({ length: k }, (_, i) =>
      s.spawn(() => {
        using d = data.read();
        let total = 0;
        let max = -Infinity;
        for (let j = i; j < d.value.length; j += k) {
          total += d.value[j]!;
          max = Math.max(max, d.value[j]!);
        }
        return { total, max };
      }),
    ).map((handle) => handle.join()),
  );
  return { total: parts.reduce((sum, p) => sum + p.total, 0), max: Math.max(...parts.map((p) => p.max)) };
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
