import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** The words of a text: runs of letters a-z, lowercased. */
function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel into Maps. */
export function wordCount(texts: string[]): Counts {
  const merged = parIter(texts)
    .fold(
      () => new Map<string, number>(), // each piece gets its own Map
      (counts, text) => {
        for (const word of wordsOf(text)) counts.set(word, (counts.get(word) ?? 0) + 1);
        return counts;
      },
    )
    .reduce(
      () => new Map<string, number>(),
      (a, b) => {
        // merge the smaller Map into the larger one
        const [big, small] = a.size >= b.size ? [a, b] : [b, a];
        for (const [word, n] of small) big.set(word, (big.get(word) ?? 0) + n);
        return big;
      },
    );
  return Object.fromEntries(merged); // the plain object the checks expect
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
