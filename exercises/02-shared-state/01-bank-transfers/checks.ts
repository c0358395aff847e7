import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Transfer = [from: number, to: number, amount: number];
interface Bank {
  balances: number[];
  plans: Transfer[][];
}

const AUDITS = 6;

/** A bank of the check's own choosing: random balances, and threads whose transfers go every which way between random accounts. */
function someBank(t: CheckContext, accounts: number, threads: number, transfers: number): Bank {
  const pick = (n: number) => Math.floor(t.random() * n);
  const balances = Array.from({ length: accounts }, () => 100 + pick(900));
  const plans = Array.from({ length: threads }, () =>
    Array.from({ length: transfers }, (): Transfer => {
      const from = pick(accounts);
      const to = (from + 1 + pick(accounts - 1)) % accounts;
      return [from, to, 1 + pick(50)];
    }),
  );
  return { balances, plans };
}

/** Two accounts, and two threads that only ever move money between them, in opposite directions. */
function opposedBank(): Bank {
  const forth: Transfer[] = [];
  const back: Transfer[] = [];
  for (let i = 0; i < 12; i++) {
    forth.push([0, 1, 5]);
    back.push([1, 0, 3]);
  }
  return { balances: [500, 500], plans: [forth, back] };
}

/** The same transfers one after another: without overdraft rules, the order does not change the result. */
function sequential({ balances, plans }: Bank): number[] {
  const final = [...balances];
  for (const plan of plans) {
    for (const [from, to, amount] of plan) {
      final[from]! -= amount;
      final[to]! += amount;
    }
  }
  return final;
}

const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

function resultOf(run: ProgramRun): { balances: number[]; totals: number[] } {
  const value = run.value as { balances?: unknown; totals?: unknown } | undefined;
  if (!Array.isArray(value?.balances) || !Array.isArray(value?.totals)) {
    run.fail(`runBank returned ${show(value)}; keep runBank as the starter has it, returning { balances, totals }`);
  }
  return value as { balances: number[]; totals: number[] };
}

/**
 * Names the account behind each Mutex. main's first locks are countMoney's, from account 0 up;
 * the accounts are allocated in that order too, so when the addresses agree with what main
 * showed, the address order names the accounts main had no time to lock (say, before a deadlock).
 */
function accountNames(run: ProgramRun, accounts: number): (mutex: number) => string {
  const index = new Map<number, number>();
  for (const e of run.trace.locks()) {
    if (e.thread !== 'main' || index.size === accounts) continue;
    if (index.has(e.object)) break;
    index.set(e.object, index.size);
  }
  const byAddress = [...new Set(run.trace.locks().map((e) => e.object))].sort((a, b) => a - b);
  if (byAddress.length === accounts && [...index].every(([mutex, i]) => byAddress[i] === mutex)) {
    byAddress.forEach((mutex, i) => index.set(mutex, i));
  }
  return (mutex) => (index.has(mutex) ? `account ${index.get(mutex)}` : 'an account');
}

/**
 * The accounts as the trace saw them, whatever runBank returned: each account's Mutex (by
 * address, in the order runBank opened them), its value as every holder left it, and the
 * first moment no thread held any account yet the money did not add up (a transfer caught
 * half done). Every transfer has to go through the accounts' Mutexes for this to see it.
 */
function replayAccounts(run: ProgramRun, bank: Bank): { final: number[]; halfDone?: { thread: string; line: number | undefined; counted: number } } {
  const accounts = [...new Set(run.trace.locks().map((e) => e.object))].sort((a, b) => a - b);
  if (accounts.length !== bank.balances.length) {
    run.fail(
      `the run locked ${plural(accounts.length, 'Mutex', 'Mutexes')} for a bank of ${plural(bank.balances.length, 'account')}: ` +
        `every transfer should lock the two accounts' own Mutexes (keep runBank as the starter has it, one Mutex per account)`,
    );
  }
  const index = new Map(accounts.map((mutex, i) => [mutex, i]));
  const current = [...bank.balances];
  const total = sum(bank.balances);
  const held = new Map<number, number>(); // thread -> account locks it holds
  let holding = 0;
  let halfDone: { thread: string; line: number | undefined; counted: number } | undefined;
  for (const e of run.trace.events) {
    if ((e.kind !== 'lock' && e.kind !== 'unlock') || !index.has(e.object)) continue;
    const delta = e.kind === 'lock' ? 1 : -1;
    held.set(e.threadId, (held.get(e.threadId) ?? 0) + delta);
    holding += delta;
    if (e.kind === 'unlock' && e.value !== undefined) current[index.get(e.object)!] = e.value;
    if (holding === 0 && halfDone === undefined && sum(current) !== total) halfDone = { thread: e.thread, line: e.line, counted: sum(current) };
  }
  return { final: current, ...(halfDone ? { halfDone } : {}) };
}

