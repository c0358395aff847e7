import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** The exercise's digest, to compare with (the checks run it on their own side). */
function digest(record: string): number {
  let h = 2166136261;
  for (let round = 0; round < 40_000; round++) {
    for (let i = 0; i < record.length; i++) {
      h ^= record.charCodeAt(i) + round;
      h = Math.imul(h, 16777619) >>> 0;
    }
  }
  return h;
}

interface Batch {
  ids: number[];
  latencies: number[];
}

/** Requests the program can't know in advance; the first is the slowest, so finishing order is not the order of ids. */
function someBatch(t: CheckContext, n: number): Batch {
  const ids = new Set<number>();
  while (ids.size < n) ids.add(1 + Math.floor(t.random() * 999));
  const latencies = [...ids].map((_, i) => (i === 0 ? 150 : 20) + 10 * Math.floor(t.random() * 12));
  return { ids: [...ids], latencies };
}

function elapsedMs(run: ProgramRun): number {
  // The called function's own task: the first task on main's executor (spawned by the runner, before any of the program's).
  const root = run.trace.tasks().find((task) => task.thread === 'main');
  if (root === undefined || root.exitedAtMs === undefined) {
    run.fail('handleRequests did not run as a task on the executor: keep it an `async function` that returns the digests');
  }
  return root.exitedAtMs - root.spawnedAtMs;
}

/** Where the first blocking call was made, for the editor to point at. */
function at(run: ProgramRun): { line: number; column: number } | undefined {
  const first = run.trace.events.find((e) => e.kind === 'task-blocking' && e.line !== undefined);
  return first === undefined ? undefined : { line: first.line!, column: first.column ?? 1 };
}

const handle = (t: CheckContext, b: Batch, trace = false) =>
  t.call('handleRequests', [b.ids, b.latencies], { seed: t.seeds(1)[0]!, trace });

export default [
  check('right-digests', "Every request's digest comes back, in the order of ids", async (t) => {
    const b = someBatch(t, 3);
    const run = await handle(t, b);
    const expected = b.ids.map((id) => digest(`record-${id}`));
    if (sameData(run.value, expected)) return;
    const value = run.value;
    run.fail(
      Array.isArray(value) && sameData([...value].sort(), [...expected].sort())
        ? `handleRequests returned the right digests in the wrong order, ${show(value)}: they must follow ids, ${show(b.ids)}`
        : `for ids ${show(b.ids)} handleRequests returned ${show(value)}, expected ${show(expected)}: digest(fetchedRecord(id)) for each id`,
    );
  }),

  check('no-blocking-calls', 'No task makes a blocking call', async (t) => {
    const b = someBatch(t, 3);
    const run = await handle(t, b, true);
    const blocking = run.trace.blockingInTasks();
    if (blocking.length === 0) return;
    const lines = [...new Set(blocking.map((b) => b.line).filter((line) => line !== undefined))];
    run.fail(
      `${plural(blocking.length, 'blocking call')} stopped the executor from inside a task` +
        (lines.length > 0 ? ` (at ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')})` : '') +
        `: while a task sleeps, joins a thread or waits on a weft/sync lock or channel, no other task can run. ` +
        `Wait with weft/task's await sleep, and await spawnBlocking's future instead of joining a thread`,
      at(run),
    );
  }),

  check('requests-at-once', 'The requests are served at the same time', async (t) => {
    const b = someBatch(t, 4);
    const run = await handle(t, b, true);
    const took = elapsedMs(run);
    const expected = Math.max(...b.latencies);
    if (took < expected) {
      run.fail(
        `with latencies of ${show(b.latencies)} ms the batch took only ${count(took)} ms, less than its slowest request waits for its record: ` +
          `each request must first wait latencies[i] ms for the backend (await sleep(latencies[i])) before it hashes the record`,
      );
    }
    if (took === expected) return;
    const sum = b.latencies.reduce((x, y) => x + y, 0);
    run.fail(
      `with latencies of ${show(b.latencies)} ms the batch took ${count(took)} ms` +
        (took === sum ? ' (their sum: one request after another)' : '') +
        `; it should take ${count(expected)} ms, as long as the slowest request: give each request a task (or join them) instead of awaiting them in turn`,
    );
  }),

  check('hashing-off-the-executor', 'The hashing runs on a blocking thread (spawnBlocking)', async (t) => {
    const b = someBatch(t, 3);
    const run = await handle(t, b, true);
    if (run.trace.spawned().length === 0) {
      run.fail(
        `no thread was started: every digest was computed on the executor's own thread, and a hash takes long enough to stall every other task. ` +
          `Hand the work to spawnBlocking(() => digest(record)) and await the future it returns`,
      );
    }
    // Every digest must come back from a blocking thread: the trace keeps what each thread returned, a number or the
    // numbers inside an array or object (the whole batch's digests, an [index, digest] pair). A thread that hands back
    // the record and leaves the hashing to the task returns no digest.
    const joins = run.trace.joins();
    const onExecutor = b.ids.filter((id) => !joins.some((j) => j.holds(digest(`record-${id}`))));
    if (onExecutor.length === 0) {
      // A blocking thread can also hand back a digest the task worked out on the executor before spawning it. In a free
      // run the trace says how long each thread worked (blocked time left out): one hash is a millisecond or more here
      // (400,000 steps), while a thread that returns a ready number works some microseconds warm. The bar, 0.1 ms, is a
      // fixed one (a machine ten times quicker still clears it); the larger figure of two runs is taken, since a thread on
      // a cold worker can look busy once.
      const least = 0.1;
      let quickest = -Infinity;
      let quickestThread = '';
      for (let attempt = 0; attempt < 2; attempt++) {
        const free = await t.call('handleRequests', [b.ids, b.latencies], { trace: true, timeoutMs: 30_000 });
        const work = free.trace.threadWork();
        const hashers = free.trace.joins().filter((j) => b.ids.some((id) => j.holds(digest(`record-${id}`))));
        const quickestHasher = hashers
          .map((j) => ({ thread: work.find((w) => w.threadId === j.threadId) }))
          .filter((h) => h.thread !== undefined)
          .reduce<{ ms: number; name: string } | undefined>((a, h) => (a === undefined || h.thread!.workMs < a.ms ? { ms: h.thread!.workMs, name: h.thread!.thread } : a), undefined);
        if (quickestHasher === undefined) return;
        if (quickestHasher.ms > quickest) {
          quickest = quickestHasher.ms;
          quickestThread = quickestHasher.name;
        }
        if (quickest >= least) return;
      }
      run.fail(
        `${quickestThread} handed a digest back from spawnBlocking, but worked only ${quickest.toFixed(3)} ms, while one hash takes a millisecond or more: ` +
          `the digest was computed on the executor before the blocking thread started, and the thread only returned it. ` +
          `Call digest(record) inside the closure you give spawnBlocking`,
      );
    }
    run.fail(
      `the digests of ${plural(onExecutor.length, 'request')} out of ${b.ids.length} (ids ${show(onExecutor)}) did not come back from a blocking thread: ` +
        `they were computed on the executor's own thread, where each hash stalls every other task. ` +
        `Every digest must be computed inside spawnBlocking(() => digest(record)), not only some of them`,
    );
  }),
];
