// Contiguous slices, a shared Arc<Mutex> total that each worker merges into once, and scope-free spawn/join.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

export function frequency(texts: string[], workers: number): Record<string, number> {
  const total = new Arc(new Mutex<Record<string, number>>({}));
  const n = Math.max(1, Math.min(workers, texts.length));
  const size = Math.ceil(texts.length / n);
  const hs = [];
  for (let start = 0; start < texts.length; start += size) {
    const slice = texts.slice(start, start + size);
    const mine = total.clone();
    hs.push(spawn(() => {
      const local: Record<string, number> = {};
      for (const t of slice) for (const [k, v] of Object.entries(countLetters(t))) local[k] = (local[k] ?? 0) + v;
      using g = mine.lock();
      for (const [k, v] of Object.entries(local)) g.value[k] = (g.value[k] ?? 0) + v;
    }));
  }
  for (const h of hs) h.join();
  using g = total.lock();
  return { ...g.value };
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
