// Contiguous slices, each worker counting into a Map that join() brings back; the caller merges the Maps into a plain object.
import { spawn } from "weft/thread";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

/** Counts in a Map on each worker (contiguous slices), merged by the caller into a plain object. */
export function frequency(texts: string[], workers: number): Record<string, number> {
  const n = Math.max(1, Math.min(workers, texts.length));
  const size = Math.ceil(texts.length / n);
  const handles = [];
  for (let start = 0; start < texts.length; start += size) {
    const slice = texts.slice(start, start + size);
    handles.push(spawn(() => {
      const counts = new Map<string, number>();
      for (const text of slice) for (const [letter, k] of Object.entries(countLetters(text))) counts.set(letter, (counts.get(letter) ?? 0) + k);
      return counts;
    }));
  }
  const total: Record<string, number> = {};
  for (const h of handles) for (const [letter, k] of h.join()) total[letter] = (total[letter] ?? 0) + k;
  return total;
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
