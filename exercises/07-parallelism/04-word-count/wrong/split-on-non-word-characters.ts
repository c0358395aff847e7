// fails: words-of-one-text
// Splits on /\W+/, which keeps digits and underscores in words: "weft2" is counted as a word of its own, "warp_knot" as one word, though a word is a run of letters a to z.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

export function wordCount(texts: string[]): Counts {
  return parIter(texts)
    .fold(() => ({}) as Counts, (acc, text) => {
      for (const w of text.toLowerCase().split(/\W+/)) if (w) acc[w] = (acc[w] ?? 0) + 1;
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
