import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** The words of a text: runs of letters a-z, lowercased. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  // Each text becomes its own counts (map), and the counts are merged into new objects (reduce).
  return parIter(texts)
    .map((text) => {
      const counts: Counts = {};
      for (const word of wordsOf(text)) counts[word] = (counts[word] ?? 0) + 1;
      return counts;
    })
    .reduce(
      () => ({}),
      (a, b) => {
        const merged: Counts = { ...a };
        for (const [word, n] of Object.entries(b)) merged[word] = (merged[word] ?? 0) + n;
        return merged;
      },
    );
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
