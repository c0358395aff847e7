import { check, count, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Counts = Record<string, number>;

const wordsOf = (text: string) => text.toLowerCase().match(/[a-z]+/g) ?? [];

function countWords(texts: string[]): Counts {
  const counts: Counts = {};
  for (const text of texts) for (const w of wordsOf(text)) counts[w] = (counts[w] ?? 0) + 1;
  return counts;
}

const VOCABULARY = ['fox', 'den', 'the', 'river', 'stone', 'weft', 'warp', 'loom', 'thread', 'knot', 'a', 'is'];
const pick = (t: CheckContext) => VOCABULARY[Math.floor(t.random() * VOCABULARY.length)]!;

/** Plain lowercase texts, one space between words: only how the counts are combined can go wrong with these. */
function plainTexts(t: CheckContext, n: number): string[] {
  return Array.from({ length: n }, () => Array.from({ length: 3 + Math.floor(t.random() * 6) }, () => pick(t)).join(' '));
}

/** One text with capitals, punctuation and apostrophes. */
function messyText(t: CheckContext): string {
  const parts: string[] = [];
  for (let i = 0; i < 14; i++) {
    let w = pick(t);
    const r = t.random();
    if (r < 0.25) w = w.toUpperCase();
    else if (r < 0.45) w = w[0]!.toUpperCase() + w.slice(1);
    parts.push(w + ([',', '!', "'s", '.', '', '', ''][Math.floor(t.random() * 7)] ?? ''));
  }
  // Digits and underscores are not letters: "weft2" is the word weft, "warp_knot" the words warp and knot.
  parts.push(`${pick(t)}${1 + Math.floor(t.random() * 9)}`, `${pick(t)}_${pick(t)}`);
  return parts.join(t.random() < 0.5 ? ' ' : '  ');
}

function countsOf(run: ProgramRun): Counts {
  const v = run.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) run.fail(`wordCount returned ${show(v)}: return a plain object from word to count, like { fox: 2 }`);
  return v as Counts;
}

function difference(got: Counts, expected: Counts): string {
  const words = [...new Set([...Object.keys(got), ...Object.keys(expected)])].filter((w) => got[w] !== expected[w]).slice(0, 4);
  return words.map((w) => `${JSON.stringify(w)}: ${got[w] ?? 0} instead of ${expected[w] ?? 0}`).join(', ');
}

