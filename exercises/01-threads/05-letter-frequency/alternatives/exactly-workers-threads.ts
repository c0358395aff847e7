// Always spawns exactly `workers` threads, even when some get no text, and merges with a Map.
import { builder } from "weft/thread";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

export function frequency(texts: string[], workers: number): Record<string, number> {
  const hs = [];
  for (let w = 0; w < workers; w++) {
    const mine: string[] = [];
    for (let i = w; i < texts.length; i += workers) mine.push(texts[i]);
    hs.push(builder().name(`worker ${w}`).spawn(() => mine.map(countLetters)));
  }
  const merged = new Map<string, number>();
  for (const h of hs) for (const c of h.join()) for (const [k, v] of Object.entries(c)) merged.set(k, (merged.get(k) ?? 0) + v);
  return Object.fromEntries(merged);
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
