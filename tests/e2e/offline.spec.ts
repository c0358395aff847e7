// The book after one visit, with the network gone: pages read and examples
// run from the service worker's cache. And on a host that sends no
// isolation headers, the service worker supplies them.

import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';
import { chapterOf, enterCode, exercise, finishedCheck } from './support/exercises.ts';

async function serviceWorkerInControl(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}

test('after one visit, the book reads and runs its examples offline', async ({ page, context }) => {
  test.setTimeout(180_000); // Monaco's first load, on a loaded machine
  await page.goto('/threads/');
  await serviceWorkerInControl(page);
  // Editing once loads the editor; the service worker keeps it for later.
  const first = example(page, 1);
  await first.edit.click();
  await expect(first.root.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });

  await context.setOffline(true);
  try {
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Threads');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const second = example(page, 2);
    await second.run.click();
    const run = await finishedOutput(second);
    expect(run.errors).toEqual([]);
    expect(run.status).toMatch(/^Finished in /);
    // The editor opens offline too, from the cache.
    await second.edit.click();
    await expect(second.root.locator('.monaco-editor')).toBeVisible({ timeout: 60_000 });

    // A page this tab never opened was cached on install.
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Weft');
  } finally {
    await context.setOffline(false);
  }
});

test('offline, an exercise still checks (its checks were cached on install) and the progress page still reads', async ({ page, context }) => {
  test.setTimeout(180_000);
  const ex = exercise(page, 'join-results');
  await page.goto(chapterOf(ex.info));
  await serviceWorkerInControl(page);
  // Opening the editor once, online, lets the service worker keep it.
  await ex.edit.click();
  await expect(ex.editor).toBeVisible({ timeout: 60_000 });

  await context.setOffline(true);
  try {
    await page.reload();
    await enterCode(page, ex, ex.info.solution);
    await ex.check.click();
    expect(await finishedCheck(ex)).toBe(`All ${ex.info.checks.length} checks passed. Solved!`);
    await page.goto('/progress/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Your progress');
    await expect(page.getByRole('row').filter({ hasText: ex.info.title }).getByRole('cell').first()).toContainText('Solved');
  } finally {
    await context.setOffline(false);
  }
});

const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
};

/** A static host that cannot set headers: dist/ as files, nothing else. */
function plainStaticHost(): Promise<{ server: Server; origin: string }> {
  const server = createServer((request, response) => {
    let path = join(dist, decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'index.html');
    if (!path.startsWith(dist) || !existsSync(path)) {
      response.writeHead(404).end('not found');
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
    createReadStream(path).pipe(response);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (address === null || typeof address === 'string') throw new Error('no port');
      resolve({ server, origin: `http://127.0.0.1:${address.port}` });
    }),
  );
}

test('on a host without isolation headers, the service worker isolates the book and examples run', async ({ page }) => {
  const { server, origin } = await plainStaticHost();
  try {
    const response = await page.goto(`${origin}/threads/`);
    expect(response?.headers()['cross-origin-opener-policy']).toBeUndefined();
    // The page reloads itself once the worker controls it.
    await expect.poll(() => page.evaluate(() => self.crossOriginIsolated).catch(() => false)).toBe(true);
    const first = example(page, 1);
    await first.run.click();
    const run = await finishedOutput(first);
    expect(run.lines).toEqual(['Hello from a thread!']);
  } finally {
    server.close();
  }
});

test('after one visit that never opened the editor, an exercise is edited and solved offline (the editor was saved in the background)', async ({ page, context }) => {
  test.setTimeout(240_000);
  const ex = exercise(page, 'join-results');
  await page.goto(chapterOf(ex.info));
  await serviceWorkerInControl(page);
  // The service worker saves the editor once the page is idle: wait until Monaco's bundle is in its cache.
  await expect
    .poll(
      () =>
        page.evaluate(async () => {
          for (const key of await caches.keys()) {
            const cache = await caches.open(key);
            const urls = (await cache.keys()).map((request) => request.url);
            if (urls.some((url) => /\/_astro\/monaco-editor[.-]/.test(url)) && urls.some((url) => /\/_astro\/ts\.worker[.-]/.test(url))) return true;
          }
          return false;
        }),
      { timeout: 120_000 },
    )
    .toBe(true);

  await context.setOffline(true);
  try {
    await page.reload();
    await enterCode(page, ex, ex.info.solution);
    await ex.check.click();
    expect(await finishedCheck(ex)).toBe(`All ${ex.info.checks.length} checks passed. Solved!`);
  } finally {
    await context.setOffline(false);
  }
});

test.describe('without the full editor', () => {
  // The service worker would fetch the editor itself (it caches it in the background), and a page's routes
  // do not see a service worker's requests: with it blocked, the page's own request is the one that fails.
  test.use({ serviceWorkers: 'block' });

  test('when the full editor cannot load, a plain editor takes its place and the reader is told why', async ({ page }) => {
    await page.route(/\/_astro\/monaco-editor[.-]/, (route) => route.abort('internetdisconnected'));
    await page.goto('/threads/');
    const first = example(page, 1);
    await first.edit.click();
    await expect(first.root.getByRole('textbox')).toBeVisible();
    await expect(first.root.locator('.monaco-editor')).toHaveCount(0);
    await expect(first.log).toContainText('The full editor could not load');
    // It edits and runs like the real one.
    const textbox = first.root.getByRole('textbox');
    await textbox.fill('function main() {\n  console.log("plain but working");\n}\n');
    await first.run.click();
    const run = await finishedOutput(first);
    expect(run.lines).toEqual(['plain but working']);
  });
});
