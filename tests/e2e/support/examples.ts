// Driving runnable examples as a reader does: by their buttons' names, their
// output log (role="log") and the editor on screen.

import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

export interface ExampleOnPage {
  root: Locator;
  run: Locator;
  stop: Locator;
  reset: Locator;
  edit: Locator;
  log: Locator;
}

/** The n-th runnable example of the page, 1-based, as the chapter numbers them. */
export function example(page: Page, n: number): ExampleOnPage {
  const root = page.locator('weft-example').nth(n - 1);
  return {
    root,
    run: root.getByRole('button', { name: 'Run', exact: true }),
    stop: root.getByRole('button', { name: 'Stop', exact: true }),
    reset: root.getByRole('button', { name: 'Reset', exact: true }),
    edit: root.getByRole('button', { name: 'Edit', exact: true }),
    log: root.getByRole('log'),
  };
}

/** The status line a finished run ends with ("Finished in 12 ms", "Stopped", ...). */
export function status(ex: ExampleOnPage): Locator {
  return ex.log.locator('.weft-log__status');
}

/** Waits for the run to end and returns what the program printed, one string per line. */
export async function finishedOutput(ex: ExampleOnPage): Promise<{ status: string; lines: string[]; errors: string[] }> {
  await expect(status(ex)).toHaveCount(1);
  const lines = await ex.log.locator('.weft-log__line:not(.weft-log__error) .weft-log__text').allTextContents();
  const errors = await ex.log.locator('.weft-log__error').allTextContents();
  return { status: (await status(ex).textContent()) ?? '', lines, errors };
}

/** Opens Monaco on the example (or exercise: anything with an Edit button) and replaces its code, as typing would. */
export async function replaceCode(page: Page, ex: Pick<ExampleOnPage, 'root' | 'edit'>, code: string): Promise<void> {
  // Edit opens the editor once; after that the button stays disabled.
  if (await ex.edit.isEnabled()) await ex.edit.click();
  const editor = ex.root.locator('.monaco-editor');
  await expect(editor).toBeVisible();
  await editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  // Paste, as a reader bringing code from elsewhere does: typing character by
  // character would get Monaco's auto-closed brackets and auto-indent.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press('ControlOrMeta+V');
  await expect(editor.locator('.view-lines')).toContainText(code.split('\n')[0]!.trim().replace(/\s+/g, ' ').slice(0, 20));
  await expect.poll(() => editor.locator('.view-line').count()).toBe(code.split('\n').length);
}

/**
 * Line numbers (1-based) that carry an error squiggle in the example's
 * editor: each squiggle sits in the view overlay of its line, at the same
 * vertical offset as that line's number in the margin.
 */
export async function errorMarkerLines(ex: Pick<ExampleOnPage, 'root'>): Promise<number[]> {
  return ex.root.locator('.monaco-editor').evaluate((editor) => {
    const numberAt = new Map<string, number>();
    for (const margin of editor.querySelectorAll<HTMLElement>('.margin-view-overlays > div')) {
      const text = margin.querySelector('.line-numbers')?.textContent?.trim();
      if (text) numberAt.set(margin.style.top, Number(text));
    }
    const lines = new Set<number>();
    for (const squiggle of editor.querySelectorAll<HTMLElement>('.view-overlays .squiggly-error')) {
      const line = numberAt.get(squiggle.parentElement?.style.top ?? '');
      if (line !== undefined) lines.add(line);
    }
    return [...lines].sort((a, b) => a - b);
  });
}
