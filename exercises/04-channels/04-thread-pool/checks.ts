import { check, multisetDiff, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

interface Job {
  id: number;
  ms: number;
}

/** Jobs with ids the program can't know in advance. */
function someJobs(t: CheckContext, n: number): Job[] {
  const ids = new Set<number>();
  while (ids.size < n) ids.add(1 + Math.floor(t.random() * 9999));
  return [...ids].map((id) => ({ id, ms: 1 + Math.floor(t.random() * 5) }));
}

async function usePool(t: CheckContext, size: number, jobs: Job[], request: { seed?: number; trace?: boolean; mayFail?: boolean }) {
  const run = await t.call('usePool', [size, jobs], { timeoutMs: 30_000, ...request }); // generous: a busy grader switches threads slowly
  return run;
}

function ranOf(run: ProgramRun, size: number): number[][] {
  const ran = run.value;
  if (!Array.isArray(ran) || !ran.every((ids) => Array.isArray(ids) && ids.every((id) => typeof id === 'number'))) {
    run.fail(`shutdown returned ${show(ran)}: it should return, for each worker, the ids of the jobs it ran`);
  }
  return ran as number[][];
}

const describe = (size: number, jobs: Job[]) => `with a pool of ${plural(size, 'worker')} and ${plural(jobs.length, 'job')}`;

/** How many jobs ran at once: spawned threads inside runJob's sleep (main's own sleeps between bursts don't count). */
function sleepers(run: ProgramRun): { most: number } {
  const workers = new Set(run.trace.spawned().map((s) => s.threadId));
  const running = new Set<number>();
  let most = 0;
  for (const e of run.trace.events) {
    if (e.object !== 0 || !workers.has(e.threadId) || (e.kind !== 'block' && e.kind !== 'wake')) continue;
    if (e.kind === 'block') most = Math.max(most, running.add(e.threadId).size);
    else running.delete(e.threadId);
  }
  return { most };
}

export default [
  check('every-job-once', 'Every job handed to the pool runs exactly once', async (t) => {
    const cases: [number, number][] = [
      [3, 8],
      [1, 5],
    ];
    const seeds = t.seeds(2);
    for (const [i, [size, n]] of cases.entries()) {
      const seed = seeds[i]!;
      const jobs = someJobs(t, n);
      const run = await usePool(t, size, jobs, { seed });
      const ran = ranOf(run, size);
      const { missing, extra } = multisetDiff(ran.flat(), jobs.map((j) => j.id));
      if (missing.length > 0) {
        run.fail(
          `${describe(size, jobs)}, ${plural(missing.length, 'job')} ${show(missing)} never ran. ` +
            `A worker should stop only when recv() says the queue is closed (after shutdown), not when it happens to be empty`,
        );
      }
      if (extra.length > 0) run.fail(`${describe(size, jobs)}, the workers reported running ${show(extra)}, which ran more than once or were never handed to the pool`);
    }
  }, LOADED_GRADER),

  check('spawns-the-workers-once', 'The pool starts exactly its number of workers, once, and shutdown joins them all', async (t) => {
    const size = 2 + Math.floor(t.random() * 2);
    const jobs = someJobs(t, 7);
    const [seed] = t.seeds(1);
    const run = await usePool(t, size, jobs, { seed, trace: true });
    const ran = ranOf(run, size);
    const spawned = run.trace.spawned().map((s) => s.threadId);
    if (spawned.length !== size) {
      run.fail(
        `${describe(size, jobs)}, the program spawned ${plural(spawned.length, 'thread')}: a pool starts its ${size} workers once, in its constructor, ` +
          `and hands them every job through a channel, instead of starting a thread per job`,
      );
    }
    const joined = new Set(run.trace.joins().map((j) => j.threadId));
    const loose = spawned.filter((id) => !joined.has(id)).length;
    if (loose > 0) run.fail(`${describe(size, jobs)}, shutdown returned without joining ${plural(loose, 'worker')}: it should wait for every worker to end`);
    if (ran.length !== size) run.fail(`${describe(size, jobs)}, shutdown returned ${plural(ran.length, 'list')} of job ids: one per worker is wanted`);
    // Jobs longer than usePool's quiet spells: each burst comes while every worker is still busy with the last one. A
    // pool that starts a thread for a job no worker is free to take has more threads than its size; a full pool's
    // jobs wait in the queue instead.
    const busySize = 2;
    const longJobs = someJobs(t, 9).map((job) => ({ ...job, ms: 40 + Math.floor(t.random() * 20) }));
    const [busySeed] = t.seeds(2).slice(1);
    const busy = await usePool(t, busySize, longJobs, { seed: busySeed, trace: true });
    ranOf(busy, busySize);
    const started = busy.trace.spawned();
    if (started.length !== busySize) {
      busy.fail(
        `with a pool of ${busySize} workers and ${longJobs.length} jobs of ${Math.min(...longJobs.map((j) => j.ms))} ms or more, which come faster than the workers finish them, ` +
          `the program spawned ${plural(started.length, 'thread')}: when every worker is busy, a job waits in the queue for the next free worker; ` +
          `the pool never starts more than its ${busySize} threads`,
        started[busySize]?.line === undefined ? undefined : { line: started[busySize]!.line!, column: 1 },
      );
    }
  }, LOADED_GRADER),

  check('jobs-run-concurrently', 'Several jobs, taken from one shared queue, run at the same time, never more than the pool has workers', async (t) => {
    const size = 3;
    const jobs = someJobs(t, 6);
    let most = 0;
    for (const seed of t.seeds(2)) {
      const run = await usePool(t, size, jobs, { seed, trace: true });
      ranOf(run, size);
      const seen = sleepers(run).most;
      if (seen > size) run.fail(`${describe(size, jobs)}, ${seen} jobs ran at the same moment: a pool of ${size} runs at most ${size} at a time`);
      most = Math.max(most, seen);
      if (seen >= 2) {
        // The workers share one queue: whichever is free takes the next job. An inbox per worker, dealt out in turn,
        // leaves a job waiting behind a long one while another worker has nothing to do.
        // (A channel two workers receive from, or a lock two workers take: a Mutex around the Receiver, or around a queue of jobs.)
        const workerIds = new Set(run.trace.spawned().map((s) => s.threadId));
        const shared =
          run.trace.channels().some((c) => run.trace.threadsThat('recv', c).filter((name) => name !== 'main').length >= 2) ||
          run.trace.mutexes().some((m) => new Set(run.trace.locks(m).map((e) => e.threadId).filter((id) => workerIds.has(id))).size >= 2);
        if (!shared) {
          run.fail(
            `${describe(size, jobs)}, every worker received its jobs from a channel of its own: a job handed to a busy worker waits for it, ` +
              `even while another worker has nothing to do. Let the workers share the queue's one Receiver (Arc<Mutex<Receiver>>), so that whichever worker is free takes the next job`,
          );
        }
        return;
      }
    }
    t.fail(
      `in 2 schedules ${describe(size, jobs)}, no two jobs ever ran at the same time: each worker kept the queue locked while it ran its job, ` +
        `so the others could only wait for the lock. Release the guard right after recv() (in a block of its own), and run the job without it`,
    );
  }, LOADED_GRADER),

  check('shutdown-returns', 'shutdown lets the queued jobs finish, then returns', async (t) => {
    const jobs = someJobs(t, 5);
    const [seed] = t.seeds(1);
    const run = await usePool(t, 2, jobs, { seed, mayFail: true });
    if (run.status !== 'ok') {
      run.failEnded(
        `${describe(2, jobs)}, shutdown never returned (${run.summary}). The workers wait in recv() until the queue is closed, ` +
          `so shutdown must close it (drop the Sender) before it joins them`,
      );
    }
    const ran = ranOf(run, 2);
    if (ran.flat().length !== jobs.length) run.fail(`${describe(2, jobs)}, shutdown returned after ${plural(ran.flat().length, 'job')}: it should let every queued job run first`);
  }, LOADED_GRADER),
];
