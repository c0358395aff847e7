// Counts each text on its own (map), then adds the per-text counts up with reduce; the identity is a new object each time.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

const wordsOf = (text: string): string[] => text.toLowerCase().match(/[a-z]+/g) ?? [];

function countOne(text: string): Counts {
  const counts: Counts = {};
  for (const word of wordsOf(text)) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}

export function wordCount(texts: string[]): Counts {
  return parIter(texts)
    .map(countOne)
    .reduce(
      () => ({}),
      (a: Counts, b: Counts) => {
        const out: Counts = { ...a };
        for (const word of Object.keys(b)) out[word] = (out[word] ?? 0) + b[word]!;
        return out;
      },
    );
}

function main() {
  console.log(wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]));
}
