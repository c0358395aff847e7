import { check, count, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Summary {
  balance: number;
  largest: number;
  average: number;
}

const amounts = (t: CheckContext, n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + Math.floor(t.random() * (hi - lo + 1)));

function truth(xs: number[]): Summary {
  const sum = xs.reduce((a, b) => a + b, 0);
  return { balance: -sum, largest: xs.length === 0 ? -Infinity : Math.max(...xs), average: xs.length === 0 ? 0 : sum / xs.length };
}

function summaryOf(run: ProgramRun): Summary {
  const v = run.value as Partial<Summary> | undefined;
  if (!v || typeof v.balance !== 'number' || typeof v.largest !== 'number' || typeof v.average !== 'number') {
    run.fail(`summarize returned ${show(v)}: it must return { balance, largest, average }, three numbers`);
  }
  return v as Summary;
}

const close = (a: number, b: number) => a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

/** Runs summarize on `xs` under `seeds` seeds (weft cuts the work differently under each) and checks one field. */
async function eachSplit(t: CheckContext, xs: number[], seeds: number, field: keyof Summary, why: string): Promise<void> {
  const expected = truth(xs)[field];
  const seen: number[] = [];
  for (const seed of t.seeds(seeds)) {
    const run = await t.call('summarize', [xs], { seed });
    const got = summaryOf(run)[field];
    seen.push(got);
    if (close(got, expected)) continue;
    run.fail(
      `for ${count(xs.length)} amounts ${show(xs, 6)} the ${field} came out as ${show(got)}` +
        (seen.length > 1 && seen.some((s) => s !== got) ? ` (and ${show(seen[0])} under another split)` : '') +
        `; the loop gives ${show(expected)}. ${why}`,
    );
  }
}

export default [
  check('balance-any-split', 'The balance is right however the work is split', async (t) => {
    await eachSplit(t, amounts(t, 300, -50, 50), 2, 'balance',
      'Subtraction is not associative: (a - b) - c is not a - (b - c), so combining the pieces\' results with it gives a different answer for each split. 0 - a - b - … is minus the sum');
  }),

  check('largest-true-identity', 'The largest amount is right even when every amount is negative', async (t) => {
    const why = 'Each piece of the work starts from identity(): with 0 as the identity of Math.max, a piece of negative amounts says its largest is 0. -Infinity is the identity of max';
    const empty = await t.call('summarize', [[]], { seed: t.seeds(1)[0]! });
    const nothing = empty.value as Partial<Summary> | undefined;
    if (nothing?.largest !== -Infinity) {
      empty.fail(`for an empty list the largest came out as ${show(nothing?.largest)}; expected -Infinity, the identity of max. max() gives undefined when there is nothing to compare`);
    }
    await eachSplit(t, amounts(t, 60, -900, -1), 1, 'largest', why);
    // Debts in the trillions (still whole numbers, well within Number.MAX_SAFE_INTEGER): an identity that is only
    // "lower than any amount we will see" (-1,000,000, -2 ** 31) is not lower than these.
    await eachSplit(t, amounts(t, 60, -900, -1).map((a) => a * 1_000_000_000_000), 1, 'largest',
      'Each piece of the work starts from identity(), so the identity must be below every amount there could be, not just below the usual ones: ' +
        'a piece of amounts all below it says its largest is the identity. -Infinity is the identity of max');
  }),

  check('average-any-split', 'The average is the mean, however the work is split', async (t) => {
    const empty = await t.call('summarize', [[]], { seed: t.seeds(1)[0]! });
    const nothing = empty.value as Partial<Summary> | undefined;
    if (nothing?.average !== 0) {
      empty.fail(`for an empty list the average came out as ${show(nothing?.average)}; expected 0. With no amounts, don't divide by their number, 0`);
    }
    await eachSplit(t, amounts(t, 300, -50, 50), 2, 'average',
      'Averaging two at a time, (a + b) / 2, is not associative: it weights the items by where the split falls. Add the amounts up in parallel and divide by their number once');
  }),

  check('uses-parallel-iterators', 'Parallel iterators go over the amounts', async (t) => {
    // Few amounts spread wide, so a result that holds them (a collect) is not taken for one that holds their sum.
    const xs = amounts(t, 24, -1_000_000, 1_000_000);
    const run = await t.call('summarize', [xs], { seed: t.seeds(1)[0]!, trace: true });
    const overAll = run.trace.parIterators().filter((p) => p.items === xs.length);
    if (overAll.length === 0) {
      run.fail(`no parallel iterator went over the ${count(xs.length)} amounts: compute the three with parIter(xs) (sum, max, reduce, fold…), not with loops`);
    }
    // The pieces must share the work: under a seed the trace keeps each piece's result. An iterator whose one piece
    // gives the whole answer while every other piece gives only a neutral value (0, -Infinity), though it had amounts
    // to go through, worked the answer out in one item (item 0 with a loop over every amount).
    const NEUTRAL = [0, -Infinity, Infinity];
    const lopsided = overAll.find(
      (p) =>
        p.value !== undefined &&
        p.parts.length >= 2 &&
        p.parts.every((part) => part.value !== undefined) &&
        p.parts.filter((part) => Object.is(part.value, p.value)).length === 1 &&
        p.parts.filter((part) => NEUTRAL.includes(part.value!)).length === p.parts.length - 1,
    );
    if (lopsided !== undefined && !NEUTRAL.includes(lopsided.value!)) {
      const [first] = lopsided.parts.filter((part) => part.value === lopsided.value);
      run.fail(
        `a parallel iterator over the ${count(xs.length)} amounts was cut into ${lopsided.parts.length} pieces, and the piece of ${first!.hi - first!.lo === 1 ? `item ${count(first!.lo)}` : `items ${count(first!.lo)} to ${count(first!.hi - 1)}`} gave its whole result, ${show(lopsided.value)}, ` +
          `while every other piece gave ${show(lopsided.parts.find((part) => part !== first)!.value)}: one item worked out the answer for all the amounts. ` +
          `Let each item stand for its own amount: parIter(xs).map(…) and the like, with sum, max or reduce combining them`,
        lopsided.line !== undefined ? { line: lopsided.line, column: 1 } : undefined,
      );
    }
    // Each of the three must come from a parallel iterator: the trace keeps each iterator's result when it is a
    // number. An iterator that gave something else (one fold into an object, say) may hold any of them.
    const got = summaryOf(run);
    const results = overAll.filter((p) => p.value !== undefined).map((p) => p.value!);
    const from: Record<keyof Summary, (v: number) => boolean> = {
      balance: (v) => close(v, got.balance) || close(-v, got.balance),
      largest: (v) => v === got.largest,
      average: (v) => close(v, got.average) || close(v, got.average * xs.length),
    };
    // An iterator whose result is not a number (a fold's tuple or object of sum, count and largest) must hold the
    // numbers the answer came from; a collect() of the amounts holds the amounts, not their sum.
    const held: Record<keyof Summary, (p: (typeof overAll)[number]) => boolean> = {
      balance: (p) => p.holds(got.balance) || p.holds(-got.balance),
      largest: (p) => p.holds(got.largest),
      average: (p) => p.holds(got.average) || p.holds(Math.round(got.average * xs.length)),
    };
    const others = overAll.filter((p) => p.value === undefined);
    const missing = (Object.keys(from) as (keyof Summary)[]).filter((field) => !results.some(from[field]) && !others.some(held[field]));
    if (missing.length === 0) return;
    run.fail(
      `the ${missing.join(' and the ')} did not come from a parallel iterator (${results.length === 0 ? 'the iterators over the amounts gave no number, and what they gave did not hold it either' : `the iterators over the amounts gave ${show(results)}`}): ` +
        `compute each of the three with parIter(xs), not ${missing.length === 1 ? 'that one' : 'those'} with a loop or Math.max(...xs) on the calling thread`,
    );
  }),
];
