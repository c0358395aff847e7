// fails: uses-fold
// Folds and reduces, but withMinLen(texts.length) keeps the texts in one piece: one accumulator counts everything on one thread, and reduce has nothing to merge.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

export function wordCount(texts: string[]): Counts {
  return parIter(texts)
    .withMinLen(texts.length)
    .fold(() => ({}) as Counts, (acc, text) => {
      for (const w of text.toLowerCase().match(/[a-z]+/g) ?? []) acc[w] = (acc[w] ?? 0) + 1;
      return acc;
    })
    .reduce(() => ({}) as Counts, (a, b) => {
      const out = { ...a };
      for (const [w, n] of Object.entries(b)) out[w] = (out[w] ?? 0) + n;
      return out;
    });
}
function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
