import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

const randomArray = (t: CheckContext, n: number, spread: number) => Array.from({ length: n }, () => Math.floor(t.random() * spread) - Math.floor(spread / 2));
const sortedCopy = (xs: number[]) => [...xs].sort((a, b) => a - b);

function describe(xs: number[]): string {
  return xs.length <= 8 ? show(xs) : `${count(xs.length)} numbers ${show(xs, 5)}`;
}

const sort = (t: CheckContext, xs: number[], cutoff: number, trace = false) => t.call('quicksort', [xs, cutoff], { seed: t.seeds(1)[0]!, trace });

function joinsOf(run: ProgramRun) {
  return run.trace.parJoins();
}

export default [
  check('sorted-permutation', 'It returns the same numbers, sorted in ascending order', async (t) => {
    // Empty, and one array with negatives, numbers of several digits and many repeats.
    const mixed = [...randomArray(t, 60, 2000), ...randomArray(t, 60, 7)];
    const cases: [number[], number][] = [
      [[], 4],
      [mixed, 8],
    ];
    for (const [xs, cutoff] of cases) {
      const run = await sort(t, xs, cutoff);
      const expected = sortedCopy(xs);
      if (sameData(run.value, expected)) continue;
      const got = run.value;
      const sameItems = Array.isArray(got) && sameData(sortedCopy(got as number[]), expected);
      run.fail(
        `quicksort of ${describe(xs)} with a cut-off of ${cutoff} returned ${show(got, 8)}` +
          (sameItems
            ? `: the right numbers, in the wrong order. A sort without a compare function orders numbers as strings; use (a, b) => a - b`
            : Array.isArray(got) && got.length !== xs.length
              ? `: ${count(got.length)} numbers for ${count(xs.length)}`
              : `; expected ${show(expected, 8)}`),
      );
    }
  }),

  check('no-join-at-or-below-cutoff', 'A slice of cutoff numbers or fewer is sorted without join', async (t) => {
    const cutoff = 20 + Math.floor(t.random() * 30);
    // Exactly the cut-off (the edge a `<` instead of `<=` gets wrong), and one more: split once, its two sides hold
    // cutoff numbers or fewer, so no join below the first (an answer that only minds the cut-off at the top splits on).
    for (const n of [cutoff, cutoff + 1]) {
      const xs = randomArray(t, n, 1000);
      const run = await sort(t, xs, cutoff, true);
      const joins = joinsOf(run);
      const allowed = n <= cutoff ? 0 : 1;
      if (joins.length <= allowed) continue;
      const deeper = joins.find((j) => j.depth > 0) ?? joins[0]!;
      run.fail(
        n <= cutoff
          ? `quicksort of ${count(n)} numbers with a cut-off of ${cutoff} called join ${plural(joins.length, 'time')}: ` +
              `a slice of ${cutoff} numbers or fewer must be sorted sequentially, without join`
          : `quicksort of ${count(n)} numbers with a cut-off of ${cutoff} called join ${plural(joins.length, 'time')}: after the first partition both sides hold ` +
              `${cutoff} numbers or fewer, so they must be sorted sequentially, without another join. Check the cut-off in every recursive call, with <=`,
        deeper.line !== undefined ? { line: deeper.line, column: 1 } : undefined,
      );
    }
  }),

  check('splits-with-join', 'Bigger slices are split, and their sides sorted with join', async (t) => {
    const cutoff = 40;
    const xs = randomArray(t, 1200, 100_000);
    const run = await sort(t, xs, cutoff, true);
    const joins = joinsOf(run).length;
    // Every slice above the cut-off is split by one join: at least one per (2 × cutoff) numbers, at most a few per cutoff numbers.
    if (joins >= xs.length / (2 * cutoff) && joins <= (4 * xs.length) / cutoff) {
      // The joins must do the sorting: each half returns its sorted side, and the first join's two sides hold most of
      // the numbers (all but those equal to the pivot). Joins beside a sort done in one go return nothing of the kind.
      const idle = joinsOf(run).find((j) => j.lengths[0] === undefined || j.lengths[1] === undefined);
      // And sort what they are handed: on shuffled numbers, a join whose closures were handed an array of numbers
      // already in order (or reverse order) passes through a sort done before it.
      const presorted = joinsOf(run).find((j) => j.handed !== undefined && j.handed.length >= 64 && j.handed.outOfOrder < 0.1);
      if (presorted !== undefined && idle === undefined) {
        run.fail(
          `quicksort of ${count(xs.length)} shuffled numbers called join ${plural(joins, 'time')}, but ${presorted.depth === 0 ? 'the first one' : `one nested ${presorted.depth} deep`} ` +
            `handed its halves an array of ${count(presorted.handed!.length)} numbers that were already ${presorted.handed!.outOfOrder === 0 ? '' : 'almost '}sorted (ascending or descending): ` +
            `the numbers were sorted before the join, and its halves only passed them through. Hand each half its side as it comes (the numbers below or ` +
            `above the pivot, unsorted), and let the halves sort them`,
          presorted.line !== undefined ? { line: presorted.line, column: 1 } : undefined,
        );
      }
      const top = joinsOf(run).find((j) => j.depth === 0);
      const sides = top === undefined ? 0 : (top.lengths[0] ?? 0) + (top.lengths[1] ?? 0);
      if (idle === undefined && sides >= xs.length / 2) return;
      const what = (v: number | undefined, n: number | undefined) => (n !== undefined ? `an array of ${count(n)}` : v !== undefined ? show(v) : 'no array');
      const at = idle ?? top;
      run.fail(
        idle !== undefined
          ? `quicksort of ${count(xs.length)} numbers called join ${plural(joins, 'time')}, but ${idle.depth === 0 ? 'the first one' : `one nested ${idle.depth} deep`} ` +
              `got back ${what(idle.results[0], idle.lengths[0])} and ${what(idle.results[1], idle.lengths[1])} from its two halves: ` +
              (idle.lengths[0] === undefined && idle.lengths[1] === undefined
                ? `the joins did not sort anything. `
                : `one side was not sorted inside the join. `) +
              `Each half must return its side sorted (a recursive quicksort call), and the result is built from the two`
          : `the first join's two halves returned only ${count(sides)} of the ${count(xs.length)} numbers: the numbers below and above the pivot must be sorted by the join's two halves, ` +
              `not beside it`,
        at?.line !== undefined ? { line: at.line, column: 1 } : undefined,
      );
    }
    run.fail(
      joins === 0
        ? `quicksort of ${count(xs.length)} numbers with a cut-off of ${cutoff} never called join: the two sides of a partition must be sorted with join(() => …, () => …)`
        : `quicksort of ${count(xs.length)} numbers with a cut-off of ${cutoff} called join ${plural(joins, 'time')}; splitting every slice above the cut-off once takes between ` +
            `${count(Math.ceil(xs.length / (2 * cutoff)))} and ${count((4 * xs.length) / cutoff)}`,
    );
  }),

  check('shallow-recursion', 'The joins nest only about log(n / cutoff) deep, even on sorted input or many equal numbers', async (t) => {
    const cutoff = 20;
    const n = 600;
    const start = Math.floor(t.random() * 1000);
    const ascending = Array.from({ length: n }, (_, i) => start + 3 * i);
    // And many equal numbers: 600 of only 5 different values, shuffled. A split that puts the numbers equal to the
    // pivot on one side takes only the pivot itself off each time, and nests once per repeat.
    const values = Array.from({ length: 5 }, () => Math.floor(t.random() * 1000) - 500);
    const repeats = Array.from({ length: n }, () => values[Math.floor(t.random() * values.length)]!);
    const limit = Math.ceil(3 * Math.log2(n / cutoff)) + 4;
    for (const xs of [ascending, repeats]) {
      const run = await sort(t, xs, cutoff, true);
      const deepest = Math.max(-1, ...joinsOf(run).map((j) => j.depth)) + 1;
      if (deepest <= limit) continue;
      if (xs === repeats) {
        run.fail(
          `on an array of ${count(n)} numbers with only ${new Set(repeats).size} different values (${show([...new Set(repeats)].sort((a, b) => a - b))}), the joins nested ${count(deepest)} deep: ` +
            `the numbers equal to the pivot went to one side with the others, so each split took hardly anything off. ` +
            `Keep the numbers equal to the pivot apart (below, equal, above) and sort only below and above`,
        );
      }
      run.fail(
        `on ${xs[0]! < xs[1]! ? 'an already sorted' : 'a reverse-sorted'} array of ${count(n)} numbers, the joins nested ${count(deepest)} deep; ` +
          `good pivots split each slice roughly in half, about ${Math.ceil(Math.log2(n / cutoff))} levels. Pick the median of the first, middle and last numbers, or a random one, not the first`,
      );
    }
  }),
];
