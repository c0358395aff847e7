// Each scoped thread returns a [sum, max] pair for an evenly spread slice; the pairs are combined with reduce.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  const parts = scope((s) =>
    Array.from({ length: k }, (_, i) =>
      s.spawn((): [number, number] => {
        const d = data.read();
        try {
          let sum = 0, best = Number.NEGATIVE_INFINITY;
          for (let j = Math.floor((i * d.value.length) / k); j < Math.floor(((i + 1) * d.value.length) / k); j++) {
            sum += d.value[j];
            if (d.value[j] > best) best = d.value[j];
          }
          return [sum, best];
        } finally {
          d.unlock();
        }
      }),
    ).map((h) => h.join()),
  );
  return parts.reduce((acc, [s, m]) => ({ total: acc.total + s, max: Math.max(acc.max, m) }), { total: 0, max: -Infinity });
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
