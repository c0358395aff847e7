/**
 * Rayon's `ParallelString` (rayon::str) and slice `par_split`, as free
 * functions, weft's way for sources (`parIter(xs)`): `parChars(s)` is
 * Rust's `s.par_chars()`.
 *
 * Rayon: https://docs.rs/rayon/latest/rayon/str/trait.ParallelString.html
 *
 * A pattern is what Rust's `Pattern` is: a string (one character, Rust's
 * `char`, or longer, Rust's `&str`), an array of characters (Rust's
 * `&[char]`: any of them), or a closure `(c) => boolean` on one character.
 * Characters are Unicode code points, as Rust's `char` (so an emoji is one).
 *
 * Where JavaScript makes a difference: weft cuts the string (or array) on
 * the calling thread, then hands the pieces to the pool, where Rayon also
 * cuts in parallel; so a closure pattern runs on the calling thread. The
 * items are the same, in the same order. Indices (`parCharIndices`,
 * `parMatchIndices`) are JavaScript string indices (UTF-16 code units, what
 * `s.slice` takes), where Rust's are UTF-8 byte offsets: equal for ASCII.
 */
import { parIter, type ParallelIterator } from './iter.ts';

/** Rust's `Pattern`: one character or a longer string, any character of an array, or a test on one character. */
export type Pattern = string | readonly string[] | ((c: string) => boolean);

function text(s: unknown, api: string): string {
  if (typeof s !== 'string') throw new TypeError(`${api} expects a string, but got ${s === null ? 'null' : typeof s}`);
  return s;
}

/**
 * The matches of `pattern` in `s`, in order, as [start, end) string
 * indices, not overlapping (as Rust's `match_indices`). An empty string
 * pattern matches at every character boundary, as in Rust.
 */
function matchesOf(s: string, pattern: Pattern, api: string): [number, number][] {
  const out: [number, number][] = [];
  if (typeof pattern === 'string') {
    if (pattern === '') {
      for (let i = 0; i <= s.length; ) {
        out.push([i, i]);
        if (i === s.length) break;
        i += s.codePointAt(i)! > 0xffff ? 2 : 1;
      }
      return out;
    }
    for (let i = s.indexOf(pattern); i >= 0; i = s.indexOf(pattern, i + pattern.length)) out.push([i, i + pattern.length]);
    return out;
  }
  let test: (c: string) => boolean;
  if (Array.isArray(pattern)) {
    const set = new Set<string>(pattern);
    test = (c) => set.has(c);
  } else if (typeof pattern === 'function') {
    test = pattern as (c: string) => boolean;
  } else {
    throw new TypeError(`${api} expects a pattern: a string, an array of characters or a closure (c) => boolean, but got ${pattern === null ? 'null' : typeof pattern}`);
  }
  for (let i = 0; i < s.length; ) {
    const c = String.fromCodePoint(s.codePointAt(i)!);
    if (test(c)) out.push([i, i + c.length]);
    i += c.length;
  }
  return out;
}

/** The pieces of `s` between the matches of `pattern` (Rust's `str::split`). */
function splitOf(s: string, pattern: Pattern, api: string): string[] {
  const out: string[] = [];
  let from = 0;
  for (const [start, end] of matchesOf(s, pattern, api)) {
    out.push(s.slice(from, start));
    from = end;
  }
  out.push(s.slice(from));
  return out;
}

/** The characters (code points) of `s` (Rayon's `par_chars`). */
export function parChars(s: string): ParallelIterator<string> {
  return parIter(Array.from(text(s, 'parChars')));
}

/** `[index, character]` for each character of `s` (Rayon's `par_char_indices`; the index is a JavaScript string index, see above). */
export function parCharIndices(s: string): ParallelIterator<[number, string]> {
  const out: [number, string][] = [];
  let i = 0;
  for (const c of text(s, 'parCharIndices')) {
    out.push([i, c]);
    i += c.length;
  }
  return parIter(out);
}

/** The UTF-8 bytes of `s`, as numbers 0-255 (Rayon's `par_bytes`: Rust strings are UTF-8). */
export function parBytes(s: string): ParallelIterator<number> {
  return parIter(Array.from(new TextEncoder().encode(text(s, 'parBytes'))));
}

/** The UTF-16 code units of `s` (Rayon's `par_encode_utf16`). */
export function parEncodeUtf16(s: string): ParallelIterator<number> {
  const t = text(s, 'parEncodeUtf16');
  return parIter(Array.from({ length: t.length }, (_, i) => t.charCodeAt(i)));
}

/**
 * The pieces of `s` between the matches of `pattern` (Rayon's
 * `ParallelString::par_split`); or, given an array and a closure, the
 * runs of items between those for which `separator(item)` is true (Rayon's
 * `ParallelSlice::par_split`), as arrays. Either way there is one more
 * piece than there are separators, empty ones included, as in Rust.
 */
export function parSplit(s: string, pattern: Pattern): ParallelIterator<string>;
export function parSplit<T>(items: readonly T[], separator: (item: T) => boolean): ParallelIterator<T[]>;
export function parSplit<T>(s: string | readonly T[], pattern: Pattern | ((item: T) => boolean)): ParallelIterator<string> | ParallelIterator<T[]> {
  if (Array.isArray(s)) {
    if (typeof pattern !== 'function') throw new TypeError('parSplit of an array expects a closure (item) => boolean that is true for the separators');
    const isSeparator = pattern as (item: T) => boolean;
    const out: T[][] = [[]];
    for (const x of s as readonly T[]) {
      if (isSeparator(x)) out.push([]);
      else out[out.length - 1]!.push(x);
    }
    return parIter(out);
  }
  return parIter(splitOf(text(s, 'parSplit'), pattern as Pattern, 'parSplit'));
}

/** `parSplit`, but an empty last piece (after a final separator, or of an empty string) is left out (Rayon's `par_split_terminator`). */
export function parSplitTerminator(s: string, terminator: Pattern): ParallelIterator<string> {
  const pieces = splitOf(text(s, 'parSplitTerminator'), terminator, 'parSplitTerminator');
  if (pieces.at(-1) === '') pieces.pop();
  return parIter(pieces);
}

/** The lines of `s`, without their `\n` or `\r\n`; a final line ending makes no empty line (Rayon's `par_lines`). */
export function parLines(s: string): ParallelIterator<string> {
  const pieces = splitOf(text(s, 'parLines'), '\n', 'parLines');
  if (pieces.at(-1) === '') pieces.pop();
  return parIter(pieces.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line)));
}

/** The words of `s`: the pieces between runs of Unicode whitespace, empty ones left out (Rayon's `par_split_whitespace`). */
export function parSplitWhitespace(s: string): ParallelIterator<string> {
  return parIter(text(s, 'parSplitWhitespace').split(/\p{White_Space}+/u).filter((w) => w !== ''));
}

/** The substrings of `s` that match `pattern`, in order (Rayon's `par_matches`). */
export function parMatches(s: string, pattern: Pattern): ParallelIterator<string> {
  const t = text(s, 'parMatches');
  return parIter(matchesOf(t, pattern, 'parMatches').map(([a, b]) => t.slice(a, b)));
}

/** `[index, match]` for each match of `pattern` in `s`, in order (Rayon's `par_match_indices`; a JavaScript string index). */
export function parMatchIndices(s: string, pattern: Pattern): ParallelIterator<[number, string]> {
  const t = text(s, 'parMatchIndices');
  return parIter(matchesOf(t, pattern, 'parMatchIndices').map(([a, b]): [number, string] => [a, t.slice(a, b)]));
}
