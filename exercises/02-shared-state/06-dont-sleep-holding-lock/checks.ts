import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

/** Job lengths per worker, chosen by the check. */
function someJobs(t: CheckContext, workers: number, perWorker: number): number[][] {
  return Array.from({ length: workers }, () => Array.from({ length: perWorker }, () => 5 + Math.floor(t.random() * 95)));
}

async function runWorkers(t: CheckContext, jobs: number[][], request: { seed?: number; trace?: boolean }) {
  const run = await t.call('runWorkers', [jobs], { timeoutMs: 30_000, ...request }); // generous: a busy grader switches threads slowly
  const stats = run.value as { jobs?: unknown; totalMs?: unknown } | undefined;
  if (typeof stats?.jobs !== 'number' || typeof stats.totalMs !== 'number') run.fail(`runWorkers returned ${show(stats)}; keep runWorkers as the starter has it`);
  return { run, stats: stats as { jobs: number; totalMs: number } };
}

const describe = (jobs: number[][]) => `with ${plural(jobs.length, 'worker')} running ${plural(jobs.flat().length, 'job')}`;

export default [
  check('counts-every-job', 'Every job is recorded, with its length', async (t) => {
    for (const seed of t.seeds(3)) {
      const jobs = someJobs(t, 3, 2);
      const { run, stats } = await runWorkers(t, jobs, { seed });
      const expected = { jobs: jobs.flat().length, totalMs: jobs.flat().reduce((a, b) => a + b, 0) };
      if (stats.jobs !== expected.jobs || stats.totalMs !== expected.totalMs) {
        run.fail(
          `${describe(jobs)}, the stats ended as ${count(stats.jobs)} jobs and ${count(stats.totalMs)} ms, not ${count(expected.jobs)} jobs and ${count(expected.totalMs)} ms: ` +
            `an update was lost. Read and change the stats under one guard; keep the lock short by leaving the work out of it, not by splitting the update`,
        );
      }
    }
  }, LOADED_GRADER),

  check('workers-run-their-jobs', 'Each worker runs its own jobs with runJob, recording them in the shared stats', async (t) => {
    // runWorkers is the bench: rewritten to add the stats up on the calling thread, it needs no lock at all. The
    // trace records every call of runJob and its thread.
    const jobs = someJobs(t, 3, 2);
    const [seed] = t.seeds(1);
    const { run } = await runWorkers(t, jobs, { seed, trace: true });
    const spawned = new Set(run.trace.spawned().map((s) => s.threadId));
    const calls = run.trace.calls('runJob');
    const onThreads = calls.filter((c) => spawned.has(c.threadId)).length;
    const wanted = jobs.flat().length;
    if (onThreads !== wanted || calls.length !== onThreads) {
      run.fail(
        `${describe(jobs)}, runJob was called ${plural(onThreads, 'time')} on the workers` +
          (calls.length > onThreads ? ` and ${plural(calls.length - onThreads, 'time')} on main` : '') +
          `, not ${count(wanted)}: keep runWorkers as the starter has it, with each worker calling runJob for each of its jobs, and fix runJob`,
      );
    }
  }, LOADED_GRADER),

  check('works-without-the-lock', 'Each job does its work without holding the lock', async (t) => {
    const jobs = someJobs(t, 3, 2);
    const [seed] = t.seeds(1);
    const { run } = await runWorkers(t, jobs, { seed, trace: true });
    const workers = new Set(run.trace.spawned().map((s) => s.threadId));
    const held = new Map<number, number>();
    let naps = 0;
    for (const e of run.trace.events) {
      if (!workers.has(e.threadId)) continue;
      if (e.kind === 'lock') held.set(e.threadId, (held.get(e.threadId) ?? 0) + 1);
      else if (e.kind === 'unlock') held.set(e.threadId, (held.get(e.threadId) ?? 1) - 1);
      else if (e.kind === 'block' && e.object === 0) {
        naps++;
        if ((held.get(e.threadId) ?? 0) > 0) {
          run.fail(
            `${describe(jobs)}, a worker did a job's work while holding the stats' lock, so every other worker that wanted to record a job waited for it: ` +
              `the jobs ran one after another. Release the guard (end its block) before calling work`,
            e.line === undefined ? undefined : { line: e.line, column: e.column ?? 1 },
          );
        }
      }
    }
    // Waiting for anything else with the lock held keeps the others out just the same: a helper thread doing the work
    // while the worker joins it, say.
    const waited = run.trace.blockedWhileHolding();
    if (waited !== undefined && workers.has(run.trace.events.find((e) => e.kind === 'block' && e.thread === waited.thread)?.threadId ?? -1)) {
      run.fail(
        `${describe(jobs)}, ${waited.thread} waited${waited.blockLine === undefined ? '' : ` at line ${waited.blockLine}`} while holding the stats' lock` +
          `${waited.lockLine === undefined ? '' : ` (taken at line ${waited.lockLine})`}, so every other worker that wanted to record a job waited too. ` +
          `Release the guard (end its block) before the work, and don't wait for anything while you hold it`,
        waited.blockLine === undefined ? undefined : { line: waited.blockLine, column: 1 },
      );
    }
    if (naps < jobs.flat().length) {
      run.fail(`${describe(jobs)}, only ${plural(naps, 'job')} did ${naps === 1 ? 'its' : 'their'} work: every job must call work(ms)`);
    }
    // A free run, on the real clock: each worker's jobs take at least as long as their lengths add up to
    // (a busy machine only makes them longer), so work(ms) with a smaller ms shows.
    const free = (await runWorkers(t, jobs, { trace: true })).run;
    // runWorkers' own workers, in the order main spawned them (threads they spawn themselves come in between).
    const spawned = free.trace.spawned().filter((s) => s.by === 'main').map((s) => s.threadId);
    for (const [w, thread] of spawned.entries()) {
      const mine = jobs[w];
      if (mine === undefined) break;
      let asleep = 0;
      let since: number | undefined;
      for (const e of free.trace.events) {
        if (e.threadId !== thread || e.object !== 0) continue;
        if (e.kind === 'block') since = e.time;
        else if (e.kind === 'wake' && since !== undefined) {
          asleep += e.time - since;
          since = undefined;
        }
      }
      const wanted = mine.reduce((a, b) => a + b, 0);
      if (asleep / 1000 < wanted - mine.length) {
        free.fail(
          `${describe(jobs)}, the worker with the jobs ${show(mine)} worked for ${count(Math.round(asleep / 1000))} ms in all, not ${count(wanted)} ms: ` +
            `each job must do all of its work, work(ms) with its own length; the fix is to hold the lock for less time, not to work less`,
        );
      }
    }
  }, LOADED_GRADER),
];
