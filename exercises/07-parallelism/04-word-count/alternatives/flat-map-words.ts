import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** The words of a text: runs of letters a-z, lowercased. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  // Every word of every text as one parallel stream of items, folded into counts per piece.
  return parIter(texts)
    .flatMap((text) => wordsOf(text))
    .fold(
      (): Counts => ({}),
      (counts, word) => {
        counts[word] = (counts[word] ?? 0) + 1;
        return counts;
      },
    )
    .reduce(
      (): Counts => ({}),
      (a, b) => {
        const merged: Counts = { ...a };
        for (const word of Object.keys(b)) merged[word] = (merged[word] ?? 0) + b[word]!;
        return merged;
      },
    );
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