export default [
  check('words-of-one-text', 'Words are runs of letters, case ignored', async (t) => {
    const text = messyText(t);
    const run = await t.call('wordCount', [[text]], { seed: t.seeds(1)[0]! });
    const got = countsOf(run);
    const expected = countWords([text]);
    if (sameData(got, expected)) return;
    run.fail(`for the text ${JSON.stringify(text)} wordCount counted ${difference(got, expected)}: a word is a run of letters a to z, lowercased ("The" and "the," are both "the"; "weft2" is "weft" and "warp_knot" is "warp" and "knot": digits and _ are not letters, as \\w counts them)`);
  }),

  check('same-for-any-split', 'The counts are right however the work is split', async (t) => {
    const texts = plainTexts(t, 40);
    const expected = countWords(texts);
    for (const seed of t.seeds(2)) {
      const run = await t.call('wordCount', [texts], { seed });
      const got = countsOf(run);
      if (sameData(got, expected)) continue;
      run.fail(
        `for ${count(texts.length)} texts counted in pieces, wordCount got ${difference(got, expected)}. ` +
          `Each piece starts from a fresh identity() and the pieces are merged two at a time: merge must add the counts up, and identity must return a new empty object each time`,
      );
    }
  }),

  check('uses-fold', 'A parallel iterator goes over the texts', async (t) => {
    const texts = plainTexts(t, 40);
    const run = await t.call('wordCount', [texts], { seed: t.seeds(1)[0]!, trace: true });
    const overAll = run.trace.parIterators().filter((p) => p.items === texts.length);
    if (overAll.length === 0) {
      run.fail(`no parallel iterator went over the ${count(texts.length)} texts: use parIter(texts) with fold and reduce`);
    }
    // What the iterator returned must be the counts: the trace keeps the numbers its result held (an object, a Map).
    // An iterator that hands back the words, or the texts, leaves the counting to a loop on the calling thread.
    const whole = overAll.find((p) => p.pieces === 1);
    if (whole !== undefined) {
      run.fail(
        `the parallel iterator over the ${count(texts.length)} texts did its work in one piece (withMinLen of the whole length, or the like): one accumulator, one thread, nothing for reduce to merge. ` +
          `Let weft split the texts: parIter(texts).fold(…).reduce(…)`,
        whole.line !== undefined ? { line: whole.line, column: 1 } : undefined,
      );
    }
    // Each piece the seed cut the texts into counts its own texts: as many distinct words as they hold. A piece that
    // holds every word while the others hold none (one item counting all the texts) left one thread doing it all.
    for (const p of overAll) {
      if (p.parts.length < 2) continue;
      const off = p.parts.find((part) => part.size !== undefined && part.size !== Object.keys(countWords(texts.slice(part.lo, part.hi))).length);
      if (off !== undefined) {
        const own = Object.keys(countWords(texts.slice(off.lo, off.hi))).length;
        run.fail(
          `the parallel iterator's work was cut into ${p.parts.length} pieces, and the piece of texts ${count(off.lo)} to ${count(off.hi - 1)} returned counts of ${count(off.size!)} words, ` +
            `though those texts hold ${count(own)} different words: ${off.size! > own ? 'it counted texts that were not its own' : 'it left its own texts out'}, so one item did the work of many. ` +
            `Let each text be folded into its own piece's counts: parIter(texts).fold(() => ({}), (counts, text) => …)`,
          p.line !== undefined ? { line: p.line, column: 1 } : undefined,
        );
      }
    }
    const counts = [...new Set(Object.values(countWords(texts)))];
    if (!overAll.some((p) => counts.every((n) => p.holds(n)))) {
      run.fail(
        `a parallel iterator went over the ${count(texts.length)} texts, but what it returned does not hold the word counts (${show(counts.slice(0, 6))}…): ` +
          `it handed back the words or the texts, and they were counted afterwards, outside it, on one thread. ` +
          `Count inside the iterator: parIter(texts).fold(() => ({}), (counts, text) => …).reduce(() => ({}), merge) returns the counts`,
        overAll[0]!.line !== undefined ? { line: overAll[0]!.line, column: 1 } : undefined,
      );
    }
    // The iterator must also do the counting: in a free run the trace says how long its pieces worked. Bigger texts,
    // counted here too for comparison: an iterator that only goes over the texts for show (count(), or collect() of
    // the texts themselves), with the words counted afterwards in a loop on the calling thread, works a tiny fraction
    // of that. The margin is wide, for a busy machine, and the smaller figure of two runs is taken: a thread taken off
    // its core mid-item makes one run of an iterator that counts nothing look busy.
    const big = Array.from({ length: 120 }, () => Array.from({ length: 1200 }, () => pick(t)).join(' '));
    let ours = Infinity;
    for (let k = 0; k < 3; k++) {
      const began = performance.now();
      countWords(big);
      ours = Math.min(ours, performance.now() - began);
    }
    let worked = Infinity;
    let last: ProgramRun | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      last = await t.call('wordCount', [big], { trace: true });
      const mostWork = Math.max(0, ...last.trace.parIterators().filter((p) => p.items === big.length && p.work !== undefined).map((p) => p.work!.totalMs));
      worked = Math.min(worked, mostWork);
    }
    if (worked < ours / 20) {
      last!.fail(
        `a parallel iterator went over ${count(big.length)} texts of ${count(1200)} words, but its pieces took ${worked.toFixed(2)} ms in all, ` +
          `while counting their words takes about ${ours.toFixed(1)} ms: the words were counted somewhere else, not by the iterator. ` +
          `Count inside the iterator: parIter(texts).fold(() => ({}), (counts, text) => …).reduce(() => ({}), merge)`,
      );
    }
  }),
];
