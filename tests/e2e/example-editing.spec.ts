// Running and editing an example as a reader does: a first Run needs only the
// runner (no editor download) and moves nothing on the page but the output
// panel growing; a first Edit swaps the code for the editor without a jump;
// edits survive a reload; Reset asks before throwing them away.

import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { errorMarkerLines, example, finishedOutput, replaceCode } from './support/examples.ts';
import { shiftCount, shiftScoreSince, watchLayoutShifts } from './support/layout-shifts.ts';

/**
 * The summed score of shifts since `from`, leaving out those that only moved
 * what comes after the example's output panel (the panel growing pushes the
 * rest of the chapter down: that is the one move a Run may make).
 */
function shiftsBeyondOutput(page: Page, exampleIndex: number, from: number): Promise<number> {
  return page.evaluate(
    ([index, start]) => {
      const w = window as unknown as { __shifts: { value: number; nodes: (Node | null)[] }[] };
      const panel = document.querySelectorAll('weft-example')[index]!.querySelector('.weft-example__output')!;
      const pushedByPanel = (node: Node | null) =>
        node !== null && (panel.contains(node) || (panel.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0);
      return w.__shifts
        .slice(start)
        .filter((shift) => !shift.nodes.every(pushedByPanel))
        .reduce((sum, shift) => sum + shift.value, 0);
    },
    [exampleIndex, from] as const,
  );
}


test('a first Run of an unedited example loads no editor and moves nothing but the output panel', async ({ page, pageErrors }) => {
  await watchLayoutShifts(page);
  const editorRequests: string[] = [];
  page.on('request', (request) => {
    if (/monaco|editor\.worker|ts\.worker|tsMode|codicon/i.test(request.url())) editorRequests.push(request.url());
  });
  await page.goto('/threads/');
  await page.waitForLoadState('networkidle');
  const ex = example(page, 3);
  await ex.root.scrollIntoViewIfNeeded();
  const before = await shiftCount(page);
  await ex.run.click();
  const run = await finishedOutput(ex);
  expect(run.errors).toEqual([]);
  expect(editorRequests).toEqual([]);
  await expect(ex.root.locator('.monaco-editor')).toHaveCount(0);
  expect(await shiftsBeyondOutput(page, 2, before)).toBeLessThanOrEqual(0.01);
  expect(pageErrors).toEqual([]);
});

/**
 * Opens the editor of the chapter's second example with a first Edit, and asserts that nothing moved:
 * the example is as tall as its static code was, and the page's layout-shift score stays ≤ 0.01.
 * Returns the example and its height before.
 */
async function firstEditMovesNothing(page: Page): Promise<{ ex: ReturnType<typeof example>; heightBefore: number }> {
  await watchLayoutShifts(page);
  await page.goto('/shared-state/');
  await page.waitForLoadState('networkidle');
  const ex = example(page, 2);
  await ex.edit.scrollIntoViewIfNeeded();
  const heightBefore = (await ex.root.boundingBox())!.height;
  const before = await shiftCount(page);
  await ex.edit.click();
  await expect(ex.root.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
  // Wait for Monaco to settle (its fonts and its first layout).
  await page.waitForFunction(() => document.fonts.status === 'loaded');
  await page.waitForTimeout(500);
  expect(Math.abs((await ex.root.boundingBox())!.height - heightBefore)).toBeLessThanOrEqual(2);
  expect(await shiftScoreSince(page, before)).toBeLessThanOrEqual(0.01);
  return { ex, heightBefore };
}

test('a first Edit swaps the code for the editor without moving the page', async ({ page }) => {
  test.setTimeout(180_000); // Monaco's first load, on a loaded machine
  await firstEditMovesNothing(page);
});

test('on a phone, a first Edit keeps the code\'s height (its lines wrap inside the editor), and the first keystroke lets it grow', async ({ page }) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 360, height: 740 });
  const { ex, heightBefore } = await firstEditMovesNothing(page);
  // The wrapped code is taller than the static code was: once the reader types, the editor shows all of it.
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect.poll(async () => (await ex.root.boundingBox())!.height).toBeGreaterThan(heightBefore + 20);
});

test('edits to an example survive a reload, and Reset asks before discarding them', async ({ page, context }) => {
  test.setTimeout(180_000); // Monaco's first load, on a loaded machine
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/threads/');
  const ex = example(page, 1);
  await ex.edit.click();
  const editor = ex.root.locator('.monaco-editor');
  await expect(editor).toBeVisible({ timeout: 60_000 });
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+End');
  await page.keyboard.press('Enter');
  await page.keyboard.type('// my own note');
  await expect(editor.locator('.view-lines')).toContainText('my own note');

  await page.reload();
  const again = example(page, 1);
  // Shown before the editor loads.
  await expect(again.root.locator('pre')).toContainText('// my own note');
  await expect(again.root).toContainText('Your edited version');

  // Reset asks; "Keep my edits" keeps them.
  await again.reset.click();
  const dialog = page.getByRole('dialog', { name: 'Discard your edits?' });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Keep my edits' }).click();
  await expect(again.root.locator('pre')).toContainText('// my own note');
  // "Discard my edits" puts the book's code back, for good.
  await again.reset.click();
  await dialog.getByRole('button', { name: 'Discard my edits' }).click();
  await expect(again.root.locator('pre')).not.toContainText('// my own note');
  await page.reload();
  await expect(example(page, 1).root.locator('pre')).not.toContainText('// my own note');
  // Reset of an unedited example asks nothing.
  await example(page, 1).reset.click();
  await expect(page.getByRole('dialog')).toHaveCount(0);
});

