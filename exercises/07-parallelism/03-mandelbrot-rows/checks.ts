import { check, count, show, type CheckContext, type ProgramRun } from '#weft/checks';

function escapeTime(cx: number, cy: number, maxIter: number): number {
  let x = 0;
  let y = 0;
  let i = 0;
  while (i < maxIter && x * x + y * y <= 4) {
    const nx = x * x - y * y + cx;
    y = 2 * x * y + cy;
    x = nx;
    i++;
  }
  return i;
}

interface View {
  width: number;
  height: number;
  maxIter: number;
  x0: number;
  y0: number;
  step: number;
}

/** A view the program can't know in advance, not square, so rows and columns can't be mixed up unnoticed. */
function someView(t: CheckContext): View {
  const width = 40 + Math.floor(t.random() * 20);
  const height = 20 + Math.floor(t.random() * 10);
  const step = 2.6 / width;
  return { width, height, maxIter: 30 + Math.floor(t.random() * 40), x0: -2.1 + t.random() * 0.3, y0: -1.2 + t.random() * 0.3, step };
}

const args = (v: View) => [v.width, v.height, v.maxIter, v.x0, v.y0, v.step];

function pixelsOf(run: ProgramRun, v: View): number[] {
  const value = run.value;
  if (!Array.isArray(value)) run.fail(`render returned ${show(value)}: it must return one flat array of width × height numbers`);
  return value as number[];
}

export default [
  check('right-pixels', 'Every pixel has its escape time, row by row', async (t) => {
    const v = someView(t);
    const run = await t.call('render', args(v), { seed: t.seeds(1)[0]! });
    const pixels = pixelsOf(run, v);
    if (pixels.length !== v.width * v.height) {
      run.fail(
        `a ${v.width} × ${v.height} image has ${count(v.width * v.height)} pixels, render returned ${count(pixels.length)}` +
          (pixels.length === v.width * (v.height - 1) ? ': one row short (range(0, height) already leaves out height)' : ''),
      );
    }
    for (let row = 0; row < v.height; row++) {
      for (let col = 0; col < v.width; col++) {
        const expected = escapeTime(v.x0 + col * v.step, v.y0 + row * v.step, v.maxIter);
        const got = pixels[row * v.width + col];
        if (got === expected) continue;
        run.fail(
          `pixel (col ${col}, row ${row}), the point (${(v.x0 + col * v.step).toFixed(3)}, ${(v.y0 + row * v.step).toFixed(3)}), should take ${expected} iterations; ` +
            `render put ${show(got)} at index ${row * v.width + col} (row × width + col). x comes from the column, y from the row`,
        );
      }
    }
  }),

  check('rows-in-parallel', 'A parallel iterator goes over the rows', async (t) => {
    const v = someView(t);
    const run = await t.call('render', args(v), { seed: t.seeds(1)[0]!, trace: true });
    const iterators = run.trace.parIterators();
    // Which items exactly is right-pixels' business; here, only that the rows (or pixels) were shared out.
    if (!iterators.some((p) => p.items >= v.height - 1)) {
      run.fail(
        iterators.length === 0
          ? `no parallel iterator ran: one thread drew all ${count(v.height)} rows. Use range(0, height).map(row => …).collect()`
          : `the parallel iterators went over ${show(iterators.map((p) => p.items))} items, but the image has ${count(v.height)} rows`,
      );
    }
    // The iterator must also do the drawing: in a free run the trace says how long its pieces worked. A bigger view,
    // drawn here too for comparison: an iterator that only hands out row numbers, with the rows drawn afterwards on
    // the calling thread, works a tiny fraction of that (the margin is wide, for a busy machine).
    const whole = iterators.find((p) => p.items >= v.height - 1 && p.pieces === 1);
    if (whole !== undefined) {
      run.fail(
        `the parallel iterator over the ${count(v.height)} rows did its work in one piece (withMinLen of the whole height, or the like): one thread drew every row, and no thread could steal any. ` +
          `Let weft split the rows: range(0, height).map(row => …).collect()`,
        whole.line !== undefined ? { line: whole.line, column: 1 } : undefined,
      );
    }
    // Each piece the seed cut the rows into draws its own rows: width pixels for each. Rows handed back empty (or as
    // row numbers) and drawn afterwards on the calling thread leave their pieces short.
    const rowsIter = iterators.find((p) => p.items === v.height && p.parts.length >= 2 && p.parts.every((part) => part.numbers !== undefined));
    const short = rowsIter?.parts.find((part) => part.numbers! < (part.hi - part.lo) * v.width);
    if (rowsIter !== undefined && short !== undefined) {
      run.fail(
        `the parallel iterator's rows were cut into ${rowsIter.parts.length} pieces, and the piece of rows ${count(short.lo)} to ${count(short.hi - 1)} handed back ` +
          `${count(short.numbers!)} pixels instead of ${count((short.hi - short.lo) * v.width)} (${count(v.width)} a row): those rows were drawn somewhere else, not by the iterator. ` +
          `Compute every row's pixels inside map: range(0, height).map((row) => the row's escape times).collect()`,
        rowsIter.line !== undefined ? { line: rowsIter.line, column: 1 } : undefined,
      );
    }
    const big: View = { width: 240, height: 120, maxIter: 200, x0: -2.2, y0: -1.2, step: 2.4 / 120 };
    let ours = Infinity;
    for (let k = 0; k < 3; k++) {
      const began = performance.now();
      for (let row = 0; row < big.height; row++) for (let col = 0; col < big.width; col++) escapeTime(big.x0 + col * big.step, big.y0 + row * big.step, big.maxIter);
      ours = Math.min(ours, performance.now() - began);
    }
    // Two free runs, and the smaller of their figures: a thread taken off its core mid-item makes that item look long,
    // so one run of an iterator that does no drawing can still look busy on a loaded machine; two in a row rarely do.
    let worked = Infinity;
    let last: Awaited<ReturnType<typeof t.call>> | undefined;
    for (let attempt = 0; attempt < 2; attempt++) {
      last = await t.call('render', args(big), { trace: true });
      const mostWork = Math.max(
        0,
        ...last.trace
          .parIterators()
          .filter((p) => p.items >= big.height - 1 && p.work !== undefined)
          .map((p) => p.work!.totalMs),
      );
      worked = Math.min(worked, mostWork);
    }
    if (worked < ours / 20) {
      last!.fail(
        `a parallel iterator went over the ${count(big.height)} rows of a ${big.width} × ${big.height} view, but its items took ${worked.toFixed(2)} ms in all, ` +
          `while drawing that view takes about ${ours.toFixed(1)} ms: the rows were drawn somewhere else, not by the iterator. ` +
          `Compute each row's pixels inside map: range(0, height).map((row) => the row's escape times).collect()`,
      );
    }
  }),
];
