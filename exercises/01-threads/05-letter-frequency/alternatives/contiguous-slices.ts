import { spawn } from "weft/thread";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

/**
 * How often each letter occurs in all of `texts` together, counted by at
 * most `workers` threads.
 */
export function frequency(texts: string[], workers: number): Record<string, number> {
  // Contiguous slices, one per worker: the first texts to the first worker, and so on.
  const size = Math.ceil(texts.length / Math.max(1, workers));
  const handles = [];
  for (let from = 0; from < texts.length; from += size) {
    const slice = texts.slice(from, from + size);
    handles.push(
      spawn(() => {
        const counts = new Map<string, number>();
        for (const text of slice) for (const [letter, n] of Object.entries(countLetters(text))) counts.set(letter, (counts.get(letter) ?? 0) + n);
        return [...counts];
      }),
    );
  }
  const total: Record<string, number> = {};
  for (const handle of handles) for (const [letter, n] of handle.join()) total[letter] = (total[letter] ?? 0) + n;
  return total;
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
