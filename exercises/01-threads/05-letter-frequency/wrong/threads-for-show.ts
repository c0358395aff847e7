// fails: workers-do-the-counting
// Counts every text on the calling thread, then deals the ready counts out to the workers, which only hand them back through join(): the right number of threads, the right counts, but the threads count nothing.
import { spawn } from "weft/thread";

export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of text.toLowerCase()) {
    if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

export function frequency(texts: string[], workers: number): Record<string, number> {
  const threads = Math.min(workers, texts.length);
  const partials: Record<string, number>[] = [];
  for (let w = 0; w < threads; w++) {
    const counts: Record<string, number> = {};
    texts.forEach((text, i) => {
      if (i % threads !== w) return;
      for (const [letter, n] of Object.entries(countLetters(text))) counts[letter] = (counts[letter] ?? 0) + n;
    });
    partials.push(counts);
  }
  const handles = partials.map((counts) => spawn(() => counts));
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
