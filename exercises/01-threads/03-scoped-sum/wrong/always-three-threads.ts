// fails: k-threads-read-the-data
// Always uses three threads, whatever k is.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  const n = 3;
  const size = Math.ceil(values.length / n);
  return scope((s) => {
    const hs = [];
    for (let i = 0; i < n; i++) {
      hs.push(s.spawn(() => {
        using d = data.read();
        const part = d.value.slice(i * size, (i + 1) * size);
        return { total: part.reduce((a, b) => a + b, 0), max: Math.max(...part) };
      }));
    }
    const parts = hs.map((h) => h.join());
    return { total: parts.reduce((a, p) => a + p.total, 0), max: Math.max(...parts.map((p) => p.max)) };
  });
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
