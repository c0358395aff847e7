import { parIter } from "weft/par";

type Counts = Record<string, number>;

export function wordCount(texts: string[]): Counts {
  return parIter(texts)
    .fold(
      (): Counts => Object.create(null),
      (acc, text) => {
        const words = text.toLowerCase().split(/[^a-z]+/);
        for (const w of words) if (w !== "") acc[w] = (acc[w] || 0) + 1;
        return acc;
      },
    )
    .reduce(
      (): Counts => ({}),
      (a, b) => {
        const [big, small] = Object.keys(a).length >= Object.keys(b).length ? [a, b] : [b, a];
        const out: Counts = { ...big };
        for (const w in small) out[w] = (out[w] ?? 0) + small[w]!;
        return out;
      },
    );
}
function main() {
  const counts = wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]);
  console.log(Object.entries(counts).sort().map(([w, n]) => `${w}: ${n}`).join(", "));
}
