import { check, count, multisetDiff, plural, referenceMs, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** A few chunks of small whole numbers, some empty, chosen by the check's own generator. */
function someChunks(t: CheckContext, count: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(t.random() * 6) }, () => Math.floor(t.random() * 100) - 20));
}

const sequentialSums = (chunks: number[][]) => chunks.map((chunk) => chunk.reduce((a, b) => a + b, 0));

export default [
  check('returns-every-sum', 'Returns the sum of every chunk, in chunk order', async (t) => {
    const cases = [[[1, 2, 3], [10, 20], [], [5]], someChunks(t, 5), someChunks(t, 7)];
    const seeds = t.seeds(cases.length);
    for (const [i, chunks] of cases.entries()) {
      const expected = sequentialSums(chunks);
      // Free, where short threads often end in the order they were spawned, then under a schedule where they need not:
      // sums gathered as the threads finish come out in chunk order only by luck.
      for (const seed of [undefined, seeds[i]]) {
        const run = await t.call('sumChunks', [chunks], seed === undefined ? {} : { seed });
        if (!sameData(run.value, expected)) {
          run.fail(`sumChunks(${show(chunks)}) returned ${show(run.value)}, expected ${show(expected)}`);
        }
      }
    }
  }),

  check('sums-come-through-join', "Each thread adds up its chunk and hands the sum back through join()", async (t) => {
    // What main returns could be worked out anywhere; the trace shows what each thread returned to its join().
    const chunks = someChunks(t, 6);
    const expected = sequentialSums(chunks);
    const [seed] = t.seeds(1);
    const run = await t.call('sumChunks', [chunks], { seed, trace: true });
    const spawned = new Set(run.trace.spawned().map((s) => s.threadId));
    const joined = run.trace.joins().filter((j) => spawned.has(j.threadId));
    if (joined.length < spawned.size) {
      run.fail(
        `sumChunks joined ${plural(joined.length, 'thread')} of the ${plural(spawned.size, 'thread')} it spawned: ` +
          `wait for every thread with join() (a sleep, or reading a shared array, only hopes the threads are done) and take its sum from what join() returns`,
      );
    }
    // A thread may hand back its sum alone, or with its chunk's index ({ index, sum } or [index, sum]): the sum is
    // looked for inside what join() returned, each expected sum taken once.
    const unclaimed = [...expected];
    const returned = joined.map((j) => {
      if (j.value !== undefined) return j.value;
      const at = unclaimed.findIndex((sum) => j.holds(sum));
      return at < 0 ? undefined : unclaimed.splice(at, 1)[0];
    });
    if (returned.some((v) => v === undefined)) {
      run.fail(
        `for ${show(chunks)} some of the threads handed back through join() something that holds none of the sums ${show(expected)}: ` +
          `each thread should return its chunk's sum (a number, or an object or array that holds it), so that join() brings the sum back`,
      );
    }
    const { missing, extra } = multisetDiff(returned, expected);
    if (missing.length > 0 || extra.length > 0) {
      run.fail(
        `for ${show(chunks)} the threads handed ${show(returned)} back through join(), expected the sums ${show(expected)} (in any order): ` +
          `each thread should add up its own chunk and return the sum, so that join() brings it back`,
      );
    }
  }),

  check('threads-do-the-adding', 'The threads do the adding, not the caller', async (t) => {
    // A thread can hand back through join() a sum the caller worked out before spawning it. A chunk of three million
    // numbers shows who added it up: in a free run the trace says how long each thread worked (blocked time left out).
    // A loop adds a number in 0.7 ns or more here (an index loop; reduce is slower), so that chunk's thread works two
    // milliseconds or more, where a thread that only returns a ready sum works some microseconds (0.15 ms at most,
    // measured). The bar, 0.3 ms (0.1 ns a number: a loop on a machine several times faster than this one still clears
    // it), is a fixed one, not a measure of this machine: a grader busy with other work would measure a reference too
    // slow. The smaller figure of two runs is taken: a thread taken off its core can look busy once.
    const big = Array.from({ length: 3_000_000 }, () => Math.floor(t.random() * 100) - 20);
    const chunks = [...someChunks(t, 2), big, ...someChunks(t, 2)];
    const least = 0.3;
    const bigSum = big.reduce((a, b) => a + b, 0);
    let bigStoodOut = false;
    let alike: { bigWork: number; othersMost: number } | undefined;
    let worked = Infinity;
    let last: ProgramRun | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      last = await t.call('sumChunks', [chunks], { trace: true, timeoutMs: 30_000 });
      // Threads nobody joined are stopped when the run ends, before they could add much: their time says nothing
      // about who did the adding. Not joining is the join check's to explain ("joined 0 threads of the 5").
      const spawned = new Set(last.trace.spawned().map((s) => s.threadId));
      if (last.trace.joins().filter((j) => spawned.has(j.threadId)).length < spawned.size) return;
      const work = last.trace.threadWork().filter((w) => spawned.has(w.threadId));
      worked = Math.min(worked, Math.max(0, ...work.map((w) => w.workMs)));
      // The thread that handed back the big chunk's sum is the one that should have worked: the others had a few
      // numbers each. Threads that all keep busy alike (a spin, a sleep-free wait) around a sum ready before they
      // started show no such difference. Once is enough: a small chunk's thread can look busy once, on a cold worker.
      const bigThread = last.trace.joins().find((j) => spawned.has(j.threadId) && j.holds(bigSum))?.threadId;
      const bigWork = work.find((w) => w.threadId === bigThread)?.workMs ?? 0;
      const othersMost = Math.max(0, ...work.filter((w) => w.threadId !== bigThread).map((w) => w.workMs));
      if (bigThread === undefined || bigWork >= 2 * othersMost) bigStoodOut = true;
      else if (othersMost > 0) alike = { bigWork, othersMost };
    }
    if (worked >= least && !bigStoodOut && alike !== undefined) {
      const line = last!.trace.spawned()[0]?.line;
      last!.fail(
        `sumChunks was given ${plural(chunks.length, 'chunk')}, one of ${count(big.length)} numbers and the others of 6 or fewer, ` +
          `but the thread that handed back the big chunk's sum worked ${alike.bigWork.toFixed(2)} ms, no longer than a thread with a few numbers to add (${alike.othersMost.toFixed(2)} ms): ` +
          `the threads kept busy, but the sums were worked out before them. Move the adding into the closure you spawn, so that each thread adds up its own chunk and returns the sum`,
        line === undefined ? undefined : { line, column: 1 },
      );
    }
    if (worked < least) {
      const ours = referenceMs(() => sequentialSums(chunks));
      const line = last!.trace.spawned()[0]?.line;
      last!.fail(
        `sumChunks was given ${plural(chunks.length, 'chunk')}, one of ${count(big.length)} numbers, but none of its threads worked more than ${worked.toFixed(2)} ms, ` +
          `while adding that chunk up takes about ${ours.toFixed(1)} ms here: the sums were worked out before the threads, not by them. ` +
          `Move the adding into the closure you spawn, so that each thread adds up its own chunk and returns the sum`,
        line === undefined ? undefined : { line, column: 1 },
      );
    }
  }),

  check('one-thread-per-chunk', 'Spawns one thread per chunk', async (t) => {
    // An empty chunk among them: its sum is 0, but it still gets its own thread.
    const chunks = someChunks(t, 5);
    chunks.splice(2, 0, []);
    const run = await t.call('sumChunks', [chunks], { trace: true });
    const spawned = run.trace.spawned().length;
    if (spawned !== chunks.length) {
      run.fail(
        `sumChunks spawned ${plural(spawned, 'thread')} for the ${plural(chunks.length, 'chunk')} ${show(chunks)}: ` +
          `it should spawn exactly one per chunk, an empty chunk included`,
      );
    }
  }),

  check('threads-overlap', 'Starts every thread before waiting for one, so they run at the same time', async (t) => {
    // Whether two threads were ever alive at once depends on the schedule, so ask several: one is enough.
    const chunks = someChunks(t, 6);
    let most = 0;
    let line: number | undefined;
    for (const seed of t.seeds(4)) {
      const run = await t.call('sumChunks', [chunks], { seed, trace: true });
      most = Math.max(most, run.trace.mostAliveAtOnce());
      line ??= run.trace.spawned()[0]?.line;
      if (most >= 2) return;
    }
    t.fail(
      `in 4 schedules, sumChunks never had two of its threads running at once: each thread ended before the next one was spawned. ` +
        `Spawn them all first, then join them all`,
      line === undefined ? undefined : { line, column: 1 },
    );
  }),
];
