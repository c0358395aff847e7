import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Transfer {
  from: number;
  to: number;
  amount: number;
  crash: boolean;
}

interface Bank {
  balances: number[];
  transfers: Transfer[];
}

/** Room for a busy grader: a seeded run switches threads at every synchronization point. */
const LOADED_GRADER = { budgetMs: 120_000 };

/** Four accounts and five transfers with distinct amounts the program can't know in advance; two of them crash, never the same two. */
function someBank(t: CheckContext): Bank {
  const balances = Array.from({ length: 4 }, () => 50 + Math.floor(t.random() * 200));
  const amounts = new Set<number>();
  while (amounts.size < 5) amounts.add(5 + Math.floor(t.random() * 60));
  const crashing = new Set<number>();
  while (crashing.size < 2) crashing.add(Math.floor(t.random() * 5));
  const transfers = [...amounts].map((amount, i) => {
    const from = Math.floor(t.random() * 4);
    const to = (from + 1 + Math.floor(t.random() * 3)) % 4;
    return { from, to, amount, crash: crashing.has(i) };
  });
  return { balances, transfers };
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

interface Result {
  balances: number[];
  failed: number[];
  poisoned: boolean;
}

/** runBank's result, or a failure that says how the run went wrong in the learner's terms. */
function resultOf(run: ProgramRun, bank: Bank): Result {
  if (run.status === 'panic') {
    // A PoisonError in main, or a thread's panic rethrown by join: either way the poison got out of lockLedger.
    const poison = run.errors.find((e) => /poison/i.test(`${e.name} ${e.message}`));
    const crashes = bank.transfers.filter((tr) => tr.crash).length;
    // The crashing transfers' own panics are expected; the one that took runBank down is another (a deadlock, a TypeError…).
    const other = run.errors.find((e) => !/crashed halfway/.test(e.message)) ?? run.errors.find((e) => !/crashed halfway/.test(e.message.split('panicked:').slice(-1)[0] ?? ''));
    run.failEnded(
      poison
        ? `with ${plural(crashes, 'crashing transfer')} among ${plural(bank.transfers.length, 'transfer')}, runBank itself panicked with a PoisonError` +
            `${poison.location ? ` at line ${poison.location.line}` : ''}: one transfer's crash brought down the reading of the books. ` +
            `lock() on a poisoned Mutex throws PoisonError; catch it in lockLedger and recover the guard with err.intoInner()`
        : `runBank panicked: ${(other ?? run.errors[0])?.message ?? run.summary}`,
      poison?.location ?? other?.location,
    );
  }
  if (run.status !== 'ok') run.failEnded(`runBank did not return: ${run.summary}`);
  const value = run.value as Partial<Result> | undefined;
  if (!Array.isArray(value?.balances) || !Array.isArray(value.failed) || typeof value.poisoned !== 'boolean') {
    run.fail(`runBank returned ${show(value)}; keep runBank as the starter has it, returning { balances, failed, poisoned }`);
  }
  return value as Result;
}

const runBank = (t: CheckContext, bank: Bank, request: { seed?: number; trace?: boolean }) =>
  t.call('runBank', [bank.balances, bank.transfers], { timeoutMs: 30_000, mayFail: true, ...request });

/** Seeded runs, then (with `free`) one free run, each with a bank of its own. */
async function eachBank(t: CheckContext, seeds: number, free: boolean, each: (run: ProgramRun, bank: Bank) => void): Promise<void> {
  for (const seed of [...t.seeds(seeds), ...(free ? [undefined] : [])]) {
    const bank = someBank(t);
    const run = await runBank(t, bank, seed === undefined ? {} : { seed });
    each(run, bank);
  }
}

export default [
  check('crash-stays-alone', 'Only the transfers that crash fail: the others go through and runBank returns', async (t) => {
    await eachBank(t, 2, false, (run, bank) => {
      const { failed } = resultOf(run, bank);
      const crashed = bank.transfers.flatMap((tr, i) => (tr.crash ? [i] : []));
      if (sameData(failed, crashed)) return;
      const innocent = failed.filter((i) => !crashed.includes(i));
      run.fail(
        innocent.length > 0
          ? `transfers ${show(crashed)} crash, but runBank reported ${show(failed)} as failed: ${plural(innocent.length, 'transfer')} that did nothing wrong ` +
              `panicked too, because lock() threw PoisonError after the first crash. Catch PoisonError in lockLedger and go on with the repaired books`
          : `transfers ${show(crashed)} crash, but runBank reported ${show(failed)} as failed: keep transfer and runBank as they are`,
      );
    });
  }, LOADED_GRADER),

  check('crashed-transfer-undone', 'After a crash the books are as if the crashed transfer had never started', async (t) => {
    await eachBank(t, 2, true, (run, bank) => {
      const { balances } = resultOf(run, bank);
      const good = bank.transfers.filter((tr) => !tr.crash);
      const crashed = bank.transfers.filter((tr) => tr.crash);
      const expected = applied(bank.balances, good);
      if (sameData(balances, expected)) return;
      const lost = sum(expected) - sum(balances);
      if (lost !== 0) {
        run.fail(
          `starting from ${show(bank.balances)} (total ${count(sum(bank.balances))}), with ${crashed.map(describe).join(' and ')} crashing halfway, ` +
            `the books ended at ${show(balances)}, total ${count(sum(balances))}: ${count(Math.abs(lost))} ${lost > 0 ? 'vanished' : 'appeared from nowhere'}. ` +
            `Taking the guard from the PoisonError and going on leaves the half-done transfer in the books: use the undo record to put both balances back`,
        );
      }
      const forward = [1, 2, 3].find((mask) => sameData(balances, applied(expected, crashed.filter((_, i) => mask & (1 << i)))));
      if (forward !== undefined) {
        const finished = crashed.filter((_, i) => forward & (1 << i));
        run.fail(
          `${finished.map(describe).join(' and ')} crashed and ${finished.length === 1 ? 'was' : 'were'} reported failed, but ${finished.length === 1 ? 'its' : 'their'} money arrived anyway: ` +
            `the books ended at ${show(balances)}, expected ${show(expected)}. A transfer that failed must leave no trace: roll it back, don't finish it`,
        );
      }
      run.fail(
        `starting from ${show(bank.balances)}, with ${crashed.map(describe).join(' and ')} crashing, the books ended at ${show(balances)}; ` +
          `every other transfer applied, and the crashed ones rolled back, gives ${show(expected)}. ` +
          `Roll back only when the undo record is set, and clear it once the transfer is rolled back`,
      );
    });
  }, LOADED_GRADER),

  check('lock-healthy-again', 'Once the books are repaired the lock is marked healthy again', async (t) => {
    await eachBank(t, 1, false, (run, bank) => {
      const { poisoned } = resultOf(run, bank);
      if (!poisoned) return;
      run.fail(
        `after runBank read the books, its lock was still poisoned: every later lock() keeps reporting a crash that has been dealt with. ` +
          `Once the books are whole again, say so with ledger.clearPoison() (Rust: Mutex::clear_poison)`,
      );
    });
  }, LOADED_GRADER),

  check('a-thread-per-transfer', 'Every transfer runs on a thread of its own, crashing ones included', async (t) => {
    const bank = someBank(t);
    const run = await runBank(t, bank, { seed: t.seeds(1)[0]!, trace: true });
    resultOf(run, bank);
    const spawned = run.trace.spawned().map((s) => s.threadId);
    if (spawned.length !== bank.transfers.length) {
      run.fail(
        `for ${plural(bank.transfers.length, 'transfer')}, runBank spawned ${plural(spawned.length, 'thread')}: keep runBank as it is, ` +
          `every transfer on a thread of its own, so that a crash really poisons the lock the others share`,
      );
    }
    const joined = new Set(run.trace.joins().map((j) => j.threadId));
    const loose = spawned.filter((id) => !joined.has(id)).length;
    if (loose > 0) run.fail(`runBank returned without joining ${plural(loose, 'transfer thread')}`);
    if (run.trace.mutexes().length === 0) run.fail(`no transfer ever locked the ledger: keep transfer and runBank as they are`);
  }, LOADED_GRADER),
];
