// Balanced slices from a bounds() helper (the first n % k slices one longer), each thread copies its slice under the guard; the parts are folded into locals captured by the scope's closure.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

function bounds(n: number, k: number, i: number): [number, number] {
  const base = Math.floor(n / k), extra = n % k;
  const start = i * base + Math.min(i, extra);
  return [start, start + base + (i < extra ? 1 : 0)];
}

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  let total = 0;
  let max = Number.NEGATIVE_INFINITY;
  scope((s) => {
    const handles = Array.from({ length: k }, (_, i) => s.spawn(() => {
      const [a, b] = bounds(values.length, k, i);
      using guard = data.read();
      const slice = guard.value.slice(a, b);
      return { total: slice.reduce((x, y) => x + y, 0), max: slice.reduce((x, y) => Math.max(x, y), -Infinity) };
    }));
    for (const h of handles) {
      const part = h.join();
      total += part.total;
      max = Math.max(max, part.max);
    }
  });
  return { total, max };
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
