// fails: at-most-workers-threads
// Spawns a thread for every text, however many workers were asked for: with many texts, far too many threads.
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
  // Deal the texts out to the workers round-robin; each counts its own texts and returns its counts.
  const threads = texts.length;
  const handles = [];
  for (let w = 0; w < threads; w++) {
    const mine = texts.filter((_, i) => i % threads === w);
    handles.push(
      spawn(() => {
        const counts: Record<string, number> = {};
        for (const text of mine) {
          for (const [letter, n] of Object.entries(countLetters(text))) counts[letter] = (counts[letter] ?? 0) + n;
        }
        return counts;
      }),
    );
  }
  // Merge what the workers found.
  const total: Record<string, number> = {};
  for (const handle of handles) {
    for (const [letter, n] of Object.entries(handle.join())) total[letter] = (total[letter] ?? 0) + n;
  }
  return total;
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
