// Folds each piece's texts into a Map, merges the pieces' Maps with reduceWith, and turns the result into a plain object.
import { parIter } from "weft/par";

type Counts = Record<string, number>;

function wordsOf(text: string): string[] {
  return text.toLowerCase().match(/[a-z]+/g) ?? [];
}

function merged(a: Map<string, number>, b: Map<string, number>): Map<string, number> {
  for (const [word, n] of b) a.set(word, (a.get(word) ?? 0) + n);
  return a;
}

export function wordCount(texts: string[]): Counts {
  const counts =
    parIter(texts)
      .fold(
        () => new Map<string, number>(),
        (map, text) => {
          for (const word of wordsOf(text)) map.set(word, (map.get(word) ?? 0) + 1);
          return map;
        },
      )
      .reduceWith(merged) ?? new Map<string, number>();
  return Object.fromEntries(counts);
}

function main() {
  console.log(wordCount(["The fox's den, the FOX!", "A fox and a den.", "the end"]));
}
