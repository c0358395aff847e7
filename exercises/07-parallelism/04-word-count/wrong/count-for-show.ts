// fails: uses-fold
// Counts the texts with a parallel iterator for show (parIter(texts).count()) and the words in a plain loop on the calling thread: the iterator goes over the texts, but does none of the work.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** The words of a text: runs of letters a-z, lowercased. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  const n = parIter(texts).count(); // the texts, in parallel
  const counts: Counts = {};
  for (let i = 0; i < n; i++) for (const word of wordsOf(texts[i]!)) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
