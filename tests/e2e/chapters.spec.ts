// Every runnable example of every chapter after the first (which has its own
// spec, threads-chapter.spec.ts) prints, in Chromium, what its chapter says,
// and ends the way the chapter says: normally, or with the deadlock report
// the example is there to show.

import { basename } from 'node:path';
import { chapterFiles, matchesExpectation, missingFromReport, readExamples } from '../support/chapter-examples.ts';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';

const STATUS = { ok: /^Finished in /, deadlock: /^Deadlock/, panic: /^Panicked/ };

for (const file of chapterFiles().filter((f) => !basename(f).startsWith('01-'))) {
  const slug = basename(file, '.mdx').replace(/^\d+-/, '');
  test.describe(basename(file), () => {
    for (const ex of readExamples(file)) {
      test(`example ${ex.index} (line ${ex.line}) prints what the chapter says`, async ({ page, pageErrors }) => {
        await page.goto(`/${slug}/`);
        const onPage = example(page, ex.index);
        await onPage.run.click();
        const run = await finishedOutput(onPage);
        expect(run.status).toMatch(STATUS[ex.status]);
        if (ex.status === 'ok') expect(run.errors.length, run.errors.join('\n')).toBe(ex.threadPanics);
        expect(missingFromReport(ex, run.errors), run.errors.join('\n')).toEqual([]);
        // An example without an output block prints nothing (its lesson is the report that ends it).
        if (ex.expected === undefined) expect(run.lines).toEqual([]);
        else if (ex.shape) expect(matchesExpectation(ex, run.lines), run.lines.join('\n')).toBe(true);
        else if (ex.unordered) expect([...run.lines].sort()).toEqual([...ex.expected!].sort());
        else expect(run.lines).toEqual(ex.expected);
        expect(pageErrors).toEqual([]);
      });
    }
  });
}
