// Shares the RwLock through an Arc with plain spawned threads instead of a scope, and joins every handle.
import { spawn } from "weft/thread";
import { Arc, RwLock } from "weft/sync";

export function sumAndMax(values: number[], k: number): { total: number; max: number } {
  const data = new Arc(new RwLock(values));
  const handles = [];
  for (let i = 0; i < k; i++) {
    const mine = data.clone();
    const from = Math.floor((i * values.length) / k);
    const to = Math.floor(((i + 1) * values.length) / k);
    handles.push(spawn(() => {
      using d = mine.read();
      const part = d.value.slice(from, to);
      return { total: part.reduce((a, b) => a + b, 0), max: part.length ? Math.max(...part) : -Infinity };
    }));
  }
  const parts = handles.map((h) => h.join());
  return { total: parts.reduce((a, p) => a + p.total, 0), max: Math.max(...parts.map((p) => p.max)) };
}

function main() {
  const { total, max } = sumAndMax([3, -1, 4, 1, -5, 9, 2, 6], 3);
  console.log(`Total: ${total}, max: ${max}`);
}
