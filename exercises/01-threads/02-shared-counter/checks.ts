import { check, count, plural } from '#weft/checks';

const THREADS = 4;
const EXPECTED = 1000;

export default [
  check('uses-four-threads', 'Four threads do the counting', async (t) => {
    const run = await t.run({ trace: true });
    const spawned = run.trace.spawned().length;
    if (spawned !== THREADS) run.fail(`main spawned ${plural(spawned, 'thread')}; the exercise asks for ${THREADS}`);
  }),

  check('counts-every-increment', 'No increment is lost, whatever the schedule', async (t) => {
    await t.eachRun({ seeds: 8, free: 1 }, (run) => {
      const total = Number(run.expectLine(/^Total: (-?\d+)$/, `Total: ${EXPECTED}`)[1]);
      if (total === EXPECTED) return;
      if (total === 0) run.fail(`the total was 0, expected ${count(EXPECTED)}: main's counter never changed, because each thread added to its own copy`);
      if (total < EXPECTED) run.fail(`the total was ${count(total)}, expected ${count(EXPECTED)}: ${plural(EXPECTED - total, 'increment was', 'increments were')} lost`);
      run.fail(`the total was ${count(total)}, expected ${count(EXPECTED)}: ${plural(total - EXPECTED, 'increment was', 'increments were')} counted twice`);
    });
  }),

  check('shares-one-mutex', 'All four threads lock the same Mutex', async (t) => {
    const run = await t.run({ trace: true });
    const spawnedIds = new Set(run.trace.spawned().map((s) => s.threadId));
    const shared = run.trace.mutexes().some((mutex) => {
      const lockers = new Set(run.trace.locks(mutex).map((e) => e.threadId).filter((id) => spawnedIds.has(id)));
      return lockers.size >= THREADS;
    });
    if (!shared) run.fail(`no Mutex was locked by all ${THREADS} threads: the threads must share one counter, through clones of one Arc`);
  }),
];
