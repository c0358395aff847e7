// Every page, in both themes, passes axe-core's WCAG 2.1 A/AA rules: the
// book is read by people with screen readers, keyboards and low vision too.
// Also after a run, when the output log and the editor are on the page.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';

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
  for (const path of ['/', '/threads/', '/shared-state/']) {
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
  await expect(first.root.locator('.monaco-editor')).toBeVisible();
  // Monaco's own internals (hidden textarea, decorations) are its authors' to fix; the rest of the example is ours.
  expect(await violations(page, ['.monaco-editor'])).toEqual([]);
});
