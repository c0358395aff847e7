import { check, count, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Case = [n: number, rounds: number];

/** The exercise's work, to compare with (the checks run it on their own side). */
function work(i: number, rounds: number): number {
  let h = i + 1;
  for (let r = 0; r < rounds; r++) h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return h % 1000;
}

function total(n: number, rounds: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += work(i, rounds);
  return sum;
}

/** Work (items × rounds) at or below this is too little for the pool on any machine... */
const LIGHT = 20_000;
/** ...and at or above this it pays on any idle machine with two cores or more. */
const HEAVY = 2_000_000;

const between = (t: CheckContext, lo: number, hi: number) => lo + Math.floor(t.random() * (hi - lo + 1));

/**
 * Light cases: many cheap items, and a few expensive ones. Heavy cases: many cheap items, and fewer items than the
 * light case's with many rounds each, so a cut-off on the number of items alone (or on the rounds alone) gets one wrong.
 */
function lightCases(t: CheckContext): Case[] {
  const few = between(t, 10, 100);
  return [
    [between(t, 15_000, LIGHT), 1],
    [few, Math.floor(LIGHT / few)],
  ];
}

function heavyCases(t: CheckContext): Case[] {
  const few = between(t, 8_000, 12_000);
  const fewer = between(t, 60, 120); // a cut-off that caps the rounds, or wants many items, gets this one wrong
  return [
    [HEAVY, 1],
    [few, Math.ceil(HEAVY / few)],
    [fewer, Math.ceil(HEAVY / fewer)],
  ];
}

/**
 * How long `total(n, rounds)` takes here, ms: the fastest of three tries (load on the machine only adds time), so a
 * check can tell a total the pool worked out from one worked out before and passed through it.
 */
function timeOf([n, rounds]: Case): number {
  let best = Infinity;
  for (let k = 0; k < 3; k++) {
    const started = performance.now();
    total(n, rounds);
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/**
 * In a free run the trace says how long the weft/par call's pieces took. The work is the same wherever it runs (a
 * loaded machine only stretches it), so a call that computed the total took about as long as the work does here;
 * one that passed through a total worked out before it took next to nothing. Each share is far below what a real
 * split gives, so the verdict does not depend on the machine's load: the pieces together at least a quarter of the
 * work's time, and the work not all in one piece (the pieces other than the longest, or a join's smaller half, at
 * least a twentieth). Undefined when the call did the work, or when it was not timed (a seeded run).
 */
function passedThrough(
  call: { work: { totalMs: number; longestMs: number } | undefined } | { halvesMs: [number, number] | undefined },
  workMs: number,
): { how: string; outside: boolean } | undefined {
  const ms = (x: number) => `${x < 1 ? x.toFixed(2) : x.toFixed(1)} ms`;
  if ('work' in call) {
    if (call.work === undefined) return undefined;
    const { totalMs, longestMs } = call.work;
    if (totalMs < workMs / 4) return { how: `its pieces took ${ms(totalMs)} together, though the work takes about ${ms(workMs)}`, outside: true };
    if (totalMs - longestMs < workMs / 20) return { how: `one of its pieces did all the work (${ms(longestMs)} of ${ms(totalMs)})`, outside: false };
    return undefined;
  }
  if (call.halvesMs === undefined) return undefined;
  const [a, b] = call.halvesMs;
  if (a + b < workMs / 4) return { how: `its two halves took ${ms(a)} and ${ms(b)}, though the work takes about ${ms(workMs)}`, outside: true };
  if (Math.min(a, b) < workMs / 20) return { how: `one of its halves did all the work (${ms(Math.max(a, b))}; the other ${ms(Math.min(a, b))})`, outside: false };
  return undefined;
}

const describe = ([n, rounds]: Case) => `total(${count(n)}, ${count(rounds)}) (${count(n * rounds)} rounds of work)`;

const bench = (t: CheckContext, cases: Case[]) => ({ name: 'totals', args: [cases] });

/** The run's weft/par calls: parallel iterators (how many items each) and joins. */
function parallelCalls(run: ProgramRun): { items: number[]; joins: number; first: { line: number; column: number } | undefined } {
  const iterators = run.trace.parIterators();
  const joins = run.trace.parJoins();
  const line = iterators[0]?.line ?? joins[0]?.line;
  return { items: iterators.map((it) => it.items), joins: joins.length, first: line !== undefined ? { line, column: 1 } : undefined };
}

export default [
  check('right-totals', 'Every total is right, small or large', async (t) => {
    const cases: Case[] = [[0, 3], [1, 5], ...lightCases(t), ...heavyCases(t)];
    const expected = cases.map(([n, rounds]) => total(n, rounds));
    await t.eachRun({ seeds: 1, free: 0, call: bench(t, cases) }, (run) => {
      if (sameData(run.value, expected)) return;
      const got = Array.isArray(run.value) ? (run.value as unknown[]) : [];
      const wrong = cases.findIndex((_, i) => got[i] !== expected[i]);
      run.fail(
        Array.isArray(run.value)
          ? `${describe(cases[wrong]!)} returned ${show(got[wrong])}, expected ${count(expected[wrong]!)}: the sum of work(i, rounds) for i from 0 to n - 1`
          : `totals returned ${show(run.value)}: keep totals as it was given, and make total return a number`,
      );
    });
  }),

  check('light-work-stays-sequential', 'A little work runs as a plain loop, without the pool', async (t) => {
    const cases = lightCases(t);
    const run = await t.call('totals', [cases], { seed: t.seeds(1)[0]!, trace: true });
    const { items, joins, first } = parallelCalls(run);
    if (items.length === 0 && joins === 0) return;
    run.fail(
      `for ${cases.map(describe).join(' and ')}, total used weft/par (${[
        ...items.map((n) => `a parallel iterator over ${count(n)} items`),
        ...(joins > 0 ? [`${count(joins)} join${joins === 1 ? '' : 's'}`] : []),
      ].join(', ')}): ` +
        `that little work is done before the pool's threads have even been woken, and handing it out, splitting and combining cost more than the work itself. ` +
        `Below your CROSSOVER, in items × rounds, add up the items in a plain loop`,
      first,
    );
  }),

  check('heavy-work-goes-parallel', "A lot of work is spread over the pool's threads", async (t) => {
    const cases = heavyCases(t);
    const expected = cases.map(([n, rounds]) => total(n, rounds));
    const workMs = cases.map(timeOf);
    await t.eachRun({ seeds: 1, free: 1, call: bench(t, cases), trace: true }, (run) => {
      if (!sameData(run.value, expected)) {
        run.fail(`totals of ${cases.map(describe).join(' and ')} returned ${show(run.value)}, expected ${show(expected)}: the sum of work(i, rounds) for i from 0 to n - 1`);
      }
      // Each heavy case's total must come out of a weft/par call of its own: a parallel iterator whose result it is
      // (over its items, or over blocks of them), or a join whose two halves add up to it. A call whose result the
      // total doesn't use did none of its work; nor did one that only passed on a total worked out before it
      // (in a free run, the trace says how long the call's pieces took).
      const iterators = run.trace.parIterators();
      const lone = iterators.find((p) => p.poolThreads === 1 && p.value !== undefined && expected.includes(p.value));
      if (lone !== undefined) {
        run.fail(
          `a parallel iterator over ${count(lone.items)} items computed a heavy total, but on a thread pool you built with a single thread: one thread did all the work. ` +
            `Send the heavy work to the global pool (or a pool of several threads)`,
          lone.line !== undefined ? { line: lone.line, column: 1 } : undefined,
        );
      }
      const joins = run.trace.parJoins();
      const passed: { case: Case; how: string; outside: boolean; line: number | undefined }[] = [];
      const sequential = cases.filter((c, i) => {
        const it = iterators.findIndex((p) => p.value === expected[i]);
        if (it >= 0) {
          const [call] = iterators.splice(it, 1);
          const found = passedThrough(call!, workMs[i]!);
          if (found) passed.push({ case: c, how: `a parallel iterator over ${count(call!.items)} item${call!.items === 1 ? '' : 's'} returned it, but ${found.how}`, outside: found.outside, line: call!.line });
          return false;
        }
        const j = joins.findIndex(({ results: [a, b] }) => a !== undefined && b !== undefined && a + b === expected[i]);
        if (j >= 0) {
          const [call] = joins.splice(j, 1);
          const found = passedThrough(call!, workMs[i]!);
          if (found) passed.push({ case: c, how: `a join's halves added up to it, but ${found.how}`, outside: found.outside, line: call!.line });
          return false;
        }
        return true;
      });
      if (sequential.length === 0 && passed.length > 0) {
        const [first] = passed;
        run.fail(
          `${describe(first!.case)} returned the right total, and ${first!.how}: ` +
            (first!.outside
              ? `the total was worked out before, in one thread, and only passed through the pool. The pool must do the work itself: `
              : `the work ran in one piece, on one thread, so the pool had nothing to share out. Split it into many pieces: `) +
            `return range(0, n).map((i) => work(i, rounds)).sum() (or the sum of your own parallel split)`,
          first!.line !== undefined ? { line: first!.line, column: 1 } : undefined,
        );
      }
      if (sequential.length === 0) return;
      const unused = [
        ...iterators.map((p) => `a parallel iterator over ${count(p.items)} items returned ${p.value === undefined ? 'no number' : count(p.value)}`),
        ...joins.filter((j) => j.depth === 0).map(({ results: [a, b] }) => `a join's halves returned ${show(a)} and ${show(b)}`),
      ];
      const first = iterators[0]?.line ?? joins[0]?.line;
      if (unused.length > 0) {
        run.fail(
          `${sequential.map(describe).join(' and ')} returned ${sequential.map(([n, rounds]) => count(total(n, rounds))).join(' and ')}, but no weft/par call computed ${sequential.length === 1 ? 'it' : 'them'}: ` +
            `${unused.slice(0, 3).join('; ')}${unused.length > 3 ? '…' : ''}. Calling the pool beside a plain loop leaves the work to one core; ` +
            `the total must be what the pool computes: return range(0, n).map((i) => work(i, rounds)).sum() (or the sum of your own parallel split)`,
          first !== undefined ? { line: first, column: 1 } : undefined,
        );
      }
      run.fail(
        `${sequential.map(describe).join(' and ')} ran without weft/par: that much work pays for the pool on any idle machine with two cores or more. ` +
          (sequential.length === cases.length
            ? `Compare n × rounds with your CROSSOVER (no more than ${count(HEAVY)}), and above it use range(0, n).map(…).sum()`
            : sequential[0] !== cases[0]
              ? `The number of items alone doesn't tell: ${count(sequential[0]![0])} items of ${count(sequential[0]![1])} rounds each are as much work as ${count(cases[0]![0])} items of 1 round. Compare n × rounds with your CROSSOVER`
              : `The rounds alone don't tell either: ${count(cases[0]![0])} items of 1 round each are as much work as ${count(cases[1]![0])} items of ${count(cases[1]![1])} rounds. ` +
                `Compare n × rounds with your CROSSOVER (no more than ${count(HEAVY)}), and above it use range(0, n).map(…).sum()`),
      );
    });
  }),
];
