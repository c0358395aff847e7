// Exercises that grade themselves, as a reader meets them in Chromium:
// solving one (and finding it still solved, with the code, after a reload),
// a racy answer caught with the seed that replays it, hints one at a time,
// the solution behind a confirmation, progress on the progress page, the
// sidebar and the index, and progress carried to another browser by export
// and import. Answers come from the exercises folder, read by the catalog.

import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { chapterOf, checkItems, enterCode, exercise, finishedCheck, visible } from './support/exercises.ts';
import { errorMarkerLines } from './support/examples.ts';
import { shiftCount, shiftScoreSince, watchLayoutShifts } from './support/layout-shifts.ts';

const COUNTER = 'shared-counter';
const JOIN = 'join-results';
/** Grading runs the program under many schedules on real threads. */
test.describe.configure({ timeout: 180_000 });

/** The progress page's row for an exercise. */
function progressRow(page: Page, title: string) {
  return page.getByRole('row').filter({ has: page.getByRole('rowheader', { name: new RegExp(`^${escape(title)}`) }) });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

test('entering the reference solution passes every check; after a reload it is still solved and the code is still there', async ({ page, pageErrors }) => {
  const ex = exercise(page, COUNTER);
  await page.goto(chapterOf(ex.info));
  await expect(ex.badge).toBeHidden();
  // A line of the reader's own, so the draft is recognisably theirs after the reload.
  const mine = `// my answer, ${Date.now().toString(36)}`;
  await enterCode(page, ex, `${mine}\n${ex.info.solution}`);
  await ex.check.click();
  await expect(ex.stop).toBeEnabled();
  expect(await finishedCheck(ex)).toBe(`All ${ex.info.checks.length} checks passed. Solved!`);
  await expect(checkItems(ex)).toHaveText(ex.info.checks.map((c) => `Passed ${c.title}`));
  await expect(ex.badge).toHaveText('Solved');
  await expect(ex.check).toBeEnabled();
  await expect(ex.stop).toBeDisabled();

  await page.reload();
  await expect(ex.badge).toHaveText('Solved');
  await expect(ex.editor).toBeVisible();
  await expect(ex.editor.locator('.view-lines')).toContainText(visible(mine));
  await expect(ex.root.getByText('Your saved draft')).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('a first Edit swaps the exercise\'s code for the editor without moving the page', async ({ page }) => {
  await watchLayoutShifts(page);
  const ex = exercise(page, JOIN);
  await page.goto(chapterOf(ex.info));
  await page.waitForLoadState('networkidle');
  await ex.edit.scrollIntoViewIfNeeded();
  const heightBefore = (await ex.root.boundingBox())!.height;
  const before = await shiftCount(page);
  await ex.edit.click();
  await expect(ex.editor).toBeVisible({ timeout: 60_000 });
  // Monaco settled: its fonts and its first layout.
  await page.waitForFunction(() => document.fonts.status === 'loaded');
  expect(Math.abs((await ex.root.boundingBox())!.height - heightBefore)).toBeLessThanOrEqual(2);
  expect(await shiftScoreSince(page, before)).toBeLessThanOrEqual(0.01);
});

test('the exercise toolbar keeps one row on a desktop, and on a phone every button still shows its name or its icon', async ({ page }) => {
  const ex = exercise(page, JOIN);
  const buttons = ex.root.getByRole('toolbar').getByRole('button');
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto(chapterOf(ex.info));
  await expect(ex.check).toBeEnabled();
  const tops = await buttons.evaluateAll((all) => all.map((b) => Math.round(b.getBoundingClientRect().top)));
  expect(new Set(tops).size, `button tops: ${tops.join(', ')}`).toBe(1);

  await page.setViewportSize({ width: 360, height: 800 });
  const shown = await buttons.evaluateAll((all) =>
    all.map((b) => {
      const label = b.querySelector('span');
      const labelShown = label !== null && label.getBoundingClientRect().width > 4 && getComputedStyle(label).clip === 'auto';
      return { name: b.textContent?.trim(), shows: labelShown || b.querySelector('svg') !== null };
    }),
  );
  expect(shown.filter((b) => !b.shows).map((b) => b.name)).toEqual([]);
});

test('the save status shows in full at every width: a toolbar with no room beside its buttons gives it a row of its own', async ({ page }) => {
  // At 800 px the buttons took two rows and left the status 17 px ('…'); at 1280 'Your saved draft' read 'Your saved …'.
  const ex = exercise(page, JOIN);
  const status = ex.root.locator('[data-save-status]');
  const clipped = () => status.evaluate((el) => el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().width < 8);
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(chapterOf(ex.info));
  await enterCode(page, ex, `// mine\n${ex.info.starter}`);
  await expect(status).toHaveText('Draft saved');
  expect(await clipped(), 'Draft saved at 800 px').toBe(false);
  for (const width of [1280, 600, 1024]) {
    await page.setViewportSize({ width, height: 900 });
    await page.reload();
    await expect(status).toHaveText('Your saved draft');
    expect(await clipped(), `Your saved draft at ${width} px`).toBe(false);
  }
});

test('Run shows what the program prints, labelled by thread, beside Check', async ({ page, pageErrors }) => {
  const ex = exercise(page, COUNTER);
  await page.goto(chapterOf(ex.info));
  const printing = ex.info.solution.replace('using total = counter.lock();', 'console.log("joined every thread");\n  using total = counter.lock();');
  await enterCode(page, ex, printing);
  await ex.run.click();
  const output = ex.root.getByRole('log', { name: 'Output' });
  await expect(output.locator('.weft-log__status')).toContainText('Finished', { timeout: 60_000 });
  await expect(output.locator('.weft-log__line .weft-log__text')).toHaveText(['joined every thread', 'Total: 1000']);
  await expect(output.locator('.weft-log__line').first()).toContainText('main');
  // A Run grades nothing: the results stay empty, and Check is still there to press.
  await expect(checkItems(ex)).toHaveCount(0);
  await expect(ex.check).toBeEnabled();
  expect(pageErrors).toEqual([]);
});

test('a racy answer fails with the seed of the schedule that broke it, and Replay shows that schedule again', async ({ page, pageErrors }) => {
  const ex = exercise(page, COUNTER);
  const wrong = ex.info.wrong.find((w) => w.name === 'read-then-write')!;
  await page.goto(chapterOf(ex.info));
  await enterCode(page, ex, wrong.source);
  await ex.check.click();
  const summary = await finishedCheck(ex);
  expect(summary).toMatch(new RegExp(`^\\d of ${ex.info.checks.length} checks passed\\.$`));

  // The wrong answer names the check that catches it; others may fail too (the trace shows the same race).
  const title = ex.info.checks.find((c) => c.id === wrong.fails)!.title;
  const failing = checkItems(ex).filter({ hasText: 'Failed' }).filter({ hasText: title });
  await expect(failing).toHaveCount(1);
  const message = (await failing.locator('.weft-results__message').textContent())!;
  // "With seed 48213 the total was 987, expected 1,000: 13 increments were lost — replay seed 48213"
  const [, seed, total] = /^With seed (\d+) the total was ([\d,]+), expected/.exec(message) ?? [];
  expect(seed, message).toBeDefined();

  await failing.getByRole('button', { name: `Replay seed ${seed}` }).click();
  const replay = ex.root.getByRole('log', { name: `Replay of seed ${seed}` });
  await expect(replay).toBeVisible();
  await expect(replay.locator('.weft-log__status')).toHaveCount(1);
  // The replay prints the very total the failing check reported.
  await expect(replay.locator('.weft-log__line .weft-log__text')).toHaveText([`Total: ${total!.replace(/,/g, '')}`]);
  await expect(replay.locator('.weft-log__status')).toContainText('Finished');
  // The Replay draws that schedule: its timeline opens by itself, one lane per thread.
  const timeline = ex.root.getByRole('figure', { name: new RegExp(`^Timeline of the run under seed ${seed}`) });
  await expect(timeline).toBeVisible();
  await expect(timeline.locator('.tl-lane-name').first()).toHaveText('main');
  expect(await timeline.locator('.tl-lane-name').count()).toBeGreaterThan(2);
  await expect(ex.root.getByRole('button', { name: 'Timeline' })).toHaveAttribute('aria-expanded', 'true');
  await expect(ex.badge).toHaveText('Attempted once');
  expect(pageErrors).toEqual([]);
});

test("a failing call of the learner's function replays as that call, and shows what it returned", async ({ page, pageErrors }) => {
  const ex = exercise(page, 'bank-transfers');
  const wrong = ex.info.wrong.find((w) => w.name === 'unlock-between')!;
  await page.goto(chapterOf(ex.info));
  await enterCode(page, ex, wrong.source);
  await ex.check.click();
  await finishedCheck(ex);
  const title = ex.info.checks.find((c) => c.id === wrong.fails)!.title;
  const failing = checkItems(ex).filter({ hasText: 'Failed' }).filter({ hasText: title });
  await expect(failing).toHaveCount(1);
  const message = (await failing.locator('.weft-results__message').textContent())!;
  // "With seed 73935 while 60 transfers ran on 3 threads, thread 3 let go of its last account lock (line 45) with the bank holding 3,627 instead of 3,655: …"
  const [, seed] = /^With seed (\d+) while \d+ transfers ran on \d+ threads, .* the bank holding [\d,]+ instead of [\d,]+/.exec(message) ?? [];
  expect(seed, message).toBeDefined();

  await failing.getByRole('button', { name: `Replay seed ${seed}` }).click();
  const replay = ex.root.getByRole('log', { name: `Replay of seed ${seed}` });
  await expect(replay.locator('.weft-log__status').filter({ hasText: 'runBank returned' })).toHaveCount(1, { timeout: 30_000 });
  const returned = (await replay.locator('.weft-log__status').filter({ hasText: 'runBank returned' }).textContent())!;
  // The replay is that call, with the arguments the check chose: what the learner's runBank returned for them.
  expect(returned).toMatch(/^runBank returned \{ balances: \[.*\], totals: \[.*\] \}$/);
  // Its timeline marks the evidence: the events at the line the check named.
  const line = /\(line (\d+)\)/.exec(message)?.[1];
  expect(line, message).toBeDefined();
  const timeline = ex.root.getByRole('figure', { name: new RegExp(`^Timeline of the run under seed ${seed}`) });
  await expect(timeline.locator('.tl-evidence-note')).toContainText(`at line ${line}`);
  expect(await timeline.locator('.tl-evidence').count()).toBeGreaterThan(0);
  // Pictures to look at (the closing notes describe them), in both themes.
  await timeline.screenshot({ path: '/tmp/timeline-shots/evidence-light.png' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await timeline.screenshot({ path: '/tmp/timeline-shots/evidence-dark.png' });
  await page.emulateMedia({ colorScheme: 'light' });
  await timeline.getByRole('button', { name: 'Show as table' }).click();
  await expect(timeline.locator('tr.tl-evidence-row').first()).toContainText(`line ${line}`);
  expect(pageErrors).toEqual([]);
});

test('a run that failed by running out of time replays with the same limit, and says so', async ({ page, pageErrors }) => {
  const ex = exercise(page, 'spin-lock');
  const wrong = ex.info.wrong.find((w) => w.name === 'no-finally')!;
  await page.goto(chapterOf(ex.info));
  await enterCode(page, ex, wrong.source);
  await ex.check.click();
  await finishedCheck(ex);
  const title = ex.info.checks.find((c) => c.id === wrong.fails)!.title;
  const failing = checkItems(ex).filter({ hasText: 'Failed' }).filter({ hasText: title });
  const message = (await failing.locator('.weft-results__message').textContent())!;
  const [, seed, limit] = /^With seed (\d+) .*the time limit of (\d+ s)/.exec(message) ?? [];
  expect(seed, message).toBeDefined();
  // The seed is named once, by the check (the Replay button says how to see it again).
  expect(message).not.toContain('run it again with this seed');
  await failing.getByRole('button', { name: `Replay seed ${seed}` }).click();
  const replay = ex.root.getByRole('log', { name: `Replay of seed ${seed}` });
  await expect(replay.locator('.weft-log__status')).toContainText(`Timed out after ${limit}`, { timeout: 30_000 });
  expect(pageErrors).toEqual([]);
});

test('Hint reveals the hints one at a time; Solution asks first, and the progress page records that it was seen', async ({ page, pageErrors }) => {
  const ex = exercise(page, JOIN);
  await page.goto(chapterOf(ex.info));
  const hints = ex.root.getByRole('region', { name: /^Hints/ }).getByRole('listitem');
  await expect(hints).toHaveCount(0);
  for (let shown = 1; shown <= ex.info.hints.length; shown++) {
    await ex.hint.click();
    await expect(hints).toHaveCount(shown);
    await expect(ex.root.getByRole('heading', { name: `Hints (${shown} of ${ex.info.hints.length})` })).toBeVisible();
  }
  await expect(ex.hint).toBeDisabled();
  // Each hint is its own: no hint repeats another.
  const texts = await hints.allTextContents();
  expect(new Set(texts).size).toBe(ex.info.hints.length);

  const solution = ex.root.getByRole('region', { name: 'Reference solution' });
  await ex.solution.click();
  const dialog = page.getByRole('dialog', { name: 'See the reference solution?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep trying' }).click();
  await expect(dialog).toBeHidden();
  await expect(solution).toBeHidden();

  await ex.solution.click();
  await dialog.getByRole('button', { name: 'Show the solution' }).click();
  await expect(solution).toBeVisible();
  const firstLine = ex.info.solution.split('\n').find((line) => line.trim() !== '')!;
  await expect(solution.locator('pre')).toContainText(firstLine.trim());
  await expect(ex.badge).toContainText('solution seen');

  // Loading it into the editor, and checking it, solves the exercise.
  await solution.getByRole('button', { name: 'Load the solution into the editor' }).click();
  await expect(ex.editor.locator('.view-lines')).toContainText(visible(firstLine));

  await page.goto('/progress/');
  const row = progressRow(page, ex.info.title);
  await expect(row.getByRole('cell').nth(0)).toContainText('solution seen');
  await expect(row.getByRole('cell').nth(2)).toHaveText(`${ex.info.hints.length} of ${ex.info.hints.length}`);

  // After a reload of the chapter the hints and the solution are still there.
  await page.goto(chapterOf(ex.info));
  await expect(hints).toHaveCount(ex.info.hints.length);
  await expect(solution).toBeVisible();
  expect(pageErrors).toEqual([]);
});

test('after solving, the sidebar, the index and the progress page count the exercise', async ({ page }) => {
  const ex = exercise(page, JOIN);
  await page.goto(chapterOf(ex.info));
  const chapterLink = page.getByRole('navigation', { name: 'Chapters' }).getByRole('link', { name: /^Threads/ });
  await expect(chapterLink).toContainText(/0 of \d+ exercises solved/);
  await enterCode(page, ex, ex.info.solution);
  await ex.check.click();
  expect(await finishedCheck(ex)).toMatch(/Solved!$/);
  // The next exercise not solved yet, in book order, is one click away.
  const counter = exercise(page, COUNTER).info;
  await expect(ex.results.getByText(/^Continue with/)).toContainText(`Continue with ${counter.title}.`);
  await expect(ex.results.getByRole('link', { name: counter.title })).toHaveAttribute('href', `/threads/#exercise-${COUNTER}`);
  // The sidebar follows at once, without a reload.
  await expect(chapterLink).toContainText(/1 of \d+ exercises solved/);
  await expect(page.getByRole('navigation', { name: 'Chapters' }).getByRole('paragraph').filter({ hasText: 'Your progress' })).toContainText(/Your progress\s*1 of \d+ exercises solved/);

  await page.goto('/');
  await expect(page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: 'Threads' }) })).toContainText(/1 of \d+ exercises solved/);
  await expect(page.getByText(/Your progress: 1 of \d+ exercises solved\./)).toBeVisible();

  await page.getByRole('link', { name: 'Your progress' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your progress');
  await expect(progressRow(page, ex.info.title).getByRole('cell').first()).toContainText('Solved');
  await expect(progressRow(page, exercise(page, COUNTER).info.title).getByRole('cell').first()).toHaveText('Not started');
  await expect(page.getByText(/^Continue with/)).toHaveText(`Continue with ${counter.title}.`);
});

test('progress and drafts go to a file and come back in another browser; a bad file is refused with the reason', async ({ page, browser }) => {
  const ex = exercise(page, COUNTER);
  await page.goto(chapterOf(ex.info));
  const mine = `// draft to carry over, ${Date.now().toString(36)}`;
  await enterCode(page, ex, `${mine}\n${ex.info.solution}`);
  await ex.check.click();
  expect(await finishedCheck(ex)).toMatch(/Solved!$/);
  await ex.hint.click();

  await page.goto('/progress/');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export progress' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/^weft-progress-\d{4}-\d\d-\d\d\.json$/);
  const path = await file.path();
  await expect(page.getByRole('status')).toHaveText(`Exported 1 exercise and 1 draft to ${file.suggestedFilename()}.`);
  const exported = JSON.parse(readFileSync(path, 'utf8'));
  expect(exported).toMatchObject({ format: 'weft-progress', exercises: [{ id: COUNTER, attempts: 1, hintsShown: 1 }] });

  // Another browser: nothing stored yet.
  const other = await browser.newContext();
  try {
    const fresh = await other.newPage();
    await fresh.goto(page.url());
    const row = progressRow(fresh, ex.info.title);
    await expect(row.getByRole('cell').first()).toHaveText('Not started');

    const chooseFile = async (files: Parameters<import('@playwright/test').FileChooser['setFiles']>[0]) => {
      const chooser = fresh.waitForEvent('filechooser');
      await fresh.getByRole('button', { name: 'Import progress…' }).click();
      await (await chooser).setFiles(files);
    };

    await chooseFile({ name: 'notes.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "weft-progress", "version": 1, "exercises": [') });
    await expect(fresh.getByRole('alert')).toHaveText(/^Nothing was imported from notes\.json\. The file is not valid JSON \(.+\)\. Was it changed by hand, or cut short\?$/);
    await chooseFile({ name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name": "my-app", "version": "1.0.0"}') });
    await expect(fresh.getByRole('alert')).toHaveText(/^Nothing was imported from package\.json\. This is not a Weft progress file/);
    await expect(row.getByRole('cell').first()).toHaveText('Not started');

    await chooseFile(path);
    await expect(fresh.getByRole('status')).toHaveText(/^Imported 1 exercise and 1 draft from /);
    await expect(fresh.getByRole('alert')).toHaveText('');
    await expect(row.getByRole('cell').first()).toContainText('Solved');
    await expect(row.getByRole('cell').nth(2)).toHaveText(`1 of ${ex.info.hints.length}`);

    // The draft came along: the chapter opens with it.
    const there = exercise(fresh, COUNTER);
    await fresh.goto(chapterOf(ex.info));
    await expect(there.badge).toHaveText('Solved');
    await expect(there.editor.locator('.view-lines')).toContainText(visible(mine));
  } finally {
    await other.close();
  }
});

test('a program that does not compile: the checks say so in the learner\'s terms, and the line is marked in the editor', async ({ page }) => {
  const ex = exercise(page, JOIN);
  await page.goto(chapterOf(ex.info));
  const broken = ex.info.starter.split('\n');
  // Break the first line of `sumChunks`' body: a reader's typo.
  const line = broken.findIndex((l) => /export function sumChunks/.test(l)) + 2;
  broken[line - 1] = `  const oops = ;${broken[line - 1]}`;
  await enterCode(page, ex, broken.join('\n'));
  await ex.check.click();
  expect(await finishedCheck(ex)).toBe(`0 of ${ex.info.checks.length} checks passed.`);
  const items = checkItems(ex);
  await expect(items).toHaveCount(ex.info.checks.length);
  for (const item of await items.all()) await expect(item).toContainText(/^Not checked .*Your program does not compile/);
  await expect.poll(() => errorMarkerLines(ex)).toEqual([line]);
  // "Show line N" takes the reader there.
  await items.first().getByRole('button', { name: `Show line ${line}` }).click();
  await expect(ex.editor).toHaveClass(/\bfocused\b/);
});

test('a Check or Run of code the editor marks with a type error says so first, with its line; the same code without one does not', async ({ page }) => {
  // `let sum: number = "0"` makes every sum a string ("0123"): the checks fail on the values, and nothing said why
  // but a squiggle. Rust would not compile it; the results now say so first.
  const ex = exercise(page, JOIN);
  await page.goto(chapterOf(ex.info));
  const lines = ex.info.solution.split('\n');
  const line = lines.findIndex((l) => l.includes('let sum = 0;')) + 1;
  expect(line).toBeGreaterThan(0);
  lines[line - 1] = lines[line - 1]!.replace('let sum = 0;', 'let sum: number = "0";');
  await enterCode(page, ex, lines.join('\n'));
  await expect.poll(() => errorMarkerLines(ex), { timeout: 30_000 }).toEqual([line]);
  await ex.check.click();
  expect(await finishedCheck(ex)).not.toContain('Solved');
  const note = ex.results.locator('.weft-results__types');
  await expect(note).toContainText(`TypeScript marks an error in this code: line ${line}: Type 'string' is not assignable to type 'number'. Rust would not compile such a program; the checks run it anyway`);
  await note.getByRole('button', { name: `Show line ${line}` }).click();
  await expect(ex.editor).toHaveClass(/\bfocused\b/);
  // Run says it too, above what the program printed.
  await ex.run.click();
  const output = ex.root.getByRole('log', { name: 'Output' });
  await expect(output.locator('.weft-log__status')).toContainText('Finished', { timeout: 60_000 });
  await expect(output.locator('.weft-log__types')).toContainText(`line ${line}: Type 'string' is not assignable to type 'number'`);

  await enterCode(page, ex, ex.info.solution);
  await expect.poll(() => errorMarkerLines(ex), { timeout: 30_000 }).toEqual([]);
  await ex.check.click();
  expect(await finishedCheck(ex)).toContain('Solved');
  await expect(note).toHaveCount(0);
  await ex.run.click();
  await expect(output.locator('.weft-log__status')).toContainText('Finished', { timeout: 60_000 });
  await expect(output.locator('.weft-log__types')).toHaveCount(0);
});

test("a test bench edited to hand the checks what they look for fails every check, saying so at the bench's line", async ({ page, pageErrors }) => {
  const ex = exercise(page, 'graceful-shutdown');
  await page.goto(chapterOf(ex.info));
  // The bench's runService made to forget the log: what a learner might try to get past a check.
  const source = ex.info.starter.replace('  log.push(`${time.now()} shutdown`);', '  log.length = 0;\n  log.push(`${time.now()} shutdown`);');
  expect(source).not.toBe(ex.info.starter);
  await enterCode(page, ex, source);
  await ex.check.click();
  expect(await finishedCheck(ex)).toBe(`0 of ${ex.info.checks.length} checks passed.`);
  const items = checkItems(ex);
  await expect(items.first()).toContainText('The test bench, below the line');
  await expect(items.first()).toContainText('was changed: runService (line');
  const line = source.split('\n').findIndex((l) => /export async function runService/.test(l)) + 1;
  await expect.poll(() => errorMarkerLines(ex)).toEqual([line]);
  await expect(items.nth(1)).toContainText('code the checks rely on was changed');
  expect(pageErrors).toEqual([]);
});

test('Stop ends a Check of a program that never finishes, and the page stays responsive', async ({ page, pageErrors }) => {
  const ex = exercise(page, COUNTER);
  await page.goto(chapterOf(ex.info));
  await enterCode(page, ex, ['function main() {', '  while (true) {}', '}'].join('\n'));
  await ex.check.click();
  await expect(checkItems(ex).first()).toContainText('Checking…');
  expect(await page.evaluate(() => 6 * 7)).toBe(42);
  await ex.stop.click();
  expect(await finishedCheck(ex)).toMatch(/^Stopped\./);
  await expect(ex.check).toBeEnabled();
  await expect(ex.stop).toBeDisabled();
  // A stopped Check is an attempt, but not a result.
  await expect(ex.badge).toHaveText('Attempted once');
  expect(pageErrors).toEqual([]);
});

test('Reset asks before throwing the reader\'s code away, then brings the starter back for good', async ({ page }) => {
  const ex = exercise(page, JOIN);
  await page.goto(chapterOf(ex.info));
  const mine = `// half-way there, ${Date.now().toString(36)}`;
  await enterCode(page, ex, `${mine}\n${ex.info.starter}`);
  await expect(ex.root.getByText('Draft saved')).toBeVisible();

  await ex.reset.click();
  const dialog = page.getByRole('dialog', { name: 'Start again from the starter code?' });
  await dialog.getByRole('button', { name: 'Keep my code' }).click();
  await expect(ex.editor.locator('.view-lines')).toContainText(visible(mine));

  await ex.reset.click();
  await dialog.getByRole('button', { name: 'Start again' }).click();
  await expect(ex.editor.locator('.view-lines')).not.toContainText(visible(mine));
  const firstLine = ex.info.starter.split('\n')[0]!;
  await expect(ex.editor.locator('.view-line').first()).toContainText(visible(firstLine));

  // The draft is gone: after a reload the page shows the starter, without opening an editor.
  await page.reload();
  await expect(ex.root.locator('.weft-exercise__code pre')).toContainText(firstLine.trim());
  await expect(ex.editor).toHaveCount(0);
  // With nothing changed, Reset needs no confirmation.
  await ex.reset.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});
