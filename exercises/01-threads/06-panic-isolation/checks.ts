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

/** Eight distinct jobs, six of them failing, the two that succeed among them. */
function mostlyFailing(t: CheckContext): number[] {
  const failing = new Set<number>();
  while (failing.size < 6) failing.add(-1 - Math.floor(t.random() * 100));
  const list = [...failing];
  const good = 1 + Math.floor(t.random() * 100);
  list.splice(2, 0, good);
  list.splice(5, 0, good + 1 + Math.floor(t.random() * 50));
  return list;
}

async function runAll(t: CheckContext, jobs: number[], request: { seed?: number; trace?: boolean }) {
  return t.call('runAll', [jobs], { timeoutMs: 30_000, ...request });
}

export default [
  check('sorts-every-job', 'Every job ends up in ok or in failed, in the order of the jobs', async (t) => {
    // Twice with six jobs, then twice with eight, six of them failing: under a seed threads often end in the order they
    // were spawned, so failed jobs gathered as their threads end come out in job order in most schedules with three, rarely with six.
    for (const [i, seed] of t.seeds(4).entries()) {
      const jobs = i < 2 ? someJobs(t, 6) : mostlyFailing(t);
      // Job 0 succeeds with the result 0: a result that is falsy is still a result.
      if (i === 1 && !jobs.includes(0)) jobs[jobs.findIndex((j) => j >= 0)] = 0;
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

  check('a-thread-per-job', 'Every job runs on a thread of its own, all at the same time, and runAll joins them all', async (t) => {
    // Whether two threads were ever alive at once depends on the schedule, so up to three more schedules are asked.
    const jobs = someJobs(t, 5);
    const seeds = t.seeds(4);
    let most = 0;
    let line: number | undefined;
    for (const seed of seeds) {
      const run = await runAll(t, jobs, { seed, trace: true });
      const spawnedInfo = run.trace.spawned();
      const spawned = spawnedInfo.map((s) => s.threadId);
      if (spawned.length !== jobs.length) {
        run.fail(`for ${plural(jobs.length, 'job')}, runAll spawned ${plural(spawned.length, 'thread')}: run every job on a thread, and learn which failed from the thread, not by looking at the input`);
      }
      const joined = new Set(run.trace.joins().map((j) => j.threadId));
      const loose = spawned.filter((id) => !joined.has(id)).length;
      if (loose > 0) run.fail(`for ${plural(jobs.length, 'job')}, runAll returned without joining ${plural(loose, 'thread')}`);
      most = Math.max(most, run.trace.mostAliveAtOnce());
      line ??= spawnedInfo[0]?.line;
      if (most >= 2) return;
    }
    t.fail(
      `in ${seeds.length} schedules, runAll never had two of its threads running at once: each thread ended before the next one was spawned. ` +
        `Spawn a thread for every job first, then join them all (a join right after each spawn runs the jobs one after another)`,
      line === undefined ? undefined : { line, column: 1 },
    );
  }, LOADED_GRADER),

  check('jobs-run-on-their-threads', 'Every job runs on its own thread: runAll never calls work itself', async (t) => {
    // Results and panics can be worked out on the calling thread and only handed back (or rethrown) by threads spawned
    // afterwards. The trace records every call of work and the thread that made it.
    const jobs = someJobs(t, 6);
    const [seed] = t.seeds(1);
    const run = await runAll(t, jobs, { seed, trace: true });
    const spawned = run.trace.spawned();
    const ids = new Set(spawned.map((s) => s.threadId));
    const calls = run.trace.calls('work');
    const onCaller = calls.filter((c) => !ids.has(c.threadId));
    if (onCaller.length > 0) {
      run.fail(
        `for the jobs ${show(jobs)}, runAll called work ${plural(onCaller.length, 'time')} on the thread that called it (${onCaller[0]!.thread}), not on a job's thread: ` +
          `a job run there is not isolated, and the threads only hand back what it found. Call work(job) inside each job's spawned closure, and nowhere else`,
      );
    }
    // A failing job's thread must not hand back a result as if its job had succeeded: a thread that runs work on
    // something other than its job (its absolute value, a default) returns a square, and the caller sorts the jobs by
    // their sign. (A thread that catches work's error itself and returns a failure is another way to keep it in the thread.)
    const successSquares = new Set(jobs.filter((j) => j >= 0).map((j) => j * j));
    const faked = jobs.filter((j) => j < 0 && !successSquares.has(j * j) && run.trace.joins().some((h) => ids.has(h.threadId) && h.holds(j * j)));
    if (faked.length > 0) {
      run.fail(
        `for the jobs ${show(jobs)}, a thread handed back ${faked[0]! * faked[0]!} through join(), the square of ${-faked[0]!}, though the job ${faked[0]} fails: ` +
          `each thread should call work(job) on its own job, and the caller learn which jobs failed from the thread (the ThreadPanic that join() throws), not from the job's sign`,
        spawned[0]?.line === undefined ? undefined : { line: spawned[0].line, column: 1 },
      );
    }
    const working = new Set(calls.map((c) => c.threadId)).size;
    if (working < jobs.length) {
      run.fail(
        `for ${plural(jobs.length, 'job')}, work ran on ${plural(working, 'thread')} of the ${plural(spawned.length, 'thread')} runAll spawned: ` +
          `each job's thread should call work(job) itself, failing jobs included, rather than return or throw something worked out before`,
        spawned[0]?.line === undefined ? undefined : { line: spawned[0].line, column: 1 },
      );
    }
  }, LOADED_GRADER),
];
