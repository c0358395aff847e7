// fails: same-for-any-split
// Merges the pieces' counts with object spread, { ...a, ...b }: for a word counted in both pieces, b's count replaces a's instead of adding to it.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** The words of a text: runs of letters a-z, lowercased. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  return parIter(texts)
    .fold(
      (): Counts => ({}),
      (counts, text) => {
        for (const word of wordsOf(text)) counts[word] = (counts[word] ?? 0) + 1;
        return counts;
      },
    )
    .reduce(
      (): Counts => ({}),
      (a, b) => ({ ...a, ...b }), // a word in both pieces keeps only b's count
    );
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
