import { check, count, plural, referenceMs, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

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

/** The same counts, the quickest way we know (a plain a-z letter skips the regular expression): the reference for how long counting takes. */
function quickCount(texts: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const letter = /\p{L}/u;
  for (const text of texts) {
    for (const ch of text.toLowerCase()) {
      if ((ch < 'a' || ch > 'z') && !letter.test(ch)) continue;
      counts[ch] = (counts[ch] ?? 0) + 1;
    }
  }
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

  check('at-most-workers-threads', 'The texts are shared out among several threads that count at the same time, never more than workers', async (t) => {
    // Two worker counts, 3 and 1, so that a fixed number of threads shows; whether two threads ever counted at once
    // depends on the schedule, so up to two more schedules are asked before saying they never overlapped.
    const texts = someTexts(t, 9);
    const seeds = t.seeds(4);
    let most = 0;
    let line: number | undefined;
    for (const [i, seed] of seeds.entries()) {
      const workers = i === 1 ? 1 : 3;
      const run = await frequency(t, texts, workers, { seed, trace: true });
      const spawned = run.trace.spawned();
      if (spawned.length > workers) run.fail(`for ${plural(texts.length, 'text')} and ${plural(workers, 'worker')}, frequency spawned ${plural(spawned.length, 'thread')}: at most ${workers} may count ("workers" is the most threads it may use)`);
      if (spawned.length < Math.min(2, workers)) run.fail(`for ${plural(texts.length, 'text')} and ${plural(workers, 'worker')}, frequency spawned ${plural(spawned.length, 'thread')}: share the texts out among the workers`);
      most = Math.max(most, run.trace.mostAliveAtOnce());
      line ??= spawned[0]?.line;
      if (i >= 1 && most >= 2) return;
    }
    t.fail(
      `in ${seeds.length} schedules, frequency never had two of its threads counting at once: each thread ended before the next one was spawned. ` +
        `Spawn every worker first, then join them (a join right after each spawn counts the texts one worker after another)`,
      line === undefined ? undefined : { line, column: 1 },
    );
  }, LOADED_GRADER),

  check('workers-do-the-counting', 'The worker threads do the counting, not the caller', async (t) => {
    // A thread can hand back through join() counts the caller worked out before spawning it. Long texts show who
    // counted them: in a free run the trace says how long each thread worked (blocked time left out). Each of the two
    // workers has about 200,000 characters: counting them takes 5 ms or more here even the quickest way (a plain a-z
    // letter skipping the regular expression), 50 ms the starter's way, where a thread that only returns ready counts
    // works some microseconds. The bar, 1 ms, is a fixed one, not a measure of this machine: a grader busy with other
    // work would measure a reference too slow. The smaller figure of two runs is taken: a thread taken off its core can
    // look busy once.
    const texts = Array.from({ length: 80 }, () => someTexts(t, 180).join(' '));
    const workers = 2;
    const least = 1;
    let worked = Infinity;
    let everyWorkerCounted = false;
    let idle: { thread: string; workMs: number } | undefined;
    let last: ProgramRun | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      last = await frequency(t, texts, workers, { trace: true });
      worked = Math.min(worked, Math.max(0, ...last.trace.threadWork().map((w) => w.workMs)));
      // With two workers, each has about half the texts: one worker that counts them all while the other returns
      // empty counts is not sharing the texts out. Once is enough: a worker can be quick once, on a warm cache.
      const spawned = new Set(last.trace.spawned().map((s) => s.threadId));
      const work = last.trace.threadWork().filter((w) => spawned.has(w.threadId));
      const idlest = work.reduce<(typeof work)[number] | undefined>((a, w) => (a === undefined || w.workMs < a.workMs ? w : a), undefined);
      if (idlest === undefined || work.length < 2 || idlest.workMs >= least) everyWorkerCounted = true;
      else if (idle === undefined || idlest.workMs < idle.workMs) idle = idlest;
    }
    if (worked >= least && !everyWorkerCounted && idle !== undefined) {
      const line = last!.trace.spawned()[0]?.line;
      last!.fail(
        `for ${plural(texts.length, 'text')} and ${plural(workers, 'worker')}, ${idle.thread} worked only ${idle.workMs.toFixed(2)} ms while another worker did the counting: ` +
          `share the texts out so that every worker counts its own part of them (about ${plural(Math.ceil(texts.length / workers), 'text')} each here)`,
        line === undefined ? undefined : { line, column: 1 },
      );
    }
    if (worked < least) {
      const characters = texts.reduce((n, text) => n + text.length, 0);
      const ours = referenceMs(() => quickCount(texts));
      const line = last!.trace.spawned()[0]?.line;
      last!.fail(
        `for ${plural(texts.length, 'text')} of ${count(characters)} characters in all and ${plural(workers, 'worker')}, none of the threads worked more than ${worked.toFixed(2)} ms, ` +
          `while counting those texts takes about ${ours.toFixed(1)} ms here: the letters were counted before the threads, not by them. ` +
          `Call countLetters inside each worker's closure, on its own texts, and return that worker's counts`,
        line === undefined ? undefined : { line, column: 1 },
      );
    }
  }, LOADED_GRADER),
];
