// Every runnable example of every chapter after the first (which has its own
// spec, threads-chapter.spec.ts) prints, in Chromium, what its chapter says,
// and ends the way the chapter says: normally, or with the deadlock report
// the example is there to show.
//
// One test a chapter, as a reader goes through it: the page is loaded once and
// its examples are run one after another, each in a step named after it. Each
// example's checks are soft, so one wrong example does not hide the others,
// and the failure names the example and its line in the MDX file.

import { basename } from 'node:path';
import { chapterFiles, matchesExpectation, missingFromReport, readExamples } from '../support/chapter-examples.ts';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';

const STATUS = { ok: /^Finished in /, deadlock: /^Deadlock/, panic: /^Panicked/, 'compile-error': /^Did not compile/ };
/** Per example: a run takes at most its time limit (10 s by default), plus the page's own work on a loaded machine. */
const PER_EXAMPLE_MS = 30_000;

for (const file of chapterFiles().filter((f) => !basename(f).startsWith('01-'))) {
  const slug = basename(file, '.mdx').replace(/^\d+-/, '');
  const examples = readExamples(file);
  test(`${basename(file)}: each of its ${examples.length} examples prints what the chapter says`, async ({ page, pageErrors }) => {
    test.setTimeout(60_000 + examples.length * PER_EXAMPLE_MS);
    await page.goto(`/${slug}/`);
    for (const ex of examples) {
      await test.step(`example ${ex.index} (${basename(file)}:${ex.line})`, async () => {
        const where = `${basename(file)} example ${ex.index} (line ${ex.line})`;
        const onPage = example(page, ex.index);
        await onPage.run.scrollIntoViewIfNeeded();
        await onPage.run.click();
        const run = await finishedOutput(onPage);
        expect.soft(run.status, where).toMatch(STATUS[ex.status]);
        if (ex.status === 'ok') expect.soft(run.errors.length, `${where}: ${run.errors.join('\n')}`).toBe(ex.threadPanics);
        expect.soft(missingFromReport(ex, run.errors), `${where}: ${run.errors.join('\n')}`).toEqual([]);
        // An example without an output block prints nothing (its lesson is the report that ends it).
        if (ex.expected === undefined) expect.soft(run.lines, where).toEqual([]);
        else if (ex.shape) expect.soft(matchesExpectation(ex, run.lines), `${where}: ${run.lines.join('\n')}`).toBe(true);
        else if (ex.unordered) expect.soft([...run.lines].sort(), where).toEqual([...ex.expected].sort());
        else expect.soft(run.lines, where).toEqual(ex.expected);
      });
    }
    expect(pageErrors).toEqual([]);
  });
}
