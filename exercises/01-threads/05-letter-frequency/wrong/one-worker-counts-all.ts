// fails: workers-do-the-counting
// Spawns min(workers, texts) threads that overlap, but hands every text to the first one: the others return empty counts. Exact counts, never more than workers threads, but one thread does all the counting.
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
  const n = Math.min(workers, Math.max(texts.length, 1));
  const handles = [];
  for (let w = 0; w < n; w++) {
    const mine = w === 0 ? texts : [];
    handles.push(spawn(() => {
      const c: Record<string, number> = {};
      for (const t of mine) for (const [l, k] of Object.entries(countLetters(t))) c[l] = (c[l] ?? 0) + k;
      return c;
    }));
  }
  const total: Record<string, number> = {};
  for (const h of handles) for (const [l, k] of Object.entries(h.join())) total[l] = (total[l] ?? 0) + k;
  return total;
}

function main() {
  console.log(frequency(["ab", "c"], 2));
}
