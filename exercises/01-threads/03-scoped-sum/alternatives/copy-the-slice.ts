// Each thread copies its slice out of the read guard in one call, then works on its own plain array.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  const size = Math.ceil(values.length / k);
  const parts = scope((s) => {
    const handles = Array.from({ length: k }, (_, i) =>
      s.spawn(() => {
        let slice: number[];
        {
          using d = data.read();
          slice = d.value.slice(i * size, (i + 1) * size);
        }
        let total = 0;
        let max = -Infinity;
        for (const v of slice) {
          total += v;
          if (v > max) max = v;
        }
        return { total, max };
      }),
    );
    return handles.map((h) => h.join());
  });
  return { total: parts.reduce((a, p) => a + p.total, 0), max: Math.max(...parts.map((p) => p.max)) };
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
