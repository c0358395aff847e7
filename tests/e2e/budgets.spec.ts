// Size budgets a reader feels on a slow connection, measured as gzip bytes of
// the JavaScript the page fetches: a chapter before any interaction, and the
// extra a first Run of an unedited example costs (the runner, its workers,
// the compile step, weft: never the editor).

import { gzipSync } from 'node:zlib';
import type { Page, Request } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';

const KB = 1024;
/** A chapter page's JavaScript before the reader does anything. */
const CHAPTER_JS_BUDGET = 30 * KB;
/**
 * What the first Run of an unedited example adds. 250 kB since 2026-12-04; 256 kB for one session (the 2nd of
 * 2026-12-06 went 0.3 kB over), back to 250 since the workers keep only their classes' names (astro.config.mjs),
 * 8.9 kB less.
 */
const FIRST_RUN_BUDGET = 250 * KB;

/** Collects every JavaScript response (page and workers), with its gzip size, from now on. */
function collectScripts(page: Page): { urls: Map<string, number>; total(): number } {
  const urls = new Map<string, number>();
  const onFinished = async (request: Request) => {
    const url = request.url();
    if (!/\.m?js(\?|$)/.test(new URL(url).pathname) && request.resourceType() !== 'script') return;
    const response = await request.response();
    if (!response || urls.has(url)) return;
    const body = await response.body().catch(() => undefined);
    if (body) urls.set(url, gzipSync(body).length);
  };
  page.on('requestfinished', (request) => void onFinished(request));
  return { urls, total: () => [...urls.values()].reduce((a, b) => a + b, 0) };
}

const describe = (urls: Map<string, number>) =>
  [...urls].map(([url, bytes]) => `${(bytes / KB).toFixed(1)} kB ${new URL(url).pathname}`).join('\n');

test('a chapter page ships at most 30 kB of JavaScript (gzip) before interaction, and a first Run at most 250 kB more', async ({ page }) => {
  test.setTimeout(120_000);
  // The budget is for a reader's first visit: no service worker yet, nothing cached.
  const scripts = collectScripts(page);
  await page.goto('/threads/');
  await page.waitForLoadState('networkidle');
  const before = scripts.total();
  expect(before, describe(scripts.urls)).toBeLessThanOrEqual(CHAPTER_JS_BUDGET);
  const loaded = new Set(scripts.urls.keys());

  const ex = example(page, 1);
  await ex.run.click();
  await finishedOutput(ex);
  await page.waitForLoadState('networkidle');
  const added = new Map([...scripts.urls].filter(([url]) => !loaded.has(url)));
  const extra = [...added.values()].reduce((a, b) => a + b, 0);
  expect(extra, describe(added)).toBeLessThanOrEqual(FIRST_RUN_BUDGET);
  expect([...added.keys()].filter((url) => /monaco|editor\.worker|ts\.worker/.test(url))).toEqual([]);
});
