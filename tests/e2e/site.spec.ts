// What a reader of the Rust Book expects of the site around the chapters:
// search (also offline), a link on every heading, the section being read
// marked in "On this page", ← and → between chapters, Copy on code blocks,
// a print stylesheet and a whole-book page, a 404 page (also offline), a
// footer, and a front page whose first screen has "Start reading" and a
// runnable example.

import { readdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';

async function serviceWorkerInControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

const searchDialog = (page: Page) => page.getByRole('dialog', { name: 'Search the book' });
const results = (page: Page) => searchDialog(page).getByRole('list', { name: 'Search results' });

test('"/" opens search; a word from another chapter finds its section, and the result leads there', async ({ page, pageErrors }) => {
  await page.goto('/threads/');
  await page.keyboard.press('/');
  await expect(searchDialog(page)).toBeVisible();
  await expect(searchDialog(page).getByRole('searchbox', { name: 'Search the book' })).toBeFocused();
  await page.keyboard.type('parIter');
  const hit = results(page).getByRole('listitem').filter({ hasText: 'Data parallelism' }).first();
  await expect(hit).toBeVisible();
  // The result names a section of the chapter, with the matched word marked.
  const section = hit.getByRole('link').nth(1);
  await expect(section).toHaveAttribute('href', /\/parallelism\/#.+/);
  await expect(hit.locator('mark').first()).toHaveText(/pariter/i);
  await section.click();
  await expect(page).toHaveURL(/\/parallelism\/#/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Data parallelism');
  // Escape closes it again; "s" opens it too.
  await page.keyboard.press('s');
  await expect(searchDialog(page)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(searchDialog(page)).toBeHidden();
  expect(pageErrors).toEqual([]);
});

test('search says so when nothing matches, and typing into the page\'s editor does not open it', async ({ page }) => {
  await page.goto('/shared-state/');
  await page.getByRole('button', { name: 'Search' }).click();
  // A word in no script the book uses: Pagefind answers a Latin word it lacks with its longest indexed prefix
  // (one-letter names in code, such as z in the Mandelbrot exercise), so nonsense in Latin letters still matches.
  await page.keyboard.type('ζψωζψω');
  await expect(searchDialog(page).getByRole('status')).toHaveText(/Nothing in the book matches “ζψωζψω”/);
  await page.keyboard.press('Escape');
  // A "/" typed into a field belongs to the field.
  const example = page.locator('weft-example').first();
  await example.getByRole('button', { name: 'Edit' }).click();
  const editor = example.locator('.monaco-editor');
  await expect(editor).toBeVisible();
  await editor.locator('.view-lines').click();
  await page.keyboard.type('/');
  await expect(editor.locator('.view-lines')).toContainText('/');
  await expect(searchDialog(page)).toBeHidden();
});

test('after one visit, search works offline', async ({ page, context }) => {
  await page.goto('/threads/');
  await serviceWorkerInControl(page);
  await context.setOffline(true);
  try {
    await page.reload();
    await page.keyboard.press('/');
    await page.keyboard.type('spawnBlocking');
    await expect(results(page).getByRole('listitem').filter({ hasText: 'Async tasks' }).first()).toBeVisible();
  } finally {
    await context.setOffline(false);
  }
});

test('every section heading links to itself, and "On this page" marks the section being read', async ({ page }) => {
  await page.goto('/channels/');
  const headings = page.locator('main article').getByRole('heading', { level: 2 });
  const count = await headings.count();
  expect(count).toBeGreaterThan(2);
  for (let i = 0; i < count; i++) {
    const heading = headings.nth(i);
    const id = await heading.getAttribute('id');
    await expect(heading.getByRole('link')).toHaveAttribute('href', `#${id}`);
  }
  const toc = page.getByRole('navigation', { name: 'On this page' }).last();
  const third = headings.nth(2);
  const thirdId = await third.getAttribute('id');
  await third.scrollIntoViewIfNeeded();
  await page.evaluate((id) => document.getElementById(id!)!.scrollIntoView({ block: 'start' }), thirdId);
  await expect(toc.locator(`a[href="#${thirdId}"]`)).toHaveAttribute('aria-current', 'true');
  await expect(toc.locator('a[aria-current="true"]')).toHaveCount(1);
});

test('← and → go to the previous and next chapter, but not while typing', async ({ page }) => {
  /** The page's script has run (headings became links): its keys work. */
  const ready = () => expect(page.locator('main article .heading-link').first()).toBeAttached();
  await page.goto('/shared-state/');
  await ready();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/\/atomics\/$|\/channels\/$/);
  await ready();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/\/shared-state\/$/);
  await ready();
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/\/threads\/$/);
  await ready();
  // An arrow key typed into the example's editor moves the caret, not the reader.
  const example = page.locator('weft-example').first();
  await example.getByRole('button', { name: 'Edit' }).click();
  const editor = example.locator('.monaco-editor');
  await expect(editor).toBeVisible();
  await editor.locator('.view-lines').click();
  const navigated = page.waitForEvent('framenavigated', { timeout: 3_000 }).then(() => true, () => false);
  await page.keyboard.press('ArrowRight');
  expect(await navigated).toBe(false);
  await expect(page).toHaveURL(/\/threads\/$/);
  // The first chapter has no previous one to go to.
  await expect(page.locator('.pager a[rel="prev"]')).toHaveCount(0);
});

test('Copy puts a code block\'s code on the clipboard, Rust blocks and runnable examples alike', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/threads/');
  const rustBlock = page.locator('main article .code-block').filter({ has: page.locator('pre[data-language="rust"]') }).first();
  await rustBlock.hover();
  const copyRust = rustBlock.getByRole('button', { name: 'Copy the Rust code' });
  await copyRust.click();
  await expect(copyRust).toContainText('Copied');
  const rust = await page.evaluate(() => navigator.clipboard.readText());
  expect(rust).toContain('fn main()');
  expect(rust).toBe((await rustBlock.locator('pre code').textContent())!.replace(/\n$/, ''));

  const example = page.locator('weft-example').first();
  await example.getByRole('button', { name: /Copy the example/ }).click();
  const ts = await page.evaluate(() => navigator.clipboard.readText());
  expect(ts).toContain('function main()');
  expect(ts).toContain('from "weft/thread"');
});

