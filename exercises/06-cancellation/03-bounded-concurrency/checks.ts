import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

const result = (id: number, ms: number) => (id * 7919 + ms) % 10007;

interface Batch {
  latencies: number[];
  limit: number;
}

function someBatch(t: CheckContext): Batch {
  const latencies = Array.from({ length: 24 }, () => 10 * (1 + Math.floor(t.random() * 10)));
  return { latencies, limit: 3 + Math.floor(t.random() * 3) };
}

/** How long the batch takes when each job, in order, starts as soon as one of `limit` slots is free. */
function keptBusy(b: Batch): number {
  return Math.max(...jobEnds(b));
}

/** When each job ends when each, in order, starts as soon as one of `limit` slots is free. */
function jobEnds(b: Batch): number[] {
  const free = new Array<number>(b.limit).fill(0);
  return b.latencies.map((ms) => {
    const slot = free.indexOf(Math.min(...free));
    free[slot] = free[slot]! + ms;
    return free[slot]!;
  });
}

function elapsedMs(run: ProgramRun): number {
  // The called function's own task: the first task on main's executor.
  const root = run.trace.tasks().find((task) => task.thread === 'main');
  if (root === undefined || root.exitedAtMs === undefined) {
    run.fail('processAll did not run as a task on the executor: keep it an `async function` that returns the results');
  }
  return root.exitedAtMs - root.spawnedAtMs;
}

const processAll = (t: CheckContext, b: Batch, trace = false) => t.call('processAll', [b.latencies, b.limit], { seed: t.seeds(1)[0]!, trace });

export default [
  check('every-result-in-order', "Every job's result comes back, in job order", async (t) => {
    const b = someBatch(t);
    const run = await processAll(t, b);
    const expected = b.latencies.map((ms, i) => result(i, ms));
    if (sameData(run.value, expected)) return;
    const got = run.value;
    run.fail(
      Array.isArray(got) && sameData([...got].sort(), [...expected].sort())
        ? `processAll returned every result, but in the order the jobs finished: ${show(got)}. Put result i at index i (job order): ${show(expected)}`
        : `processAll returned ${show(got)} for ${b.latencies.length} jobs; expected ${show(expected)}: runJob(i, latencies[i]) for every job, in job order`,
    );
  }),

  check('at-most-limit-at-once', 'Never more than limit jobs run at the same time', async (t) => {
    const b = someBatch(t);
    const run = await processAll(t, b, true);
    const took = elapsedMs(run);
    const expected = keptBusy(b);
    if (took >= expected) {
      // Each runJob sleeps once. Another timer that waited is a wait of the program's own: starting more than `limit` jobs
      // at once and then sleeping until the batch "should" be done looks right on the clock, but overloads the service.
      const timers = run.trace.tasks().reduce((total, task) => total + task.timers, 0);
      if (took > expected || timers <= b.latencies.length) return;
      run.fail(
        `processAll took ${count(took)} ms, as ${b.latencies.length} jobs ${b.limit} at a time should, but besides the ${b.latencies.length} jobs' own sleeps it waited on ` +
          `${plural(timers - b.latencies.length, 'timer')} of its own: the time came from waiting, not from the limit. Don't sleep in processAll: ` +
          `start each job when a permit (or slot) is free, and the batch takes as long as it should by itself`,
      );
    }
    const longest = Math.max(...b.latencies);
    // No order of starting them gets `limit` slots through the batch faster than this: finishing sooner needs more slots.
    const anyOrder = Math.max(longest, Math.ceil(b.latencies.reduce((x, y) => x + y, 0) / b.limit));
    run.fail(
      `${b.latencies.length} jobs started in order with at most ${b.limit} at a time take ${count(expected)} ms, but processAll took only ${count(took)} ms` +
        (took === longest
          ? `, as long as the longest job alone: every job ran at the same time. A job must hold one of the ${b.limit} permits (or slots) for as long as it runs`
          : took < anyOrder
            ? `: more than ${b.limit} jobs ran at once. A job must hold one of the ${b.limit} permits (or slots) for as long as it runs`
            : `: either more than ${b.limit} jobs ran at once, or the jobs did not start in the order given. Start job 0, 1, 2… in turn, ` +
              `each as soon as a slot is free, and keep a slot (a permit) for as long as the job runs`),
    );
  }),

  check('keeps-limit-busy', 'A new job starts as soon as a running one finishes', async (t) => {
    const b = someBatch(t);
    const run = await processAll(t, b, true);
    const took = elapsedMs(run);
    const expected = keptBusy(b);
    if (took === expected) {
      // Waiting once, as long as the batch should take, and working the results out takes as long, but runs no job:
      // the jobs end at moments of their own, and each such moment wakes a task.
      const moments = new Set(jobEnds(b)).size;
      const woken = run.trace.tasks().reduce((total, task) => total + task.wakes, 0);
      if (woken >= moments) return;
      run.fail(
        `the jobs end at ${count(moments)} different moments, but the program's tasks were woken only ${plural(woken, 'time')}: ` +
          `the results did not come from runJob. Run runJob(i, latencies[i]) for every job and return what it gives`,
      );
    }
    if (took < expected) return; // at-most-limit-at-once says so
    const sum = b.latencies.reduce((x, y) => x + y, 0);
    run.fail(
      `with ${b.limit} jobs at a time, started in order as slots free up, the ${b.latencies.length} jobs take ${count(expected)} ms; processAll took ${count(took)} ms` +
        (took === sum ? ` (the sum of all latencies: one job at a time)` : `: slots stayed idle while jobs were waiting, as when a whole batch waits for its slowest job`),
    );
  }),
];
