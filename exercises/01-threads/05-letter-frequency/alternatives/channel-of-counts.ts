import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";

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
  // Contiguous chunks of texts, one per worker; the workers send their counts back on a channel.
  const threads = Math.min(workers, texts.length);
  const size = Math.ceil(texts.length / Math.max(1, threads));
  const [tx, rx] = mpsc.channel<Record<string, number>>();
  for (let w = 0; w < threads; w++) {
    const chunk = texts.slice(w * size, (w + 1) * size);
    const mine = tx.clone();
    spawn(() => {
      const counts: Record<string, number> = {};
      for (const [letter, n] of Object.entries(countLetters(chunk.join(" ")))) counts[letter] = n;
      mine.send(counts);
    });
  }
  tx.send({}); // main's own Sender sends nothing useful and then goes
  const total: Record<string, number> = {};
  for (let received = 0; received <= threads; received++) {
    for (const [letter, n] of Object.entries(rx.recv())) total[letter] = (total[letter] ?? 0) + n;
  }
  return total;
}

function main() {
  const counts = frequency(["Freude schöner Götterfunken", "Tochter aus Elysium!", "Wir betreten feuertrunken, 1785"], 2);
  console.log(Object.entries(counts).sort().map(([letter, n]) => `${letter}:${n}`).join(" "));
}