test('the expected output is labelled as such, apart from the live output, and says whether the run printed it', async ({ page }) => {
  await page.goto('/threads/');
  const ex = example(page, 1);
  const expected = page.locator('weft-example + figure.expected-output').first();
  await expect(expected.locator('figcaption')).toHaveText('Expected output');
  await ex.run.click();
  await finishedOutput(ex);
  await expect(expected.locator('figcaption')).toContainText('✓ your run printed this');
  // The live output carries its own name.
  await expect(ex.root.getByRole('log', { name: 'Output' })).toBeVisible();
  // An example whose threads print in any order says so.
  await expect(page.locator('figure.expected-output[data-compare="unordered"] figcaption').first()).toHaveText(
    'Expected output (the lines may come in another order)',
  );
});

test('Escape leaves the editor (Tab stays an indent inside it), as the toolbar says', async ({ page }) => {
  test.setTimeout(180_000); // Monaco's first load, on a loaded machine
  await page.goto('/threads/');
  const ex = example(page, 1);
  await ex.edit.click();
  const editor = ex.root.locator('.monaco-editor');
  await expect(editor).toBeVisible({ timeout: 60_000 });
  await expect(ex.root.locator('.weft-example__hint')).toContainText('Esc leaves the editor');
  await editor.locator('.view-lines').click();
  await page.keyboard.press('Tab');
  await expect(editor).toHaveClass(/\bfocused\b/);
  await page.keyboard.press('Escape');
  await expect(editor).not.toHaveClass(/\bfocused\b/);
  await expect(ex.root.getByRole('toolbar', { name: 'Example' }).getByRole('button').first()).toBeFocused();
});

for (const width of [1280, 1600]) {
  test(`at ${width} px the editor's keys show in full in the toolbar, and showing them does not change its height`, async ({ page }) => {
    // The hint sat beside the first row's buttons: "Ctrl+Enter runs · Esc lea…" at 1280 px, 7 px wide at 1600.
    test.setTimeout(180_000); // Monaco's first load, on a loaded machine
    await page.setViewportSize({ width, height: 900 });
    await page.goto('/threads/');
    const ex = example(page, 1);
    const toolbar = ex.root.getByRole('toolbar', { name: 'Example' });
    const hint = ex.root.locator('.weft-example__hint');
    await ex.run.click();
    await finishedOutput(ex);
    const before = await toolbar.evaluate((t) => (t as HTMLElement).offsetHeight);
    await ex.edit.click();
    await expect(ex.root.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });
    await expect(hint).toContainText('Esc leaves the editor');
    const shown = await hint.evaluate((h) => ({ cut: h.scrollWidth > h.clientWidth, width: h.clientWidth }));
    expect(shown.cut, `the hint is ${shown.width} px wide`).toBe(false);
    expect(await toolbar.evaluate((t) => (t as HTMLElement).offsetHeight)).toBe(before);
  });
}

test('the book\'s own code shows no false type errors in the editor, and `main` is not greyed out', async ({ page }) => {
  // Shared state's bank transfer passes an Arc<Mutex<number>> where a Mutex<number> is taken
  // (an Arc derefs to its value); weft's classes once had private fields that made that an error.
  await page.goto('/shared-state/');
  const root = page.locator('weft-example').filter({ hasText: 'function transfer(a: Mutex<number>' }).first();
  const ex = { ...example(page, 1), root, edit: root.getByRole('button', { name: 'Edit', exact: true }) };
  const original = (await ex.root.locator('pre code').textContent())!.replace(/\n$/, '');
  expect(original).toContain('function transfer(a: Mutex<number>');
  // A probe the editor must grey out: once it is, TypeScript has checked the whole example.
  const probed = original.replace('function main() {\n', 'function main() {\n  const probe = 1;\n');
  await replaceCode(page, ex, probed);
  const editor = ex.root.locator('.monaco-editor');
  await expect.poll(() => editor.locator('.squiggly-inline-unnecessary').allTextContents(), { timeout: 30_000 }).toEqual(['probe']);
  expect(await errorMarkerLines(ex)).toEqual([]);
});

test('a Run of code the editor marks with a type error says so above the output; code without one gets no such note', async ({ page }) => {
  // `const n: number = h.join()` of a thread returning a string printed NaN, with nothing in the output about the
  // squiggle: Rust would not compile the program, and a reader who ran it saw only the wrong answer.
  await page.goto('/threads/');
  const ex = example(page, 4);
  const wrong = 'import { spawn } from "weft/thread";\n\nfunction main() {\n  const h = spawn(() => "text");\n  const n: number = h.join();\n  console.log(n * 2);\n}';
  await replaceCode(page, ex, wrong);
  await expect.poll(() => errorMarkerLines(ex), { timeout: 30_000 }).toEqual([5]);
  await ex.run.click();
  const run = await finishedOutput(ex);
  expect(run.lines).toEqual(['NaN']);
  const note = ex.log.locator('.weft-log__types');
  await expect(note).toContainText("TypeScript marks an error in this code: line 5: Type 'string' is not assignable to type 'number'. Rust would not compile");

  await replaceCode(page, ex, wrong.replace('"text"', '21'));
  await expect.poll(() => errorMarkerLines(ex), { timeout: 30_000 }).toEqual([]);
  await ex.run.click();
  expect((await finishedOutput(ex)).lines).toEqual(['42']);
  await expect(note).toHaveCount(0);
});
