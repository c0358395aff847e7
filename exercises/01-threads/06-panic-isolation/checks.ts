import { check, plural, sameData, show, type CheckContext } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

/** Distinct jobs, some negative (those panic), chosen by the check. */
function someJobs(t: CheckContext, n: number): number[] {
  const jobs = new Set<number>();
  while (jobs.size < n) jobs.add(Math.floor(t.random() * 200) - 100);
  const list = [...jobs];
  if (!list.some((j) => j < 0)) list[0] = -7;
  if (!list.some((j) => j >= 0)) list[1] = 7;
  return list;
}

async function runAll(t: CheckContext, jobs: number[], request: { seed?: number; trace?: boolean }) {
  return t.call('runAll', [jobs], { timeoutMs: 30_000, ...request });
}

export default [
  check('sorts-every-job', 'Every job ends up in ok or in failed, in the order of the jobs', async (t) => {
    for (const seed of t.seeds(2)) {
      const jobs = someJobs(t, 6);
      const run = await runAll(t, jobs, { seed });
      const expected = { ok: jobs.filter((j) => j >= 0).map((j) => [j, j * j]), failed: jobs.filter((j) => j < 0) };
      if (!sameData(run.value, expected)) {
        run.fail(
          `for the jobs ${show(jobs)}, runAll returned ${show(run.value)}, not ${show(expected)}. ` +
            `Join every thread, catch the ThreadPanic that join() throws for a thread that panicked, and go on with the next one`,
        );
      }
    }
  }, LOADED_GRADER),

  check('a-thread-per-job', 'Every job runs on a thread of its own, and runAll joins them all', async (t) => {
    const jobs = someJobs(t, 5);
    const [seed] = t.seeds(1);
    const run = await runAll(t, jobs, { seed, trace: true });
    const spawned = run.trace.spawned().map((s) => s.threadId);
    if (spawned.length !== jobs.length) {
      run.fail(`for ${plural(jobs.length, 'job')}, runAll spawned ${plural(spawned.length, 'thread')}: run every job on a thread, and learn which failed from the thread, not by looking at the input`);
    }
    const joined = new Set(run.trace.joins().map((j) => j.threadId));
    const loose = spawned.filter((id) => !joined.has(id)).length;
    if (loose > 0) run.fail(`for ${plural(jobs.length, 'job')}, runAll returned without joining ${plural(loose, 'thread')}`);
  }, LOADED_GRADER),
];
