/**
 * The map from type-stripped code back to the reader's source, computed here
 * instead of taken from sucrase.
 *
 * Sucrase's own map goes wrong for the rest of the file after an empty
 * template span (`${x}` at the end of a template literal, which is common):
 * every later column maps to the same place
 * (https://github.com/alangpierce/sucrase/issues/825, open). Since sucrase
 * keeps every line where it was and only deletes type syntax (plus a few
 * insertions for enums and parameter properties), each output line is aligned
 * with the same source line token by token: each output token is matched to
 * the next equal token of the source line. Deleted types are skipped over;
 * inserted code finds no match and gets no mapping.
 */
import type { RawSourceMap } from './source-map.ts';

/** Words (identifiers, keywords, numbers) whole; any other non-space character alone. */
const TOKEN = /[\p{ID_Continue}$\u200c\u200d]+|\S/gu;

function tokens(line: string): { text: string; column: number }[] {
  return Array.from(line.matchAll(TOKEN), (match) => ({ text: match[0], column: match.index }));
}

/** A decoded source map (plain arrays, so it stays JSON) from `stripped` to `source`, one segment per token. */
export function alignLines(source: string, stripped: string, sourceName: string): RawSourceMap {
  const sourceLines = source.split('\n');
  const mappings = stripped.split('\n').map((outputLine, line) => {
    const candidates = tokens(sourceLines[line] ?? '');
    const segments: [number, number, number, number][] = [];
    let next = 0;
    for (const token of tokens(outputLine)) {
      let match = next;
      while (match < candidates.length && candidates[match]!.text !== token.text) match++;
      if (match === candidates.length) continue; // inserted by sucrase
      segments.push([token.column, 0, line, candidates[match]!.column]);
      next = match + 1;
    }
    return segments;
  });
  return { version: 3, sources: [sourceName], names: [], mappings };
}