test('printing shows the text and the code only, with code wrapped', async ({ page }) => {
  await page.goto('/threads/');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('header.site-header')).toBeHidden();
  await expect(page.getByRole('navigation', { name: 'Chapters' })).toBeHidden();
  await expect(page.locator('.weft-example__toolbar').first()).toBeHidden();
  await expect(page.locator('theme-select')).toBeHidden();
  await expect(page.locator('.pager')).toBeHidden();
  await expect(page.locator('main article pre').first()).toHaveCSS('white-space', 'pre-wrap');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
});

test('the whole book on one page holds every chapter in order, each starting a printed page', async ({ page }) => {
  await page.goto('/threads/');
  const chapterTitles = await page.getByRole('navigation', { name: 'Chapters' }).locator('.sidebar__title').evaluateAll((nodes) =>
    nodes.map((node) => node.firstChild?.textContent?.trim() ?? ''),
  );
  await page.getByRole('link', { name: 'The whole book on one page' }).first().click();
  await expect(page.getByRole('heading', { level: 1 }).first()).toHaveText('Weft: the whole book');
  const sections = page.locator('section.book-chapter');
  await expect(sections).toHaveCount(chapterTitles.length);
  expect(await sections.locator('> h1').allTextContents()).toEqual(chapterTitles);
  await page.emulateMedia({ media: 'print' });
  await expect(sections.nth(1)).toHaveCSS('break-before', 'page');
});

