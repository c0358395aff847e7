import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Transfer {
  from: number;
  to: number;
  amount: number;
  ms: number;
  approved: boolean;
}

interface Bench {
  balances: number[];
  transfers: Transfer[];
  limit: number;
}

/**
 * Three accounts and six transfers with distinct amounts, chosen by the check: three answered within the limit, three
 * too slow (in a shuffled order), never within 10 ms of the limit, so that a free run on a busy machine sorts them the same way.
 * The bank refuses one fast and one slow transfer.
 */
function someBench(t: CheckContext): Bench {
  const limit = 60 + 10 * Math.floor(t.random() * 5);
  const balances = Array.from({ length: 3 }, () => 100 + Math.floor(t.random() * 100));
  const amounts = new Set<number>();
  while (amounts.size < 6) amounts.add(5 + Math.floor(t.random() * 60));
  // [fast, approved] per transfer, shuffled.
  const kinds: [boolean, boolean][] = [
    [true, true],
    [true, true],
    [true, false],
    [false, true],
    [false, true],
    [false, false],
  ];
  kinds.sort(() => t.random() - 0.5);
  const transfers = [...amounts].map((amount, i) => {
    const [fast, approved] = kinds[i]!;
    const from = Math.floor(t.random() * 3);
    const to = (from + 1 + Math.floor(t.random() * 2)) % 3;
    const ms = fast ? 5 + Math.floor(t.random() * (limit - 15)) : limit + 10 + Math.floor(t.random() * 60);
    return { from, to, amount, ms, approved };
  });
  return { balances, transfers, limit };
}

function applied(balances: number[], transfers: Transfer[]): number[] {
  const out = [...balances];
  for (const tr of transfers) {
    out[tr.from]! -= tr.amount;
    out[tr.to]! += tr.amount;
  }
  return out;
}

const describe = (tr: Transfer) => `the transfer of ${tr.amount} from account ${tr.from} to account ${tr.to}`;
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function resultOf(run: ProgramRun, bench: Bench): { balances: number[]; outcomes: string[] } {
  const value = run.value as { balances?: unknown; outcomes?: unknown } | undefined;
  if (!Array.isArray(value?.balances) || !Array.isArray(value.outcomes) || value.outcomes.length !== bench.transfers.length) {
    run.fail(`runTransfers returned ${show(value)}: keep the test bench (runTransfers) as it is, returning { balances, outcomes }`);
  }
  return value as { balances: number[]; outcomes: string[] };
}

const runTransfers = (t: CheckContext, bench: Bench, request: { seed?: number; trace?: boolean }) =>
  t.call('runTransfers', [bench.balances, bench.transfers, bench.limit], { timeoutMs: 20_000, ...request });

