import { check, count, show, type CheckContext, type ProgramRun } from '#weft/checks';

const WORKERS = 3;

interface Plan {
  jobs: [number, number, number][];
  shutdownAt: number;
}

/**
 * Jobs the program can't know in advance, around a shutdown at `shutdownAt` (never on a multiple of 10, so no job
 * starts or ends at that very moment): worker 0 is in the middle of a job then, and its next job arrives before that
 * one is done (so it is waiting in the inbox when the worker looks again), worker 1 is idle with a job coming 15 ms
 * later, worker 2 has a short job just before and one more after.
 */
function somePlan(t: CheckContext): Plan {
  const shutdownAt = 105 + 10 * Math.floor(t.random() * 6);
  const ms = (lo: number, hi: number) => lo + 10 * Math.floor(t.random() * ((hi - lo) / 10 + 1));
  const jobs: [number, number, number][] = [
    [0, 0, shutdownAt + ms(35, 75)],
    [shutdownAt + 25, 0, ms(20, 60)],
    [10, 1, ms(20, 60)],
    [shutdownAt + 15, 1, ms(20, 60)],
    [20, 2, ms(20, 40)],
    [shutdownAt - ms(25, 45) - 5, 2, 10],
    [shutdownAt + 35, 2, ms(20, 60)],
  ];
  jobs.sort((a, b) => a[0] - b[0]);
  return { jobs, shutdownAt };
}

interface Line {
  at: number;
  event: string;
  worker: number;
}

function logOf(run: ProgramRun): Line[] {
  const log = run.value;
  if (!Array.isArray(log)) run.fail(`runService returned ${show(log)}: keep the test bench (runService, doJob, flush) as it was given`);
  return log.flatMap((line) => {
    const m = /^(\d+) (\w+)(?: (\d+))?$/.exec(String(line));
    return m ? [{ at: Number(m[1]), event: m[2]!, worker: m[3] === undefined ? -1 : Number(m[3]) }] : [];
  });
}

const runService = (t: CheckContext, plan: Plan) => t.call('runService', [plan.jobs, WORKERS, plan.shutdownAt], { seed: t.seeds(1)[0]! });

export default [
  check('jobs-in-hand-finish', 'A job in progress when the shutdown comes is finished, not cut off', async (t) => {
    const plan = somePlan(t);
    const run = await runService(t, plan);
    const log = logOf(run);
    for (let w = 0; w < WORKERS; w++) {
      const starts = log.filter((l) => l.worker === w && l.event === 'start');
      const dones = log.filter((l) => l.worker === w && l.event === 'done');
      if (starts.length === dones.length) continue;
      const cut = starts[dones.length]!;
      run.fail(
        `worker ${w} started a job at ${count(cut.at)} ms and never finished it: the shutdown at ${count(plan.shutdownAt)} ms cut it off. ` +
          `A graceful shutdown lets the job in hand finish; abort() cancels a task wherever it waits, in the middle of its job`,
      );
    }
  }),

  check('no-job-after-shutdown', 'No job starts after the shutdown request, even on a worker that was idle', async (t) => {
    // Worker 0 finishes its job after the request, with its next job already in its inbox: both are ready.
    {
      const plan = somePlan(t);
      const run = await runService(t, plan);
      const log = logOf(run);
      const late = log.find((l) => l.event === 'start' && l.at > plan.shutdownAt);
      if (late === undefined) return;
      const justDone = log.some((l) => l.worker === late.worker && l.event === 'done' && l.at === late.at);
      run.fail(
        `the shutdown was asked for at ${count(plan.shutdownAt)} ms, and worker ${late.worker} still started a job at ${count(late.at)} ms. ` +
          (justDone
            ? `It had just finished the job it was doing when the request came, and found both its next job and the request waiting: ` +
              `it took the job. Look at the stop request first (stop.borrow() before the select, or the stop branch first in a biased select)`
            : `A worker waiting for its next job must be waiting for the stop request too, in the same select`),
      );
    }
  }),

  check('each-worker-flushes-once', 'Every worker flushes exactly once', async (t) => {
    const plan = somePlan(t);
    const run = await runService(t, plan);
    const log = logOf(run);
    for (let w = 0; w < WORKERS; w++) {
      const flushes = log.filter((l) => l.worker === w && l.event === 'flush').length;
      if (flushes === 1) continue;
      run.fail(
        `worker ${w} flushed ${flushes === 0 ? 'never' : `${count(flushes)} times`}: every worker calls flush exactly once on its way out. ` +
          `A finally around the worker's loop runs once, however the loop ends`,
      );
    }
  }),

  check('stops-at-once', 'Each worker ends as soon as it may: an idle one at the request, a busy one when its job is done', async (t) => {
    const plan = somePlan(t);
    const run = await runService(t, plan);
    const log = logOf(run);
    for (let w = 0; w < WORKERS; w++) {
      const before = log.filter((l) => l.worker === w && l.at <= plan.shutdownAt);
      const started = before.filter((l) => l.event === 'start').length;
      const busy = started > before.filter((l) => l.event === 'done').length;
      // A busy worker finishes its job; its done comes after the request (no job starts or ends at the request itself).
      const due = busy ? log.find((l) => l.worker === w && l.event === 'done' && l.at > plan.shutdownAt)?.at : plan.shutdownAt;
      const flushed = log.find((l) => l.worker === w && l.event === 'flush');
      if (due === undefined || flushed === undefined || flushed.at === due) continue; // other checks say what went wrong
      run.fail(
        busy
          ? `worker ${w} was in the middle of a job when the shutdown was asked for at ${count(plan.shutdownAt)} ms; it finished that job at ${count(due)} ms but flushed only at ${count(flushed.at)} ms. ` +
              `Once its job is done it must look at the stop request and end at once, flushing on its way out`
          : `worker ${w} was idle, waiting for its next job, when the shutdown was asked for at ${count(plan.shutdownAt)} ms, but it flushed only at ${count(flushed.at)} ms: ` +
              (flushed.at > plan.shutdownAt
                ? `it did not notice the request until something else woke it (its next job, or another worker ending). An idle worker must wait for the stop request in the same select as its inbox, and end at once, flushing itself`
                : `it stopped before the request came`),
      );
    }
  }),

  check('shutdown-waits-for-workers', 'shutdown() returns once every worker has ended, and no later', async (t) => {
    const plan = somePlan(t);
    const run = await runService(t, plan);
    const log = logOf(run);
    const stoppedAt = log.findIndex((l) => l.event === 'stopped');
    if (stoppedAt < 0) run.fail('shutdown() never returned');
    const stopped = log[stoppedAt]!.at;
    const after = log.slice(stoppedAt + 1).filter((l) => l.worker >= 0);
    if (after.length > 0) {
      run.fail(
        `shutdown() returned at ${count(stopped)} ms, but the workers went on after that (${after.map((l) => `worker ${l.worker} ${l.event} at ${l.at} ms`).join(', ')}): ` +
          `asking the workers to stop is half of it; shutdown() must also wait for every one of them to end`,
      );
    }
    const lastWork = Math.max(plan.shutdownAt, ...log.filter((l) => l.worker >= 0).map((l) => l.at));
    if (stopped > lastWork) {
      run.fail(`the last worker ended at ${count(lastWork)} ms, but shutdown() returned only at ${count(stopped)} ms: return as soon as every worker has ended`);
    }
  }),
];
