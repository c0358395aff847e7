// fails: threads-do-the-work
// Thread 0 goes through every value; the others each read the first value of their slice for show and hand back a part of it alone. Every thread reads the data, and the answer is exact, but one thread does all the work.
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  const size = Math.ceil(values.length / k);
  const parts = scope((s) => {
    const hs = [];
    for (let t = 0; t < k; t++) {
      hs.push(s.spawn(() => {
        using d = data.read();
        if (t !== 0) {
          const first = d.value[t * size];
          return { total: 0, max: first ?? -Infinity };
        }
        let total = 0, max = -Infinity;
        for (const x of d.value) { total += x; if (x > max) max = x; }
        return { total, max };
      }));
    }
    return hs.map((h) => h.join());
  });
  return { total: parts.reduce((a, p) => a + p.total, 0), max: Math.max(...parts.map((p) => p.max)) };
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
