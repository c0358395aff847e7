// Driving an exercise as a reader does: by its buttons' names, its
// results (role="status"), its panels' headings and the editor on screen.

import type { Locator, Page } from '@playwright/test';
import { getExercise, type ExerciseInfo } from '../../../src/exercises/catalog.ts';
import { expect } from './fixtures.ts';

export interface ExerciseOnPage {
  info: ExerciseInfo;
  root: Locator;
  check: Locator;
  run: Locator;
  stop: Locator;
  edit: Locator;
  hint: Locator;
  solution: Locator;
  reset: Locator;
  results: Locator;
  editor: Locator;
  badge: Locator;
}

/** The exercise with this id on the page, with its files from the exercises folder (the catalog, as the build reads them). */
export function exercise(page: Page, id: string): ExerciseOnPage {
  const info = getExercise(id);
  const root = page.getByRole('region', { name: info.title, exact: true });
  const button = (name: string) => root.getByRole('toolbar').getByRole('button', { name, exact: true });
  return {
    info,
    root,
    check: button('Check'),
    run: button('Run'),
    stop: button('Stop'),
    edit: button('Edit'),
    hint: button('Hint'),
    solution: button('Solution'),
    reset: button('Reset'),
    results: root.getByRole('status'),
    editor: root.locator('.monaco-editor'),
    badge: root.locator('[data-progress-badge]'),
  };
}

/** The page's chapter URL for an exercise. */
export function chapterOf(info: ExerciseInfo): string {
  return `/${info.chapter}/`;
}

/** Replaces the code in the exercise's editor by pasting, as a reader bringing code from elsewhere would. */
export async function enterCode(page: Page, ex: ExerciseOnPage, code: string): Promise<void> {
  if (await ex.edit.isEnabled()) await ex.edit.click();
  // Monaco's first load (its TypeScript worker included) can take long on a loaded machine.
  await expect(ex.editor).toBeVisible({ timeout: 60_000 });
  await ex.editor.locator('.view-lines').click();
  await page.keyboard.press('ControlOrMeta+A');
  // Emptied first: the code pasted may begin as the code it replaces (an exercise's solution and its starter
  // share their imports), and seeing that first line would not tell that the paste took.
  await page.keyboard.press('Delete');
  await expect(ex.editor.locator('.view-lines')).toHaveText(/^\s*$/);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.evaluate((text) => navigator.clipboard.writeText(text), code);
  await page.keyboard.press('ControlOrMeta+V');
  // A long paste leaves the editor scrolled to its end: back to the top, where the first line must now be. The paste
  // reads the clipboard asynchronously, so a Ctrl+Home that lands before it is undone by the paste's scroll (seen once
  // under load: the view stayed at the end): pressed again until the first line shows.
  await expect(async () => {
    await page.keyboard.press('ControlOrMeta+Home');
    await expect(ex.editor.locator('.view-lines')).toContainText(visible(code.split('\n')[0]!), { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
}

/** A line as Monaco shows it (spaces as no-break spaces, collapsed by toContainText). */
export function visible(line: string): string {
  return line.trim().replace(/\s+/g, ' ').slice(0, 40);
}

/** Each check's line in the results, as the reader reads it ("Passed Four threads do the counting"). */
export function checkItems(ex: ExerciseOnPage): Locator {
  return ex.results.getByRole('listitem');
}

/** Waits for a Check to end and returns the summary line. */
export async function finishedCheck(ex: ExerciseOnPage): Promise<string> {
  await expect(ex.results).toHaveAttribute('aria-busy', 'false', { timeout: 120_000 });
  return (await ex.results.locator('.weft-results__summary').textContent()) ?? '';
}
