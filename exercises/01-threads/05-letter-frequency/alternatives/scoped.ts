import { scope } from "weft/thread";

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
  // Scoped threads, each over every workers-th text; the scope joins them all.
  const threads = Math.min(workers, texts.length);
  const parts = scope((s) =>
    Array.from({ length: threads }, (_, w) => s.spawn(() => countLetters(texts.filter((_, i) => i % threads === w).join("\n")))).map((h) => h.join()),
  );
  const total: Record<string, number> = {};
  for (const part of parts) for (const letter in part) total[letter] = (total[letter] ?? 0) + part[letter]!;
  return total;
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
