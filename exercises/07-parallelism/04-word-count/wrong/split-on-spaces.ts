// fails: words-of-one-text
// Splits the texts on spaces: punctuation stays on the words and case is kept, so "FOX!" and "fox," are counted as different words from "fox".
import { parIter } from "weft/par";

type Counts = Record<string, number>;

/** How many times each word appears across `texts` (letters a-z, case ignored), counted in parallel. */
export function wordCount(texts: string[]): Counts {
  return parIter(texts)
    .fold(
      (): Counts => ({}),
      (counts, text) => {
        for (const word of text.split(" ")) if (word !== "") counts[word] = (counts[word] ?? 0) + 1; // keeps "FOX!" and "fox," as words
        return counts;
      },
    )
    .reduce(
      (): Counts => ({}),
      (a, b) => {
        for (const [word, n] of Object.entries(b)) a[word] = (a[word] ?? 0) + n;
        return a;
      },
    );
}

function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