test('an unknown address gets the book\'s 404 page, online and offline', async ({ page, context }) => {
  const response = await page.goto('/no-such-chapter/');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not in the book');
  await expect(page.getByRole('link', { name: 'Threads' }).first()).toBeVisible();

  await page.goto('/threads/');
  await serviceWorkerInControl(page);
  await context.setOffline(true);
  try {
    await page.goto('/another-missing-page/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('This page is not in the book');
  } finally {
    await context.setOffline(false);
  }
});

test('the footer gives the version, "Edit this page" for the chapter\'s file, and "Report a problem"', async ({ page }) => {
  const pkg = (await import('../../package.json', { with: { type: 'json' } })).default as { version: string; repository: { url: string } };
  await page.goto('/channels/');
  const footer = page.getByRole('contentinfo');
  await expect(footer).toContainText(`version ${pkg.version}`);
  await expect(footer.getByRole('link', { name: 'Edit this page' })).toHaveAttribute('href', `${pkg.repository.url}/edit/main/content/04-channels.mdx`);
  const report = await footer.getByRole('link', { name: 'Report a problem' }).getAttribute('href');
  expect(report).toMatch(new RegExp(`^${pkg.repository.url}/issues/new\\?`));
  expect(decodeURIComponent(report!)).toContain('/channels/');
});

for (const viewport of [{ width: 1280, height: 720 }, { width: 390, height: 844 }]) {
  test(`the front page's first screen (${viewport.width}×${viewport.height}) has "Start reading" and a runnable example that runs`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await page.goto('/');
    const start = page.getByRole('link', { name: /^Start reading/ });
    await expect(start).toBeInViewport();
    const example = page.locator('weft-example').first();
    const run = example.getByRole('button', { name: 'Run', exact: true });
    await expect(run).toBeEnabled();
    await expect(run).toBeInViewport();
    await run.click();
    const output = example.getByRole('log', { name: 'Output' });
    await expect(output).toContainText('channel closed', { timeout: 30_000 });
    await expect(output).toContainText('hello from thread 1');
    await expect(output).toContainText('hello from thread 3');
    await expect(start).toHaveAttribute('href', /\/threads\/$/);
  });
}

test('on a 320 px phone nothing scrolls sideways: the header, an example\'s toolbar on one row, and the progress page', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 700 });
  for (const path of ['/threads/', '/progress/']) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, path).toBeLessThanOrEqual(0);
  }
  await page.goto('/threads/');
  const toolbar = page.locator('weft-example').first().getByRole('toolbar', { name: 'Example' });
  const buttons = toolbar.getByRole('button');
  const tops = await buttons.evaluateAll((nodes) => nodes.filter((n) => (n as HTMLElement).offsetParent !== null).map((n) => Math.round(n.getBoundingClientRect().top)));
  expect(new Set(tops).size, `button tops: ${tops.join(', ')}`).toBe(1);
  await expect(page.getByRole('button', { name: 'Search' })).toBeVisible();
});

test('no chapter scrolls sideways on a phone, at any common width', async ({ page }) => {
  // A heading link's hidden '#' hung 1.1em past a heading whose last line reached the edge: 1 to 8 px of sideways
  // scroll on six chapters, each at some width of 320, 360, 390 or 414 px.
  const chapters = readdirSync('content').filter((f) => f.endsWith('.mdx')).map((f) => `/${f.replace(/^\d+-/, '').replace(/\.mdx$/, '')}/`);
  const overflowing: string[] = [];
  for (const width of [320, 360, 390, 414]) {
    await page.setViewportSize({ width, height: 800 });
    for (const path of ['/', ...chapters]) {
      await page.goto(path);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      if (overflow > 0) overflowing.push(`${path} at ${width} px: ${overflow} px`);
    }
  }
  expect(overflowing).toEqual([]);
});

test('the progress page has the chapters sidebar, as chapter pages do, with itself marked as the current page', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/progress/');
  const sidebar = page.getByRole('navigation', { name: 'Chapters' });
  await expect(sidebar.getByRole('link', { name: /^Threads/ })).toBeVisible();
  await expect(sidebar.getByRole('listitem')).toHaveCount((await page.locator('.progress-chapter').count()));
  await expect(sidebar.getByRole('link', { name: 'Your progress' })).toHaveAttribute('aria-current', 'page');
  // Beside the page, not above it.
  const [nav, main] = [await sidebar.boundingBox(), await page.locator('main').boundingBox()];
  expect(nav!.x + nav!.width).toBeLessThanOrEqual(main!.x + 1);
});
