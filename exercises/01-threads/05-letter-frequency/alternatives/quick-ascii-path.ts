// Each worker joins its texts and counts them in one call, with a quick path for plain a-z letters: the quickest honest workers, still counting on their own threads.
import { spawn } from "weft/thread";

export function countLetters(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  const letter = /\p{L}/u;
  for (const ch of text.toLowerCase()) {
    if ((ch < "a" || ch > "z") && !letter.test(ch)) continue;
    counts[ch] = (counts[ch] ?? 0) + 1;
  }
  return counts;
}

export function frequency(texts: string[], workers: number): Record<string, number> {
  const threads = Math.min(workers, texts.length);
  const size = Math.ceil(texts.length / Math.max(1, threads));
  const handles = [];
  for (let w = 0; w < threads; w++) {
    const mine = texts.slice(w * size, (w + 1) * size);
    handles.push(spawn(() => countLetters(mine.join(" "))));
  }
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
