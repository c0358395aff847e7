// fails: k-threads-read-the-data
// Joins each scoped thread right after spawning it: k threads, but one at a time.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  const size = Math.ceil(values.length / k);
  return scope((s) => {
    let total = 0, max = -Infinity;
    for (let i = 0; i < k; i++) {
      const part = s.spawn(() => {
        using d = data.read();
        const p = d.value.slice(i * size, (i + 1) * size);
        return { total: p.reduce((a, b) => a + b, 0), max: Math.max(...p) };
      }).join();
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
