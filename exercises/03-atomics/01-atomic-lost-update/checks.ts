import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Request sizes per worker, chosen by the check, so the totals can't be known in advance. */
function someWorkers(t: CheckContext, workers: number, perWorker: number): number[][] {
  return Array.from({ length: workers }, () => Array.from({ length: perWorker }, () => 1 + Math.floor(t.random() * 4000)));
}

interface Served {
  requests: number;
  bytes: number;
  numbers: number[][];
}

function servedOf(run: ProgramRun, workers: number[][]): Served {
  const value = run.value as Partial<Served> | undefined;
  const ok =
    typeof value?.requests === 'number' &&
    typeof value.bytes === 'number' &&
    Array.isArray(value.numbers) &&
    value.numbers.length === workers.length &&
    value.numbers.every((list, w) => Array.isArray(list) && list.length === workers[w]!.length);
  if (!ok) run.fail(`serve returned ${show(value)}; keep serve as the starter has it, returning { requests, bytes, numbers } with one number per request`);
  return value as Served;
}

const describe = (workers: number[][]) =>
  `with ${plural(workers.length, 'worker')} serving ${plural(workers.flat().length, 'request')}`;

export default [
  check('counts-every-request', 'Every request is counted once, with its bytes, whatever the schedule', async (t) => {
    for (const seed of t.seeds(3)) {
      const workers = someWorkers(t, 3 + Math.floor(t.random() * 2), 6 + Math.floor(t.random() * 6));
      const run = await t.call('serve', [workers], { seed });
      const served = servedOf(run, workers);
      const requests = workers.flat().length;
      const bytes = workers.flat().reduce((a, b) => a + b, 0);
      const problems: string[] = [];
      if (served.requests !== requests) {
        problems.push(
          `the request counter ended at ${count(served.requests)}` +
            (served.requests < requests ? `: ${plural(requests - served.requests, 'update was', 'updates were')} lost` : ''),
        );
      }
      if (served.bytes !== bytes) problems.push(`the byte counter ended at ${count(served.bytes)}, not ${count(bytes)}`);
      const all = served.numbers.flat();
      const seen = new Set<number>();
      const twice = [...new Set(all.filter((n) => (seen.has(n) ? true : (seen.add(n), false))))];
      if (twice.length > 0) problems.push(`more than one request got the number ${show(twice.slice(0, 5))}`);
      else if (!all.every((n) => Number.isInteger(n) && n >= 0 && n < requests)) {
        problems.push(`the requests got the numbers ${show([...all].sort((a, b) => a - b))}, not 0 to ${count(requests - 1)} once each`);
      } else if (!served.numbers.every((mine) => mine.every((n, i) => i === 0 || n > mine[i - 1]!))) {
        problems.push(`a worker's later request got a smaller number than its earlier one, though the counter only goes up`);
      }
      if (problems.length === 0) continue;
      run.fail(
        `${describe(workers)}, ${problems.join('; ')}. When a thread loads a counter and then stores the value plus one, ` +
          `another thread can load the same value in between, and one of the two updates is lost. ` +
          `Do the read, the add and the write in one atomic step (fetchAdd), and use the value it returns`,
      );
    }
  }),

  check('workers-record-their-requests', 'Each worker records its own requests with record, at the same time as the others', async (t) => {
    // The totals and numbers serve returns could be worked out on the calling thread, one request after another, with
    // the workers only handing them back: nothing would run at the same time, and nothing could be lost. The trace
    // records every call of record and its thread.
    const workers = someWorkers(t, 3, 5);
    const [seed] = t.seeds(1);
    const run = await t.call('serve', [workers], { seed, trace: true });
    servedOf(run, workers);
    const spawned = new Set(run.trace.spawned().map((s) => s.threadId));
    const calls = run.trace.calls('record');
    const elsewhere = calls.filter((c) => !spawned.has(c.threadId));
    const onWorkers = calls.length - elsewhere.length;
    const requests = workers.flat().length;
    if (elsewhere.length > 0 || onWorkers !== requests) {
      run.fail(
        `${describe(workers)}, the workers called record ${plural(onWorkers, 'time')}` +
          (elsewhere.length > 0 ? ` and ${elsewhere[0]!.thread} ${plural(elsewhere.length, 'time')}` : '') +
          `: each worker should call record(stats, size) once for each of its ${plural(requests, 'request')}, on the shared atomics, as serve does in the starter. ` +
          `Keep serve as it is and fix record`,
      );
    }
  }),

  check('threads-share-atomics', 'The workers count on the shared atomics, and main joins them', async (t) => {
    const workers = someWorkers(t, 3, 5);
    const [seed] = t.seeds(1);
    const run = await t.call('serve', [workers], { seed, trace: true });
    servedOf(run, workers);
    const spawned = run.trace.spawned().map((s) => s.threadId);
    if (spawned.length !== workers.length) {
      run.fail(`${describe(workers)}, serve spawned ${plural(spawned.length, 'thread')}: keep serve as the starter has it, one thread per worker`);
    }
    const joined = new Set(run.trace.joins().filter((j) => j.by === 'main').map((j) => j.threadId));
    const unjoined = spawned.filter((id) => !joined.has(id)).length;
    if (unjoined > 0) {
      run.fail(
        `${describe(workers)}, main read the totals without joining ${plural(unjoined, 'worker')}: ` +
          `only join() says a thread is done; waiting some time instead only happens to work when the workers are quick`,
      );
    }
    const locks = run.trace.locks().length;
    if (locks > 0) {
      run.fail(
        `${describe(workers)}, the program locked a Mutex ${plural(locks, 'time')}. That counts correctly, but this exercise is about atomics: ` +
          `fetchAdd does the read, the add and the write in one step, with no lock for the threads to queue on`,
      );
    }
  }),
];
