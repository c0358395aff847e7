// fails: at-most-workers-threads
// Joins each worker right after spawning it: the workers count one after another.
import { spawn } from "weft/thread";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

export function frequency(texts: string[], workers: number): Record<string, number> {
  const n = Math.min(workers, texts.length);
  const total: Record<string, number> = {};
  for (let w = 0; w < n; w++) {
    const mine = texts.filter((_, i) => i % n === w);
    const counts = spawn(() => mine.map(countLetters)).join();
    for (const c of counts) for (const [k, v] of Object.entries(c)) total[k] = (total[k] ?? 0) + v;
  }
  return total;
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