const at = (line: number | undefined) => (line === undefined ? '' : ` (line ${line})`);

export default [
  check('conserves-money', 'No money is lost or made, even while transfers are running', async (t) => {
    // Twelve accounts too: indices 10 and 11 sort before 2 as strings.
    const banks = [someBank(t, 5, 3, 20), someBank(t, 4, 4, 15), someBank(t, 12, 3, 16)];
    for (const bank of banks) {
      const expected = sequential(bank);
      const total = sum(bank.balances);
      const transfers = plural(sum(bank.plans.map((p) => p.length)), 'transfer');
      const threads = plural(bank.plans.length, 'thread');
      for (const seed of [...t.seeds(bank === banks[2] ? 1 : 2), ...(bank === banks[0] ? [undefined] : [])]) {
        const run = await t.call('runBank', [bank.balances, bank.plans, AUDITS], seed === undefined ? {} : { seed, trace: true });
        const { balances, totals } = resultOf(run);
        if (seed !== undefined) {
          // What the Mutexes themselves held, not only what runBank says: a transfer caught half done, or final balances that differ.
          const seen = replayAccounts(run, bank);
          if (seen.halfDone !== undefined) {
            const { thread, line, counted } = seen.halfDone;
            run.fail(
              `while ${transfers} ran on ${threads}, ${thread} let go of its last account lock${at(line)} with the bank holding ${count(counted)} instead of ${count(total)}: ` +
                (counted < total
                  ? `at that moment no thread held any account, and the money of a transfer was in neither account. ` +
                    `Keep both accounts locked from the withdrawal to the deposit, so no one can look in between`
                  : `${count(counted - total)} had appeared from nowhere: a transfer wrote a balance worked out from a value it read before it held both locks, ` +
                    `overwriting what another transfer had done in between. Read and write both balances while you hold both accounts' locks`),
              line === undefined ? undefined : { line, column: 1 },
            );
          }
          if (seen.final.some((b, i) => b !== expected[i])) {
            run.fail(
              `after ${transfers} on ${threads} the accounts' Mutexes held ${show(seen.final)}, expected ${show(expected)}` +
                (seen.final.some((b, i) => b !== balances[i]) ? `, though runBank returned ${show(balances)}: keep runBank as the starter has it` : ''),
            );
          }
        }
        const wrongAudit = totals.find((counted) => counted !== total);
        if (wrongAudit !== undefined) {
          const gap = total - wrongAudit;
          run.fail(
            `an audit taken while ${transfers} ran on ${threads} counted ${count(wrongAudit)}, expected ${count(total)}: ` +
              (gap > 0
                ? `${count(gap)} had been taken out of one account and not yet put into the other. `
                : `${count(-gap)} had been put into one account before being taken out of the other. `) +
              `Keep both accounts locked from the withdrawal to the deposit, so no one can look in between`,
          );
        }
        if (balances.length !== expected.length || balances.some((b, i) => b !== expected[i])) {
          const ended = sum(balances);
          const lost = total - ended;
          run.fail(
            `after ${transfers} on ${threads} the accounts held ${show(balances)}, expected ${show(expected)}: ` +
              (lost === 0
                ? 'the total is right, but money ended up in the wrong accounts'
                : lost > 0
                  ? `${count(lost)} of the bank's ${count(total)} were lost`
                  : `${count(-lost)} appeared from nowhere`),
          );
        }
      }
    }
  }),

  check('no-deadlock', 'Never deadlocks, whatever the schedule', async (t) => {
    // The grader reports a deadlocked run itself: who waits for whom, at which line, and the seed that replays it.
    await t.eachRun({ seeds: 5, free: 1 }, (run) => {
      run.expectLine(/^Balances: /, 'Balances: 925, 1075, 975, 1025');
    });
  }),

  check('locks-in-one-order', 'Every thread takes the account locks in the same order', async (t) => {
    // A schedule that did not deadlock may just have been lucky: the trace shows whether two
    // threads ever took the same two locks in opposite orders, which is all a deadlock needs.
    // Two accounts paying each other back, and twelve accounts with transfers across 10 and 11 (which sort before 2 as strings).
    const wide = someBank(t, 12, 3, 10);
    wide.plans[0]!.push([3, 11, 5], [10, 4, 2]);
    const cases: [Bank, number][] = [
      [opposedBank(), 2],
      [wide, 1],
    ];
    for (const [bank, seeds] of cases) for (const seed of t.seeds(seeds)) {
      const run = await t.call('runBank', [bank.balances, bank.plans, 2], { seed, trace: true, mayFail: true });
      const inversion = run.trace.lockOrderInversion();
      if (inversion === undefined) {
        if (run.status === 'ok') continue;
        // A deadlock that struck before any thread held two locks leaves no inversion in the trace: it still ends the check.
        run.fail(
          `the run never finished (${run.summary.replace(/\.$/, '')}): threads took account locks in orders that let them wait for each other. ` +
            `Lock the lower-numbered account first in every transfer, as countMoney does`,
        );
        continue;
      }
      const name = accountNames(run, bank.balances.length);
      const { first, second } = inversion;
      const what = run.status === 'deadlock' ? 'this run did deadlock' : 'this run got away with it, another schedule may not';
      // The two orders may come from one thread (one transfer each way): then it is not "two threads" that did it.
      const one = first.thread === second.thread;
      run.fail(
        `${first.thread} locked ${name(first.outer.mutex)}${at(first.outer.line)} and then ${name(first.inner.mutex)}${at(first.inner.line)}, ` +
          `${one ? 'and later' : `while ${second.thread}`} locked ${name(second.outer.mutex)}${at(second.outer.line)} and then ${name(second.inner.mutex)}${at(second.inner.line)}: ` +
          (one
            ? `taking the same two locks in both orders means two threads doing such transfers at once can each end up holding one and waiting for the other (${what}). `
            : `two threads that take the same two locks in opposite orders can each end up holding one and waiting for the other (${what}). `) +
          `Lock the lower-numbered account first in every transfer, as countMoney does`,
        first.inner.line === undefined ? undefined : { line: first.inner.line, column: 1 },
      );
    }
  }),

  check('disjoint-transfers-run-together', 'Transfers between different accounts share no lock, so they can run at the same time', async (t) => {
    const forth: Transfer[] = [];
    const across: Transfer[] = [];
    for (let i = 0; i < 5; i++) {
      forth.push([0, 1, 10], [1, 0, 4]);
      across.push([2, 3, 6], [3, 2, 9]);
    }
    const [seed] = t.seeds(1);
    const run = await t.call('runBank', [[100, 100, 100, 100], [forth, across], 0], { seed, trace: true });
    const spawned = run.trace.spawned();
    if (spawned.length !== 2) {
      run.fail(`runBank spawned ${plural(spawned.length, 'thread')} for 2 plans: keep runBank as the starter has it, one thread per plan`);
    }
    const lockedBy = (threadId: number) => run.trace.locks().filter((e) => e.threadId === threadId);
    const mine = lockedBy(spawned[0]!.threadId);
    const theirs = lockedBy(spawned[1]!.threadId);
    const shared = mine.find((e) => theirs.some((o) => o.object === e.object));
    if (shared !== undefined) {
      const other = theirs.find((o) => o.object === shared.object)!;
      run.fail(
        `the thread moving money between accounts 0 and 1${at(shared.line)} and the thread moving money between accounts 2 and 3${at(other.line)} ` +
          `both locked the same Mutex, so one always waits for the other even though they touch different accounts. ` +
          `A transfer should lock only its own two accounts`,
        shared.line === undefined ? undefined : { line: shared.line, column: 1 },
      );
    }
  }),
];
