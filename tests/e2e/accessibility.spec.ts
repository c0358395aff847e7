// Every page, in both themes, passes axe-core's WCAG 2.1 A/AA rules: the
// book is read by people with screen readers, keyboards and low vision too.
// Also after a run, when the output log and the editor are on the page.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';
import { chapterOf, enterCode, exercise, finishedCheck } from './support/exercises.ts';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  help: string;
  nodes: Array<{ target: string[]; any?: Array<{ message: string }> }>;
}

async function violations(page: Page, exclude: string[] = []): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const found = await page.evaluate(async (excluded) => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(
      { exclude: excluded.map((selector) => [selector]) },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    );
    return result.violations;
  }, exclude);
  // The first few offending elements of each rule, with axe's reason (e.g. the measured contrast).
  return found.map((v) => `${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => `${n.target.join(' ')}: ${n.any?.[0]?.message ?? ''}`).join('; ')})`);
}

for (const scheme of ['light', 'dark'] as const) {
  for (const path of ['/', '/threads/', '/shared-state/', '/progress/']) {
    test(`${path} has no WCAG A/AA violations in the ${scheme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      expect(await violations(page)).toEqual([]);
    });
  }
}

test('a chapter after a run (editor and output log open) has no WCAG A/AA violations', async ({ page }) => {
  await page.goto('/threads/');
  const first = example(page, 1);
  await first.run.click();
  await finishedOutput(first);
  await first.edit.click();
  await expect(first.root.locator('.monaco-editor')).toBeVisible();
  // Monaco's own internals (hidden textarea, decorations) are its authors' to fix; the rest of the example is ours.
  expect(await violations(page, ['.monaco-editor'])).toEqual([]);
});

for (const scheme of ['light', 'dark'] as const) {
  test(`a chapter with an exercise checked, replayed, hinted and its solution shown has no WCAG A/AA violations in the ${scheme} theme`, async ({ page }) => {
    test.setTimeout(180_000);
    await page.emulateMedia({ colorScheme: scheme });
    const ex = exercise(page, 'shared-counter');
    const wrong = ex.info.wrong.find((w) => w.name === 'read-then-write')!;
    await page.goto(chapterOf(ex.info));
    await enterCode(page, ex, wrong.source);
    await ex.check.click();
    await finishedCheck(ex);
    await ex.results.getByRole('button', { name: /^Replay seed / }).first().click();
    await expect(ex.root.getByRole('log').locator('.weft-log__status')).toHaveCount(1);
    await ex.hint.click();
    await ex.solution.click();
    await page.getByRole('dialog').getByRole('button', { name: 'Show the solution' }).click();
    await expect(ex.root.getByRole('region', { name: 'Reference solution' })).toBeVisible();
    expect(await violations(page, ['.monaco-editor'])).toEqual([]);
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`inside the editor (Monaco, with the book's code in it) there are no WCAG A/AA violations in the ${scheme} theme`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('/threads/');
    const first = example(page, 1);
    await first.edit.click();
    const editor = first.root.locator('.monaco-editor');
    await expect(editor).toBeVisible({ timeout: 60_000 });
    // The editor settled: its fonts, its tokens and its line numbers drawn.
    await page.waitForFunction(() => document.fonts.status === 'loaded');
    await expect(editor.locator('.line-numbers').first()).toBeVisible();
    expect(await violations(page)).toEqual([]);
  });
}

test('the confirmation dialog before the solution has no WCAG A/AA violations, and Escape cancels it', async ({ page }) => {
  await page.goto('/threads/');
  const ex = exercise(page, 'join-results');
  await ex.solution.focus();
  await page.keyboard.press('Enter');
  const dialog = page.getByRole('dialog', { name: 'See the reference solution?' });
  await expect(dialog).toBeVisible();
  // The safe answer has the focus.
  await expect(dialog.getByRole('button', { name: 'Keep trying' })).toBeFocused();
  expect(await violations(page, ['.monaco-editor'])).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(ex.solution).toBeFocused();
  await expect(ex.root.getByRole('region', { name: 'Reference solution' })).toBeHidden();
});
