import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Room for a busy grader: a seeded run switches threads at every synchronization point, and a loaded machine switches slowly. */
const LOADED_GRADER = { budgetMs: 120_000 };

function step(left: number, me: number, right: number, round: number): number {
  return (3 * left + 5 * me + 7 * right + round) % 1009;
}

/** The rounds one after another, on one thread: what the workers must agree with. */
function reference(initial: number[], rounds: number): { cells: number[]; sums: number[] } {
  let cells = initial.slice();
  const sums: number[] = [];
  const n = cells.length;
  for (let round = 0; round < rounds; round++) {
    cells = cells.map((me, i) => step(cells[(i + n - 1) % n]!, me, cells[(i + 1) % n]!, round));
    sums.push(cells.reduce((a, b) => a + b, 0));
  }
  return { cells, sums };
}

function someCells(t: CheckContext, n: number): number[] {
  return Array.from({ length: n }, () => Math.floor(t.random() * 1009));
}

async function simulate(t: CheckContext, initial: number[], rounds: number, request: { seed?: number; trace?: boolean }) {
  const run = await t.call('simulate', [initial, rounds], { timeoutMs: 30_000, ...request }); // generous: a busy grader switches threads slowly
  const value = run.value as { cells?: unknown; sums?: unknown } | undefined;
  const ok = Array.isArray(value?.cells) && Array.isArray(value.sums) && [...value.cells, ...value.sums].every((v) => typeof v === 'number');
  if (!ok) run.fail(`simulate returned ${show(value)}; keep simulate returning { cells, sums }`);
  return { run, result: value as { cells: number[]; sums: number[] } };
}

const describe = (initial: number[], rounds: number) => `with ${plural(initial.length, 'cell')} (one worker each) and ${plural(rounds, 'round')}`;

export default [
  check('matches-step-by-step', 'The cells end as if the rounds ran one after another', async (t) => {
    for (const seed of t.seeds(3)) {
      const initial = someCells(t, 3 + Math.floor(t.random() * 2));
      const rounds = 3;
      const { run, result } = await simulate(t, initial, rounds, { seed });
      const expected = reference(initial, rounds);
      if (result.cells.length !== initial.length || result.cells.some((v, i) => v !== expected.cells[i])) {
        run.fail(
          `${describe(initial, rounds)}, starting from ${show(initial)}, the cells ended as ${show(result.cells)}, not ${show(expected.cells)}: ` +
            `a worker read a neighbour's value from the wrong round. No worker may write before every worker has read the round's values, ` +
            `and no worker may start reading the next round before every worker has written`,
        );
      }
    }
  }, LOADED_GRADER),

  check('one-sum-per-round', 'After each round, one worker (the leader) records the sum', async (t) => {
    const initial = someCells(t, 4);
    const rounds = 3;
    // Several schedules: a sum taken before every worker has written (by the leader of the wait before the writes)
    // comes out right in the odd schedule where the others happened to write first.
    for (const seed of t.seeds(3)) {
      const { run, result } = await simulate(t, initial, rounds, { seed });
      const expected = reference(initial, rounds);
      if (result.sums.length !== rounds) {
        run.fail(
          `${describe(initial, rounds)}, the workers recorded ${plural(result.sums.length, 'sum')} ${show(result.sums)}: one per round is wanted, ` +
            `so only the worker whose wait() says isLeader() should record it`,
        );
      }
      if (result.sums.some((s, r) => s !== expected.sums[r])) {
        run.fail(`${describe(initial, rounds)}, the sums recorded were ${show(result.sums)}, not ${show(expected.sums)}: record a round's sum once every worker has written its cell`);
      }
    }
  }, LOADED_GRADER),

  check('waits-for-the-others', 'Every worker does its own cell each round, and waits for the others instead of sleeping and hoping', async (t) => {
    const initial = someCells(t, 3);
    const [seed] = t.seeds(1);
    const { run } = await simulate(t, initial, 2, { seed, trace: true });
    const workers = new Set(run.trace.spawned().map((s) => s.threadId));
    if (workers.size !== initial.length) run.fail(`${describe(initial, 2)}, simulate spawned ${plural(workers.size, 'thread')}: keep one worker per cell`);
    // Each worker works out its own cell: it reads the round's values and writes its new one every round.
    const rounds = 2;
    const lazy = [...workers].findIndex((id) => run.trace.locks().filter((e) => e.threadId === id).length < rounds);
    if (lazy >= 0) {
      run.fail(
        `${describe(initial, rounds)}, worker ${lazy + 1} of ${workers.size} locked the cells fewer than ${rounds} times: ` +
          `each worker should read its neighbours and write its own cell in every round, not leave the work to another thread`,
      );
    }
    // And works it out with step, on its own thread: rounds worked out beforehand, on the calling thread, and only
    // copied in by the workers need no waits at all. The trace records every call of step and its thread.
    const steps = run.trace.calls('step');
    const elsewhere = steps.filter((c) => !workers.has(c.threadId));
    const short = [...workers].findIndex((id) => steps.filter((c) => c.threadId === id).length !== rounds);
    if (elsewhere.length > 0 || short >= 0) {
      run.fail(
        elsewhere.length > 0
          ? `${describe(initial, rounds)}, ${elsewhere[0]!.thread} called step ${plural(elsewhere.length, 'time')}: the rounds were worked out outside the workers. ` +
              `Each worker should call step for its own cell, once a round, with the values it reads that round, and wait at the barrier for the others`
          : `${describe(initial, rounds)}, worker ${short + 1} of ${workers.size} called step ${plural(steps.filter((c) => c.threadId === [...workers][short]).length, 'time')}, not ${rounds}: ` +
              `each worker should work out its own cell with step once a round, from the values it reads that round`,
      );
    }
    const naps = run.trace.events.filter((e) => e.kind === 'block' && e.object === 0 && workers.has(e.threadId));
    if (naps.length > 0) {
      run.fail(
        `${describe(initial, 2)}, the workers slept ${plural(naps.length, 'time')} to let the others catch up. A sleep doesn't wait for anyone: ` +
          `on a busy machine a worker can sleep and still be ahead. barrier.wait() returns only once every worker has arrived`,
        naps[0]!.line === undefined ? undefined : { line: naps[0]!.line, column: naps[0]!.column ?? 1 },
      );
    }
  }, LOADED_GRADER),
];
