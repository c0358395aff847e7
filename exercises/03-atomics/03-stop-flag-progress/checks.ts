import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

function work(n: number): number {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

/** Distinct items the program can't know in advance. */
function someItems(t: CheckContext, n: number): number[] {
  const items = new Set<number>();
  while (items.size < n) items.add(2 + Math.floor(t.random() * 100_000));
  return [...items];
}

interface Job {
  results: number[];
  reports: number[];
}

async function runJob(t: CheckContext, items: number[], cancelAt: number, seed: number, trace = false): Promise<{ run: ProgramRun; job: Job }> {
  const run = await t.call('runJob', [items, cancelAt], { seed, trace });
  const job = run.value as Partial<Job> | undefined;
  const ok = Array.isArray(job?.results) && Array.isArray(job.reports) && [...job.results, ...job.reports].every((n) => typeof n === 'number');
  if (!ok) run.fail(`runJob returned ${show(job)}; keep runJob returning { results, reports }`);
  return { run, job: job as Job };
}

/** The results must be those of the first items, in order: main worked through them one by one. */
function checkResults(run: ProgramRun, items: number[], job: Job): void {
  const wrong = job.results.findIndex((r, i) => r !== work(items[i]!));
  if (job.results.length > items.length || wrong >= 0) {
    run.fail(`for ${plural(items.length, 'item')}, runJob returned the results ${show(job.results)}: expected work(item) for the items main finished, in order`);
  }
}

export default [
  check('does-every-item', 'Without a Cancel, main does every item and the reporter shows the progress as it goes', async (t) => {
    for (const seed of t.seeds(2)) {
      const items = someItems(t, 6 + Math.floor(t.random() * 4));
      const { run, job } = await runJob(t, items, items.length + 10, seed);
      checkResults(run, items, job);
      if (job.results.length !== items.length) {
        run.fail(`with ${plural(items.length, 'item')} and nobody pressing Cancel, main finished only ${plural(job.results.length, 'item')}`);
      }
      const { reports } = job;
      const backwards = reports.findIndex((n, i) => i > 0 && n < reports[i - 1]!);
      if (reports.length === 0 || reports.at(-1) !== items.length || backwards >= 0) {
        run.fail(`with ${plural(items.length, 'item')}, the reporter showed ${show(reports)}: the progress should only go up and end at ${count(items.length)}`);
      }
      if (!reports.some((n) => n > 0 && n < items.length)) {
        run.fail(
          `with ${plural(items.length, 'item')}, the reporter showed ${show(reports)}: it never woke while main was working. ` +
            `Wake it (unpark its thread) each time an item is done, so it shows the progress as it goes`,
        );
      }
    }
  }),

  check('stops-promptly', 'After Cancel, main stops within one item, and everything ends', async (t) => {
    for (const seed of t.seeds(3)) {
      const items = someItems(t, 10);
      const cancelAt = 2 + Math.floor(t.random() * 2);
      const { run, job } = await runJob(t, items, cancelAt, seed);
      checkResults(run, items, job);
      const { results, reports } = job;
      if (reports.length < cancelAt) {
        if (results.length < items.length) {
          run.fail(
            `main stopped after ${plural(results.length, 'item')} of ${count(items.length)}, though the user never pressed Cancel ` +
              `(the reporter showed only ${plural(reports.length, 'progress line')}, and Cancel comes on line ${cancelAt}): stop only when the stop flag is set`,
          );
        }
        continue;
      }
      const seenAtCancel = reports[cancelAt - 1]!;
      if (results.length > seenAtCancel + 1) {
        run.fail(
          `the user pressed Cancel when ${plural(seenAtCancel, 'item was', 'items were')} done, and main went on to finish ${count(results.length)} of ${count(items.length)}. ` +
            `Main should check the stop flag before every item, and stop within one item of the Cancel`,
        );
      }
    }
  }),

  check('reporter-sleeps', 'The reporter sleeps until main has news (park and unpark), instead of polling', async (t) => {
    const items = someItems(t, 6);
    const [seed] = t.seeds(1);
    const { run } = await runJob(t, items, items.length + 10, seed!, true);
    const reporter = run.trace.spawned()[0]?.threadId;
    if (reporter === undefined) run.fail(`runJob spawned no thread: keep the reporter thread`);
    const blocks = run.trace.events.filter((e) => e.kind === 'block' && e.threadId === reporter);
    const sleeps = blocks.filter((e) => e.object !== reporter).length;
    const parks = blocks.length - sleeps;
    const timer = blocks.find((e) => e.object !== reporter);
    if (timer !== undefined) {
      run.fail(
        `the reporter slept on a timer ${plural(sleeps, 'time')}: it wakes whether or not there is news, and news waits until the timer is up. ` +
          `Let it park() and have main unpark its thread when an item is done`,
        timer.line === undefined ? undefined : { line: timer.line, column: timer.column ?? 1 },
      );
    }
    // Every item's news must reach the reporter: an unpark after each item main finishes (work() is called once an
    // item), and one after the last. An unpark every other item leaves the reporter asleep with news waiting.
    const main = run.trace.spawned()[0]!.by;
    const unparks = run.trace.unparks(reporter).filter((u) => u.by === main);
    const done = run.trace.calls('work').filter((c) => c.thread === main);
    for (const [i, item] of done.entries()) {
      const next = done[i + 1]?.index ?? Infinity;
      if (!unparks.some((u) => u.index > item.index && u.index < next)) {
        run.fail(
          `main finished item ${i + 1} of ${count(items.length)} and ${i + 1 < done.length ? 'went on to the next one' : 'stopped'} without unparking the reporter ` +
            `(it unparked it ${plural(unparks.length, 'time')} in all, for ${plural(done.length, 'item')}): the reporter slept on with news waiting. ` +
            `Call reporter.thread().unpark() after every item, and once more after setting finished`,
          unparks[0]?.line === undefined ? undefined : { line: unparks[0].line, column: 1 },
        );
      }
    }
    if (parks === 0) {
      run.fail(
        `the reporter never slept while main worked through ${plural(items.length, 'item')}: it checked the counter again and again, keeping a core busy. ` +
          `Let it park() until main unparks it`,
      );
    }
  }),
];
