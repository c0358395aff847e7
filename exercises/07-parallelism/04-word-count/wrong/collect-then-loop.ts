// fails: uses-fold
// Lowercases the texts with a parallel iterator and collects them, then counts every word in a loop on the calling thread: the counting, the work itself, is not shared out.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** The words of a text: runs of letters a-z, lowercased. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  const lowered = parIter(texts).map((text) => text.toLowerCase()).collect();
  const counts: Counts = {};
  for (const text of lowered) for (const word of text.match(/[a-z]+/g) ?? []) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
