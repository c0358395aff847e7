import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  // Sequential for now: make it a parallel fold, then a reduce that merges the pieces' counts.
  const counts: Counts = {};
  for (const text of texts) {
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) counts[word] = (counts[word] ?? 0) + 1;
  }
  return counts;
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
