import { check, count, show, type CheckContext } from '#weft/checks';

/** Arrays the program can't know in advance: empty, one item, and longer ones of small integers (negative too). */
function someArrays(t: CheckContext): number[][] {
  const list = (n: number) => Array.from({ length: n }, () => Math.floor(t.random() * 201) - 100);
  return [[], list(1), list(37), list(2000)];
}

const loop = (xs: number[]) => xs.reduce((acc, x) => acc + x * x, 0);

/**
 * Whether one atomic's changes, made inside parallel work after the iterator started, built up `value`: the last
 * change left it there, it was a read-modify-write (fetchAdd and the like, not a store of a total computed elsewhere),
 * and at least two changes moved it (a total added in one go is the loop's, passed through the pool).
 */
function builtInAtomic(changes: { atomic: number; before: number | undefined; after: number | undefined }[], value: unknown): boolean {
  const byAtomic = new Map<number, typeof changes>();
  for (const c of changes) byAtomic.set(c.atomic, [...(byAtomic.get(c.atomic) ?? []), c]);
  for (const list of byAtomic.values()) {
    const last = list[list.length - 1]!;
    if (last.after !== value || last.before === undefined) continue;
    if (list.filter((c) => c.before !== undefined && c.after !== undefined && c.after !== c.before).length >= 2) return true;
  }
  return false;
}

