// fails: uses-fold
// Splits each text into its words with a parallel iterator, then counts the words in a loop on the calling thread: the pool does the splitting, but the counting, what fold and reduce are for, is not shared out.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  const words = parIter(texts)
    .map((text) => text.toLowerCase().match(/[a-z]+/g) ?? [])
    .collect();
  const counts: Counts = {};
  for (const list of words) for (const word of list) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
