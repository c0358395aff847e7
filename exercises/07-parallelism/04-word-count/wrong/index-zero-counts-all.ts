// fails: uses-fold
// Folds over the indices, and index 0 counts every text while the others add nothing: the pieces are cut, but one item does all the counting.
import { range } from "weft/par";

type Counts = Record<string, number>;

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

/** Index 0 counts every text; the other indices add nothing to their piece's accumulator. */
export function wordCount(texts: string[]): Counts {
  return range(0, texts.length)
    .fold(
      (): Counts => ({}),
      (counts, i) => {
        if (i !== 0) return counts;
        for (const text of texts) for (const word of wordsOf(text)) counts[word] = (counts[word] ?? 0) + 1;
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
  console.log(wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]));
}