export default [
  check('all-or-nothing', 'A transfer moves its money entirely or not at all, even when cancelled, and only if the bank approves', async (t) => {
    for (const seed of [...t.seeds(3), undefined]) {
      const bench = someBench(t);
      const run = await runTransfers(t, bench, seed === undefined ? {} : { seed });
      const { balances, outcomes } = resultOf(run, bench);
      const done = bench.transfers.filter((_, i) => outcomes[i] === 'done');
      const refused = bench.transfers.filter((tr, i) => outcomes[i] !== 'done' && !tr.approved);
      // Every transfer reported done has happened, no refused one has; each approved one that timed out happened entirely or not at all.
      const open = bench.transfers.filter((tr, i) => outcomes[i] !== 'done' && tr.approved);
      const base = applied(bench.balances, done);
      let fits = false;
      for (let mask = 0; mask < 1 << open.length && !fits; mask++) {
        fits = sameData(balances, applied(base, open.filter((_, i) => mask & (1 << i))));
      }
      if (fits) continue;
      const timedOut = bench.transfers.filter((_, i) => outcomes[i] === 'timed out');
      const lost = sum(bench.balances) - sum(balances);
      if (lost !== 0) {
        run.fail(
          `starting from ${show(bench.balances)} (total ${count(sum(bench.balances))}), with a limit of ${bench.limit} ms and ${timedOut.map((tr) => `${describe(tr)} (answered after ${tr.ms} ms)`).join('; ') || 'no transfer'} timing out, ` +
            `the balances ended at ${show(balances)}, total ${count(sum(balances))}: ${count(Math.abs(lost))} ${lost > 0 ? 'vanished' : 'appeared from nowhere'}. ` +
            `A timeout cancels the transfer at its await: whatever it changed before that await stays changed, and whatever comes after never happens`,
        );
      }
      const through = refused.find((r) =>
        [0, 1, 2, 3, 4, 5, 6, 7].some((mask) => mask < 1 << open.length && sameData(balances, applied(base, [r, ...open.filter((_, i) => mask & (1 << i))]))),
      );
      if (sameData(balances, bench.balances) && done.length > 0) {
        run.fail(
          `the balances ended as they started, ${show(balances)}, although ${plural(done.length, 'transfer')} came back done: ` +
            `a transfer the bank approves in time must move its money`,
        );
      }
      run.fail(
        through !== undefined
          ? `${describe(through)}, which the other bank refused, went through all the same: the balances ended at ${show(balances)}. ` +
              `Move the money only once the answer is yes`
          : `starting from ${show(bench.balances)}, the balances ended at ${show(balances)}: no choice of which timed-out transfers happened explains that, ` +
              `with every transfer reported done applied once and no refused one. Each transfer must move its amount from one account to the other exactly once, or not at all`,
      );
    }
  }),

  check('waits-for-approval', 'A transfer answered within the limit is done or refused, as the bank says; a slower one times out at the limit', async (t) => {
    const bench = someBench(t);
    const run = await runTransfers(t, bench, { seed: t.seeds(1)[0]!, trace: true });
    const { outcomes } = resultOf(run, bench);
    // The bench's tasks are the first ones spawned (task 0 is main): each ends when its transfer is done or gives up.
    const tasks = run.trace.tasks().filter((task) => task.id >= 1 && task.id <= bench.transfers.length);
    if (tasks.length !== bench.transfers.length) {
      run.fail(
        `runTransfers ran ${plural(tasks.length, 'task')} for ${plural(bench.transfers.length, 'transfer')}: keep the test bench as it is, ` +
          `every transfer in a task of its own under timeout, so that the outcomes come from the clock and not from comparing ms with the limit`,
      );
    }
    // Each transfer asks the bank: approve(t) is called once for each (the trace records a top-level async
    // function's calls). Waiting t.ms and reading
    // t.approved gives the same outcomes and times, but asks nobody.
    const asked = run.trace.calls('approve').length;
    if (asked < bench.transfers.length) {
      run.fail(
        `for ${plural(bench.transfers.length, 'transfer')}, approve ran ${plural(asked, 'time')}: every transfer must ask the other bank, await approve(t), ` +
          `and go by its answer (reading t.approved, or waiting t.ms yourself, is not asking)`,
      );
    }
    bench.transfers.forEach((tr, i) => {
      const slow = tr.ms > bench.limit;
      const expected = slow ? 'timed out' : tr.approved ? 'done' : 'refused';
      if (outcomes[i] !== expected) {
        run.fail(
          `${describe(tr)}, which the other bank ${tr.approved ? 'approves' : 'refuses'} after ${tr.ms} ms, came back ${show(outcomes[i])} with a limit of ${bench.limit} ms; expected ${show(expected)}. ` +
            (slow ? `The transfer must still wait for the bank's answer: don't take the await out` : `return what approve answered, and keep approve and the test bench as they are`),
        );
      }
      const ended = tasks.find((task) => task.id === i + 1)?.exitedAtMs;
      const at = Math.min(tr.ms, bench.limit);
      if (ended !== at) {
        run.fail(
          `the task running ${describe(tr)} (answered after ${tr.ms} ms, limit ${bench.limit} ms) ended ` +
            `${ended === undefined ? 'never' : `at ${count(ended)} ms`}, expected at ${count(at)} ms: ` +
            `a transfer waits for the bank's answer, and the timeout gives up on it at the limit. Keep approve and the test bench as they are`,
        );
      }
    });
  }),
];
