// Each worker returns sorted [letter, count] pairs; the caller flattens and reduces them.
import { spawn } from "weft/thread";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

/** Each worker returns its counts as [letter, count] pairs sorted by letter; the caller reduces them. */
export function frequency(texts: string[], workers: number): Record<string, number> {
  const threads = Math.min(workers, texts.length);
  const handles = Array.from({ length: threads }, (_, w) => {
    const mine: string[] = [];
    for (let i = w; i < texts.length; i += threads) mine.push(texts[i]!);
    return spawn(() => {
      const merged = mine.map(countLetters).reduce<Record<string, number>>((acc, c) => {
        for (const key in c) acc[key] = (acc[key] ?? 0) + c[key]!;
        return acc;
      }, {});
      return Object.entries(merged).sort(([a], [b]) => (a < b ? -1 : 1));
    });
  });
  return handles.map((h) => h.join()).flat().reduce<Record<string, number>>((acc, [letter, k]) => {
    acc[letter] = (acc[letter] ?? 0) + k;
    return acc;
  }, {});
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
