import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Plan {
  threads: number;
  rounds: number;
  failAt: number[];
}

/** Small plans: under a seed every turn of a spin loop is a switch between threads, and switches cost the most. */
function somePlan(t: CheckContext, threads: number, failures: number): Plan {
  const rounds = 3 + Math.floor(t.random() * 2);
  const failAt = new Set<number>();
  while (failAt.size < failures) failAt.add(Math.floor(t.random() * (rounds - 1)));
  return { threads, rounds, failAt: [...failAt].sort((a, b) => a - b) };
}

function describe(plan: Plan): string {
  const failing = plan.failAt.length === 0 ? '' : `, the work failing in round${plan.failAt.length === 1 ? '' : 's'} ${plan.failAt.join(' and ')}`;
  return `with ${plural(plan.threads, 'thread')} adding 1 to the counter ${plural(plan.rounds, 'time')} each${failing}`;
}

function resultOf(run: ProgramRun): { count: number; failures: number } {
  const value = run.value as { count?: unknown; failures?: unknown } | undefined;
  if (typeof value?.count !== 'number' || typeof value.failures !== 'number') {
    run.fail(`runCounter returned ${show(value)}; keep runCounter as the starter has it, returning { count, failures }`);
  }
  return value as { count: number; failures: number };
}

const runCounter = (t: CheckContext, plan: Plan, request: { seed?: number; trace?: boolean; timeoutMs?: number; mayFail?: boolean }) =>
  t.call('runCounter', [plan.threads, plan.rounds, plan.failAt], request);

export default [
  check('mutual-exclusion', 'Only one thread at a time runs under the lock: no update is lost', async (t) => {
    for (const seed of t.seeds(3)) {
      const plan = somePlan(t, 3, 0);
      const run = await runCounter(t, plan, { seed, timeoutMs: 15_000 });
      const { count: total } = resultOf(run);
      const expected = plan.threads * plan.rounds;
      if (total !== expected) {
        run.fail(
          `${describe(plan)}, the counter ended at ${count(total)}, not ${count(expected)}: ` +
            `${total < expected ? `${plural(expected - total, 'update was', 'updates were')} lost, because two threads were inside the lock at the same time` : 'updates were counted twice'}. ` +
            `Taking the lock must be one atomic step that fails when it is already taken (compareExchange(false, true), or swap(true) returning false), ` +
            `and the lock must be held until f has returned`,
        );
      }
    }
  }),

  check('releases-on-throw', 'The lock is released even when the work throws', async (t) => {
    const plan = somePlan(t, 2, 1);
    const [seed] = t.seeds(1);
    // A lock left taken shows as a run that never ends; a correct one takes well under a second, so 5 s is enough to tell.
    const run = await runCounter(t, plan, { seed, mayFail: true, timeoutMs: 5_000 });
    if (run.status !== 'ok') {
      run.failEnded(
        `${describe(plan)}, the program never finished (${run.summary}): after the work threw, the lock stayed taken, and every thread that wanted it again spun forever. ` +
          `Release the lock in a finally block (or with a guard disposed by using), so that it is released however f ends`,
      );
    }
    const { count: total, failures } = resultOf(run);
    const expected = plan.threads * plan.rounds;
    const expectedFailures = plan.threads * plan.failAt.length;
    if (total !== expected || failures !== expectedFailures) {
      run.fail(
        `${describe(plan)}, the counter ended at ${count(total)} (expected ${count(expected)}) with ${plural(failures, 'failure')} (expected ${count(expectedFailures)}): ` +
          `withLock must run f once, pass on what it throws, and release the lock either way`,
      );
    }
  }),

  check('spins-on-an-atomic', 'The lock is the AtomicBool itself, not a Mutex, and every thread takes it with withLock', async (t) => {
    const plan = somePlan(t, 2, 0);
    const [seed] = t.seeds(1);
    const run = await runCounter(t, plan, { seed, trace: true });
    resultOf(run);
    const locks = run.trace.locks().length;
    if (locks > 0) {
      run.fail(
        `${describe(plan)}, the program locked a Mutex ${plural(locks, 'time')}. That works, but the exercise is to build the lock yourself: ` +
          `spin on the AtomicBool until compareExchange(false, true) succeeds, and store false to release it`,
      );
    }
    const spawned = run.trace.spawned().length;
    if (spawned !== plan.threads) run.fail(`${describe(plan)}, runCounter spawned ${plural(spawned, 'thread')}: keep runCounter as the starter has it`);
    // runCounter is the bench: rewritten to work the count out itself, it needs no lock at all. The trace records every
    // call of withLock and its thread.
    const ids = new Set(run.trace.spawned().map((s) => s.threadId));
    const calls = run.trace.calls('withLock');
    const onThreads = calls.filter((c) => ids.has(c.threadId)).length;
    if (onThreads !== plan.threads * plan.rounds || calls.length !== onThreads) {
      run.fail(
        `${describe(plan)}, withLock was called ${plural(onThreads, 'time')} on the threads` +
          (calls.length > onThreads ? ` and ${plural(calls.length - onThreads, 'time')} on main` : '') +
          `, not ${plan.threads * plan.rounds}: keep runCounter as the starter has it, with every thread calling withLock once a round, and write withLock`,
      );
    }
  }),
];
