import { check, count, multisetDiff, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

const WORKERS = 3;
const QUEUE = 4;

function collatzSteps(n: number): number {
  let steps = 0;
  while (n !== 1) {
    n = n % 2 === 0 ? n / 2 : 3 * n + 1;
    steps++;
  }
  return steps;
}

/** Distinct jobs the program can't know in advance. */
function someJobs(t: CheckContext, n: number): number[] {
  const jobs = new Set<number>();
  while (jobs.size < n) jobs.add(2 + Math.floor(t.random() * 5000));
  return [...jobs];
}

function resultsOf(run: ProgramRun): [number, number][] {
  const value = run.value;
  if (!Array.isArray(value) || !value.every((r) => Array.isArray(r) && r.length === 2)) {
    run.fail(`runPipeline returned ${show(value)}, expected an array of [job, steps] pairs`);
  }
  return value as [number, number][];
}

const runPipeline = (t: CheckContext, jobs: number[], request: { seed?: number; trace?: boolean }, workers = WORKERS) =>
  t.call('runPipeline', [jobs, workers], request);

/** The channel the caller collects results on, the channels that carry jobs to threads, and the workers (threads that send results). */
function shape(run: ProgramRun): { results: number | undefined; jobChannels: number[]; workers: string[] } {
  const channels = run.trace.channels();
  const results = channels.find((c) => run.trace.threadsThat('recv', c).includes('main'));
  const jobChannels = channels.filter((c) => c !== results && run.trace.threadsThat('recv', c).some((name) => name !== 'main'));
  const workers = results === undefined ? [] : run.trace.threadsThat('send', results).filter((name) => name !== 'main');
  return { results, jobChannels, workers };
}

export default [
  check('pipeline-ends', 'The pipeline ends: every loop finishes and main prints every result', async (t) => {
    // A collection that never ends is reported by the grader as a deadlock, with the seed that replays it.
    await t.eachRun({ seeds: 2, free: 1 }, (run) => {
      const n = Number(run.expectLine(/^(\d+) results$/, '10 results')[1]);
      if (n !== 10) run.fail(`main printed ${plural(n, 'result')} for 10 jobs`);
    });
  }),

  check('every-result-once', "Every job's result comes back exactly once", async (t) => {
    // However many workers there are, even one: a lone worker has to keep going until the producer is done.
    // (pipeline-ends has the free run; seeded runs fail the same way on every try.)
    const cases: [number[], number, number[]][] = [
      [someJobs(t, 12), WORKERS, t.seeds(1)],
      [someJobs(t, 8), 1, t.seeds(6)],
    ];
    for (const [jobs, workers, seeds] of cases) {
      const expected = jobs.map((job): [number, number] => [job, collatzSteps(job)]);
      for (const [i, seed] of seeds.entries()) {
        const run = await runPipeline(t, jobs, { seed, trace: i === 0 }, workers);
        const results = resultsOf(run);
        if (i === 0) {
          // The pool is as big as the caller asks: a producer and `workers` workers, not a number of the program's own.
          const spawned = run.trace.spawned().length;
          if (spawned > workers + 1) {
            run.fail(
              `runPipeline with ${plural(workers, 'worker')} spawned ${plural(spawned, 'thread')}: ` +
                `start one producer and exactly \`workers\` worker threads, whatever that number is`,
            );
          }
        }
        const { missing, extra } = multisetDiff(results, expected);
        if (missing.length === 0 && extra.length === 0) continue;
        const lost = missing.filter(([job]) => !results.some(([j]) => j === job)).map(([job]) => job);
        const problems: string[] = [];
        if (lost.length > 0) {
          problems.push(
            `no result came back for ${plural(lost.length, 'job')} ${show(lost)}: the workers stopped while the producer still had jobs. ` +
              `A worker should stop only when recv() says the queue is closed, not when it happens to be empty`,
          );
        }
        const twice = jobs.filter((job) => results.filter(([j]) => j === job).length > 1);
        if (twice.length > 0) problems.push(`${show(twice)} came back more than once`);
        const wrong = extra.filter(([job, steps]) => jobs.includes(job) && steps !== collatzSteps(job));
        if (wrong.length > 0) problems.push(`wrong results ${show(wrong)}`);
        if (problems.length === 0) problems.push(`it returned ${show(extra)}, which matches no job`);
        run.fail(
          `runPipeline with ${plural(jobs.length, 'job')} and ${plural(workers, 'worker')} returned ${plural(results.length, 'result')}: ${problems.join('; ')}`,
        );
      }
    }
  }),

  check('several-workers', 'The jobs are shared out: several workers get some', async (t) => {
    const jobs = someJobs(t, 12);
    let most = 0;
    for (const seed of t.seeds(2)) {
      const run = await runPipeline(t, jobs, { seed, trace: true });
      most = Math.max(most, shape(run).workers.length);
      if (most >= 2) return;
    }
    t.fail(
      most === 0
        ? `no spawned thread sent a result on the channel runPipeline collects from: the workers should send their results there`
        : `in 2 schedules, one worker sent all ${plural(jobs.length, 'result')} and the other ${WORKERS - 1} got no job at all: ` +
            `a worker must let go of the queue's lock as soon as it has received a job, not keep it for the whole loop`,
    );
  }),

  check('workers-overlap', 'Workers work on their jobs at the same time, not one after another', async (t) => {
    const jobs = someJobs(t, 9);
    for (const seed of t.seeds(2)) {
      const run = await runPipeline(t, jobs, { seed, trace: true });
      const { results, jobChannels } = shape(run);
      // A worker is busy from receiving a job until it sends the job's result.
      const busy = new Set<number>();
      for (const e of run.trace.events) {
        if (e.kind === 'recv' && jobChannels.includes(e.object)) busy.add(e.threadId);
        else if (e.kind === 'send' && e.object === results) busy.delete(e.threadId);
        if (busy.size >= 2) return;
      }
    }
    t.fail(
      `in 2 schedules, no two workers ever had a job in hand at the same time: each worker kept the queue locked from receiving a job until it had sent the result, ` +
        `so the others could only wait. Release the guard right after recv() (put it in a block of its own), and do the work without it`,
    );
  }),

  check('workers-do-the-work', 'The workers work out the results: each job\'s collatzSteps runs on a worker', async (t) => {
    // Results worked out before the pipeline starts (on the caller or the producer) and only looked up by the workers
    // pass the channels and the lock along for show. The trace records every call of collatzSteps and its thread.
    const jobs = someJobs(t, 10);
    const [seed] = t.seeds(1);
    const run = await runPipeline(t, jobs, { seed, trace: true });
    const workers = new Set(shape(run).workers);
    const calls = run.trace.calls('collatzSteps');
    const elsewhere = calls.filter((c) => !workers.has(c.thread));
    if (elsewhere.length > 0) {
      run.fail(
        `for ${plural(jobs.length, 'job')}, ${elsewhere[0]!.thread} called collatzSteps ${plural(elsewhere.filter((c) => c.thread === elsewhere[0]!.thread).length, 'time')}, ` +
          `but it is not a worker (a thread that sends results): the workers should do the work. Call collatzSteps(job) in the worker, right after it receives the job`,
      );
    }
    if (calls.length < jobs.length) {
      run.fail(
        `for ${plural(jobs.length, 'job')}, the workers called collatzSteps ${plural(calls.length, 'time')}: ` +
          `each job's result should be worked out by the worker that received it, with collatzSteps(job), not looked up or worked out somewhere else`,
      );
    }
  }),

  check('at-most-four-queued', 'No more than 4 jobs ever wait in the queues', async (t) => {
    const jobs = someJobs(t, 12);
    for (const seed of t.seeds(2)) {
      const run = await runPipeline(t, jobs, { seed, trace: true });
      const { jobChannels } = shape(run);
      let waiting = 0;
      let most = 0;
      for (const e of run.trace.events) {
        if (!jobChannels.includes(e.object)) continue;
        if (e.kind === 'send') most = Math.max(most, ++waiting);
        else if (e.kind === 'recv') waiting = Math.max(0, waiting - 1);
      }
      if (most > QUEUE) {
        run.fail(
          `${count(most)} jobs were waiting to be worked on at one moment, across ${plural(jobChannels.length, 'queue')}: ` +
            `the producer should run at most ${QUEUE} jobs ahead of the workers. Keep the one bounded queue, syncChannel(${QUEUE}), and let the workers share its Receiver`,
        );
      }
    }
  }),
];
