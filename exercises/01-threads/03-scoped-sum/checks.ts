import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

function someValues(t: CheckContext, n: number, negative: boolean): number[] {
  return Array.from({ length: n }, () => Math.floor(t.random() * 2000) - (negative ? 3000 : 1000));
}

async function sumAndMax(t: CheckContext, values: number[], k: number, request: { seed?: number; trace?: boolean }) {
  const run = await t.call('sumAndMax', [values, k], { timeoutMs: 30_000, ...request });
  const value = run.value as { total?: unknown; max?: unknown } | undefined;
  if (typeof value?.total !== 'number' || typeof value.max !== 'number') run.fail(`sumAndMax returned ${show(value)}: it should return { total, max }`);
  return { run, result: value as { total: number; max: number } };
}

/** How many of the values each thread read through its read guards (the trace's read-items, traced runs), by thread id. */
function valuesReadBy(run: ProgramRun): Map<number, number> {
  const read = new Map<number, number>();
  for (const r of run.trace.itemsRead()) read.set(r.threadId, (read.get(r.threadId) ?? 0) + r.items);
  return read;
}

const describe = (values: number[], k: number) => `with ${plural(values.length, 'value')} and ${plural(k, 'thread')}`;

export default [
  check('exact-total-and-max', 'The total and the maximum are exact, whatever the length and the number of threads', async (t) => {
    // Lengths that k doesn't divide; once with only negative values.
    const cases: [number, number, boolean][] = [
      [11, 3, false],
      [7, 2, true],
    ];
    const seeds = t.seeds(cases.length);
    for (const [i, [n, k, negative]] of cases.entries()) {
      const values = someValues(t, n, negative);
      const { run, result } = await sumAndMax(t, values, k, { seed: seeds[i]! });
      const total = values.reduce((a, b) => a + b, 0);
      const max = Math.max(...values);
      if (result.total !== total || result.max !== max) {
        run.fail(
          `${describe(values, k)} (${show(values)}), sumAndMax returned a total of ${result.total} and a maximum of ${result.max}, ` +
            `not ${total} and ${max}. Check that the slices cover every value once, the last one included, and that a maximum starts below any value`,
        );
      }
    }
  }, LOADED_GRADER),

  check('k-threads-read-the-data', 'Exactly k threads share the work at the same time, each reading the data', async (t) => {
    // Two different k, so that a fixed number of threads shows; whether two threads were ever alive at once
    // depends on the schedule, so up to two more schedules are asked before saying they never overlapped.
    const seeds = t.seeds(4);
    const values = someValues(t, 10, false);
    let most = 0;
    let line: number | undefined;
    for (const [i, seed] of seeds.entries()) {
      const k = i % 2 === 0 ? 3 : 4;
      const { run } = await sumAndMax(t, values, k, { seed, trace: true });
      const spawned = run.trace.spawned();
      const threads = spawned.map((s) => s.threadId);
      if (threads.length !== k) run.fail(`${describe(values, k)}, sumAndMax spawned ${plural(threads.length, 'thread')}: one per slice, ${k} in all, is wanted`);
      const readers = new Set(run.trace.locks().map((e) => e.threadId));
      const idle = threads.filter((id) => !readers.has(id)).length;
      if (idle > 0) {
        run.fail(`${describe(values, k)}, ${plural(idle, 'thread')} never read the data: each thread should read its own slice (data.read()) and work it out`);
      }
      // And each reads its slice: the trace counts the items a read guard's thread read. A thread that takes the
      // read lock and hands back a part the caller worked out reads none, however long it keeps busy.
      const read = valuesReadBy(run);
      const readNone = threads.filter((id) => (read.get(id) ?? 0) === 0).length;
      const readInAll = threads.reduce((sum, id) => sum + (read.get(id) ?? 0), 0);
      if (readNone > 0 || readInAll < values.length) {
        run.fail(
          `${describe(values, k)}, ${readNone > 0 ? `${plural(readNone, 'thread')} took the read lock but read none of the values` : `the threads read only ${plural(readInAll, 'value')} of the data`}: ` +
            `a thread that reads none of its slice did not work its part out. In each thread's closure, go through its own slice of d.value (from data.read()) and return that slice's total and maximum`,
          spawned[0]?.line === undefined ? undefined : { line: spawned[0].line, column: 1 },
        );
      }
      most = Math.max(most, run.trace.mostAliveAtOnce());
      line ??= spawned[0]?.line;
      if (i >= 1 && most >= 2) return;
    }
    t.fail(
      `in ${seeds.length} schedules, sumAndMax never had two of its threads running at once: each thread ended before the next one was spawned. ` +
        `Spawn all k threads first, then join them (a join right after each spawn makes the work sequential)`,
      line === undefined ? undefined : { line, column: 1 },
    );
  }, LOADED_GRADER),

  check('threads-do-the-work', 'The threads work out the sum and the maximum, not the caller', async (t) => {
    // Each thread goes through its own slice: the trace counts the items each read guard's thread read (arrays of up
    // to 4,096 items, in traced runs). One thread that goes through everything while the others read a value or two
    // for show is not k threads sharing the work. The bar is a quarter of an even share, so any honest way of cutting
    // the slices (rounded up or down, the rest to the last thread) clears it. (This check timed each thread's work
    // before: on a loaded machine an idle thread could look busy, and an answer where one thread did everything passed.)
    const values = someValues(t, 240, false);
    for (const [i, seed] of t.seeds(2).entries()) {
      const k = i === 0 ? 2 : 3;
      const { run } = await sumAndMax(t, values, k, { seed, trace: true });
      const read = valuesReadBy(run);
      const share = values.length / k;
      const spawned = run.trace.spawned();
      const at = spawned.findIndex((s) => (read.get(s.threadId) ?? 0) < share / 4);
      const light = spawned[at];
      if (light !== undefined) {
        const busiest = Math.max(...spawned.map((s) => read.get(s.threadId) ?? 0));
        run.fail(
          `${describe(values, k)}, thread ${at + 1} of the ${k} spawned read ${plural(read.get(light.threadId) ?? 0, 'value')} of the data` +
            `${busiest > (read.get(light.threadId) ?? 0) ? ` while another thread read ${count(busiest)}` : ''}: ` +
            `each of the k threads should go through its own slice (about ${count(Math.round(share))} values each here) and return that slice's total and maximum`,
          light.line === undefined ? undefined : { line: light.line, column: 1 },
        );
      }
    }
  }, LOADED_GRADER),
];
