import { check, plural, sameData, show, type CheckContext } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

const PIECES = ['The', 'quick', 'BROWN', 'fox', 'jümps', 'ÖVER', 'the', 'lazy', 'dög', 'Ça', 'va', '42', 'ñandú', '—', 'e.g.', "it's", 'Zürich!', 'A', 'a', '1,000'];

function someTexts(t: CheckContext, n: number): string[] {
  return Array.from({ length: n }, () => Array.from({ length: 3 + Math.floor(t.random() * 6) }, () => PIECES[Math.floor(t.random() * PIECES.length)]).join(' '));
}

function reference(texts: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const ch of texts.join(' ').toLowerCase()) if (/\p{L}/u.test(ch)) counts[ch] = (counts[ch] ?? 0) + 1;
  return counts;
}

async function frequency(t: CheckContext, texts: string[], workers: number, request: { seed?: number; trace?: boolean }) {
  return t.call('frequency', [texts, workers], { timeoutMs: 30_000, ...request });
}

export default [
  check('exact-counts', 'Every letter is counted exactly, case-insensitively, and nothing else is', async (t) => {
    const cases: [number, number][] = [
      [7, 3],
      [0, 2],
    ];
    const seeds = t.seeds(cases.length);
    for (const [i, [n, workers]] of cases.entries()) {
      const texts = someTexts(t, n);
      const run = await frequency(t, texts, workers, { seed: seeds[i]! });
      const expected = reference(texts);
      if (!sameData(run.value, expected)) {
        run.fail(
          `for ${plural(texts.length, 'text')} ${show(texts, 3)} and ${plural(workers, 'worker')}, frequency returned ${show(run.value, 8)}, not ${show(expected, 8)}. ` +
            `Count letters only (\\p{L}), lower-case them first, and add up what every worker found`,
        );
      }
    }
  }, LOADED_GRADER),

  check('at-most-workers-threads', 'The texts are shared out among several threads, never more than workers', async (t) => {
    const texts = someTexts(t, 9);
    const workers = 3;
    const [seed] = t.seeds(1);
    const run = await frequency(t, texts, workers, { seed, trace: true });
    const spawned = run.trace.spawned().length;
    if (spawned > workers) run.fail(`for ${plural(texts.length, 'text')} and ${workers} workers, frequency spawned ${plural(spawned, 'thread')}: at most ${workers} may count`);
    if (spawned < 2) run.fail(`for ${plural(texts.length, 'text')} and ${workers} workers, frequency spawned ${plural(spawned, 'thread')}: share the texts out among the workers`);
  }, LOADED_GRADER),
];