export default [
  check('same-as-the-loop', 'It gives what the plain loop gives, however the work is split', async (t) => {
    const arrays = someArrays(t);
    const seeds = t.seeds(2);
    for (const [k, xs] of arrays.entries()) {
      // The longest array under two seeds: weft cuts it into different pieces each time (the others are cut too).
      for (const seed of xs.length > 100 ? seeds : seeds.slice(0, 1)) {
        const run = await t.call('sumOfSquares', [xs], { seed });
        const expected = loop(xs);
        if (run.value === expected) continue;
        run.fail(
          `for ${xs.length === 0 ? 'an empty array' : `an array of ${count(xs.length)} numbers ${show(xs, 6)}`} sumOfSquares returned ${show(run.value)}; the loop gives ${count(expected)}` +
            (xs.length === 0 ? ': with no items, the answer is the identity of +, which is 0' : '') +
            (k >= 2 ? '. With weft cutting the work into pieces, each piece starts from the identity and the pieces\' results are combined with the same operation: it must be associative, with a true identity' : ''),
        );
      }
    }
  }),

  check('runs-in-parallel', 'A parallel iterator goes over all the items', async (t) => {
    const xs = someArrays(t)[3]!;
    const run = await t.call('sumOfSquares', [xs], { seed: t.seeds(1)[0]!, trace: true });
    const iterators = run.trace.parIterators();
    const overAll = iterators.filter((p) => p.items === xs.length);
    // The total must be what the pool computed: an iterator run beside a loop does none of the work the answer needs.
    const lone = overAll.find((p) => p.value === run.value && p.poolThreads === 1);
    if (lone !== undefined) {
      run.fail(
        `the parallel iterator over the ${count(xs.length)} items ran on a thread pool you built with a single thread: the work is split, but one thread does every piece. ` +
          `Use the global pool (parIter(xs) outside any install), or a pool of several threads`,
        lone.line !== undefined ? { line: lone.line, column: 1 } : undefined,
      );
    }
    const whole = overAll.find((p) => p.value === run.value && p.pieces === 1);
    if (whole !== undefined) {
      run.fail(
        `the parallel iterator over the ${count(xs.length)} items did its work in one piece (withMinLen of the whole length, or the like), so however many threads the pool has, one of them did it all. ` +
          `Let weft split it: parIter(xs).map((x) => x * x).sum()`,
        whole.line !== undefined ? { line: whole.line, column: 1 } : undefined,
      );
    }
    const summed = overAll.find((p) => p.value === run.value);
    if (summed !== undefined) {
      // Each piece the seed cut the items into must add up its own items' squares: a piece that returns the whole
      // total (item 0 summing every square, the other items 0) leaves one thread doing all the work.
      const wrongPiece = summed.parts.find((part) => part.value !== undefined && part.value !== loop(xs.slice(part.lo, part.hi)));
      if (summed.parts.length >= 2 && wrongPiece !== undefined) {
        run.fail(
          `the parallel iterator's work was cut into ${summed.parts.length} pieces, and the piece of items ${count(wrongPiece.lo)} to ${count(wrongPiece.hi - 1)} returned ${show(wrongPiece.value)}, ` +
            `though the squares of those items add up to ${show(loop(xs.slice(wrongPiece.lo, wrongPiece.hi)))}: one item's closure did the work of many, so one thread did it all. ` +
            `Let each item's closure square only its own item: parIter(xs).map((x) => x * x).sum()`,
          summed.line !== undefined ? { line: summed.line, column: 1 } : undefined,
        );
      }
      return;
    }
    // Divide and conquer with join shares the work too: the outermost join's two halves (each a real share of the
    // squares, not a total and a zero) must add up to the answer.
    // A share is the squares of a part of xs: the items before some index and the items from there on (a split into
    // halves, at any point), or the items at even and at odd indices.
    const halves = run.trace.parJoins().filter((j) => j.depth === 0);
    const shares = new Set<number>();
    let prefix = 0;
    for (const x of xs) shares.add((prefix += x * x));
    shares.add(xs.reduce((acc, x, i) => (i % 2 === 0 ? acc + x * x : acc), 0));
    shares.add(xs.reduce((acc, x, i) => (i % 2 === 1 ? acc + x * x : acc), 0));
    const isShare = (v: number) => v > 0 && v < loop(xs) && shares.has(v);
    if (halves.some(({ results: [a, b] }) => a !== undefined && b !== undefined && (isShare(a) || isShare(b)) && a + b === run.value)) return;
    // A shared atomic total that the iterator's closures add each square to (forEach) is the pool's work too: the
    // trace records an atomic's changes made inside parallel work only, so the total must have been built up there,
    // by more than one change, and left at the value sumOfSquares returned.
    const [shown] = overAll;
    if (shown !== undefined && builtInAtomic(run.trace.parAtomics().filter((c) => c.seq > shown.seq), run.value)) return;
    if (shown !== undefined) {
      run.fail(
        (shown.value === undefined
          ? `a parallel iterator went over all ${count(xs.length)} items, but it did not sum them (it ended in collect, forEach or the like), ` +
            `and its closures did not add the squares up in an atomic total either, so the ${show(run.value)} sumOfSquares returned was added up outside it, on the calling thread. ` +
            `Let the iterator's own result be the sum: parIter(xs).map((x) => x * x).sum() (or add each square to an AtomicI32 inside forEach, and return its value)`
          : `a parallel iterator went over all ${count(xs.length)} items, but it returned ${show(shown.value)} and sumOfSquares returned ${show(run.value)}: ` +
            `the squares were summed somewhere else, and the pool's work was thrown away. Return the iterator's result: parIter(xs).map((x) => x * x).sum()`),
        shown.line !== undefined ? { line: shown.line, column: 1 } : undefined,
      );
    }
    run.fail(
      iterators.length === 0
        ? halves.length > 0
          ? `join ran, but its two halves (${halves.map(({ results: [a, b] }) => `${show(a)} and ${show(b)}`).join('; ')}) are not the sums of the squares ` +
            `of two parts of xs (the items before some index and the rest) that add up to what sumOfSquares returned, ${show(run.value)}: the pool did not compute the answer. ` +
            `Use parIter(xs).map((x) => x * x).sum(), or let each half of a join sum the squares of its own half of xs`
          : `no parallel iterator ran: the ${count(xs.length)} squares were summed on the calling thread alone. Use parIter(xs) from weft/par, with map and sum`
        : `the parallel iterators ran over ${show(iterators.map((p) => p.items))} items, not over all ${count(xs.length)}`,
    );
  }),
];
