import { parIter } from "weft/par";

type Counts = Record<string, number>;

function addText(counts: Counts, text: string): Counts {
  for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) counts[word] = (counts[word] ?? 0) + 1;
  return counts;
}
function mergeInto(a: Counts, b: Counts): Counts {
  for (const [word, n] of Object.entries(b)) a[word] = (a[word] ?? 0) + n;
  return a;
}
export function wordCount(texts: string[]): Counts {
  return parIter(texts).fold(() => ({}) as Counts, addText).reduce(() => ({}) as Counts, mergeInto);
}
function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
