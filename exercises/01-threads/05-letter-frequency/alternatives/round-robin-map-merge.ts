// Deals the texts round-robin into min(workers, texts) groups; each worker merges countLetters of its texts into a Map and returns it as an object; a merge() helper serves workers and caller.
import { spawn } from "weft/thread";

/** How often each letter occurs in `text`, lower-cased; anything that isn't a letter doesn't count. */
export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

function merge(into: Map<string, number>, from: Record<string, number>): void {
  for (const letter in from) into.set(letter, (into.get(letter) ?? 0) + from[letter]!);
}

export function frequency(texts: string[], workers: number): Record<string, number> {
  const n = Math.max(1, Math.min(workers, texts.length));
  const groups: string[][] = Array.from({ length: n }, () => []);
  texts.forEach((text, i) => groups[i % n]!.push(text));
  const handles = groups.map((group) => spawn(() => {
    const mine = new Map<string, number>();
    for (const text of group) merge(mine, countLetters(text));
    return Object.fromEntries(mine);
  }));
  const all = new Map<string, number>();
  for (const h of handles) merge(all, h.join());
  return Object.fromEntries(all);
}

function main() {
  console.log(frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!"], 2));
}
