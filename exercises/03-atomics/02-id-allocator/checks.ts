import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

const U32_MAX = 4_294_967_295;

interface Plan {
  first: number;
  end: number;
  workers: number;
  callsEach: number;
}

/** A range the program can't know in advance, and a few more calls than it has ids. */
function somePlan(t: CheckContext, end?: number): Plan {
  const ids = 9 + Math.floor(t.random() * 6);
  const workers = 3;
  const callsEach = Math.ceil((ids + 3) / workers);
  const last = end ?? 1000 + Math.floor(t.random() * 1_000_000);
  return { first: last - ids, end: last, workers, callsEach };
}

function describe(plan: Plan): string {
  return `with ids ${count(plan.first)} to ${count(plan.end - 1)} (${plural(plan.end - plan.first, 'id')}) and ${plural(plan.workers, 'thread')} calling allocate ${plural(plan.callsEach, 'time')} each`;
}

async function handOut(t: CheckContext, plan: Plan, seed: number | undefined, trace = false): Promise<{ run: ProgramRun; got: (number | null)[][] }> {
  const run = await t.call('handOut', [plan.first, plan.end, plan.workers, plan.callsEach], { ...(seed === undefined ? {} : { seed }), trace });
  const got = run.value as unknown;
  const ok =
    Array.isArray(got) &&
    got.length === plan.workers &&
    got.every((list) => Array.isArray(list) && list.length === plan.callsEach && list.every((id) => id === null || typeof id === 'number'));
  if (!ok) run.fail(`handOut returned ${show(got)}; keep handOut as the starter has it, returning what each thread got, with null for a call that got no id`);
  return { run, got: got as (number | null)[][] };
}

/** Ids handed out more than once. */
function duplicates(ids: number[]): number[] {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return [...twice];
}

export default [
  check('ids-unique', 'No id is handed out twice, whatever the schedule', async (t) => {
    for (const seed of t.seeds(3)) {
      const plan = somePlan(t);
      const { run, got } = await handOut(t, plan, seed);
      const twice = duplicates(got.flat().filter((id): id is number => id !== null));
      if (twice.length > 0) {
        run.fail(
          `${describe(plan)}, ${plural(twice.length, 'id')} ${show(twice)} went to more than one call. ` +
            `Between one thread's check of the counter and its store, another thread read the same id: ` +
            `the check and the increase must be one atomic step (compareExchange, or fetchUpdate)`,
        );
      }
    }
  }),

  check('hands-out-every-id', 'Every id in the range is handed out, none beyond it, and later calls get none', async (t) => {
    for (const [i, seed] of t.seeds(2).entries()) {
      const plan = somePlan(t);
      const { run, got } = await handOut(t, plan, seed, i === 0);
      if (i === 0) {
        const spawned = run.trace.spawned().length;
        if (spawned !== plan.workers) run.fail(`${describe(plan)}, handOut spawned ${plural(spawned, 'thread')}: keep handOut as the starter has it`);
      }
      const ids = got.flat().filter((id): id is number => id !== null);
      const outside = ids.filter((id) => id < plan.first || id >= plan.end);
      if (outside.length > 0) {
        run.fail(
          `${describe(plan)}, allocate handed out ${show(outside)}, outside the range: ` +
            `once the counter reaches end, allocate must return undefined and leave the counter alone`,
        );
      }
      const missing: number[] = [];
      for (let id = plan.first; id < plan.end; id++) if (!ids.includes(id)) missing.push(id);
      if (missing.length > 0 && duplicates(ids).length === 0) {
        run.fail(
          `${describe(plan)}, ${plural(missing.length, 'id')} ${show(missing)} ${missing.length === 1 ? 'was' : 'were'} never handed out, ` +
            `though ${plural(got.flat().filter((id) => id === null).length, 'call')} came back with none. ` +
            `When compareExchange fails because another thread took the id first, the ids aren't used up: try again with the value it returns`,
        );
      }
      const late = got.find((list) => list.some((id, k) => id !== null && k > 0 && list[k - 1] === null));
      if (late !== undefined) {
        run.fail(`${describe(plan)}, a thread got ${show(late)}: an id after a call that got none. Once the ids are used up, every later call must get none`);
      }
    }
  }),

  check('threads-call-allocate', 'Every id comes from a call of allocate on one of the threads', async (t) => {
    // What each thread got could be worked out on the calling thread, one call after another, and only handed back
    // by the threads: nothing would run at the same time, and no id could go twice. The trace records every call of
    // allocate and its thread.
    const plan = somePlan(t);
    const [seed] = t.seeds(1);
    const { run } = await handOut(t, plan, seed, true);
    const spawned = new Set(run.trace.spawned().map((s) => s.threadId));
    const calls = run.trace.calls('allocate');
    const elsewhere = calls.filter((c) => !spawned.has(c.threadId));
    const onThreads = calls.length - elsewhere.length;
    const wanted = plan.workers * plan.callsEach;
    if (elsewhere.length > 0 || onThreads !== wanted) {
      run.fail(
        `${describe(plan)}, the threads called allocate ${plural(onThreads, 'time')}` +
          (elsewhere.length > 0 ? ` and ${elsewhere[0]!.thread} ${plural(elsewhere.length, 'time')}` : '') +
          `, not ${count(wanted)}: each thread should call allocate(next, end) itself, on the shared counter, as handOut does in the starter. Keep handOut as it is and fix allocate`,
      );
    }
  }),

  check('never-wraps', 'At the top of the u32 range, the counter stops instead of wrapping to 0', async (t) => {
    // Many calls after the ids are gone, on two schedules: a counter that goes past the end only for a moment
    // (add, then take it back) wraps where another thread can see it in some schedules, and each extra call is a chance.
    const plan = somePlan(t, U32_MAX);
    plan.callsEach += 4;
    for (const seed of t.seeds(2)) {
      const { run, got } = await handOut(t, plan, seed);
      const ids = got.flat().filter((id): id is number => id !== null);
      const wrapped = ids.filter((id) => id < plan.first || id >= plan.end);
      if (wrapped.length > 0) {
        run.fail(
          `${describe(plan)}, allocate handed out ${show(wrapped)}: the counter went past 4,294,967,295 and wrapped around to 0. ` +
            `A call that finds no id left must not add to the counter at all: check before you add, in one compare-exchange`,
        );
      }
    }
  }),
];
