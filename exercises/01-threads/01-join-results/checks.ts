import { check, plural, sameData, show, type CheckContext } from '#weft/checks';

/** A few chunks of small whole numbers, some empty, chosen by the check's own generator. */
function someChunks(t: CheckContext, count: number): number[][] {
  return Array.from({ length: count }, () => Array.from({ length: Math.floor(t.random() * 6) }, () => Math.floor(t.random() * 100) - 20));
}

const sequentialSums = (chunks: number[][]) => chunks.map((chunk) => chunk.reduce((a, b) => a + b, 0));

export default [
  check('returns-every-sum', 'Returns the sum of every chunk, in chunk order', async (t) => {
    for (const chunks of [[[1, 2, 3], [10, 20], [], [5]], someChunks(t, 5), someChunks(t, 7)]) {
      const expected = sequentialSums(chunks);
      const run = await t.call('sumChunks', [chunks]);
      if (!sameData(run.value, expected)) {
        run.fail(`sumChunks(${show(chunks)}) returned ${show(run.value)}, expected ${show(expected)}`);
      }
    }
  }),

  check('one-thread-per-chunk', 'Spawns one thread per chunk', async (t) => {
    const chunks = someChunks(t, 5);
    const run = await t.call('sumChunks', [chunks], { trace: true });
    const spawned = run.trace.spawned().length;
    if (spawned !== chunks.length) {
      run.fail(`sumChunks spawned ${plural(spawned, 'thread')} for ${plural(chunks.length, 'chunk')}: it should spawn exactly one per chunk`);
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
