// `npm run dev` is where authors write chapters: its pages must be
// cross-origin isolated too (ARCHITECTURE.md, constraint 2), or every
// example breaks while they write it.

import { fileURLToPath } from 'node:url';
import { dev } from 'astro';
import { test, expect } from './support/fixtures.ts';
import { example, finishedOutput } from './support/examples.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('the dev server isolates its pages and runs an example', async ({ page }) => {
  test.slow(); // the dev server compiles modules on first request
  const server = await dev({ root, logLevel: 'error', server: { host: '127.0.0.1', port: 0 } });
  try {
    const origin = `http://${server.address.address}:${server.address.port}`;
    const response = await page.goto(`${origin}/threads/`);
    expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    const first = example(page, 1);
    await first.run.click();
    // On first request the dev server compiles the worker and the compiler it loads: on a loaded machine that alone takes tens of seconds.
    await expect(first.log.locator('.weft-log__status')).toHaveCount(1, { timeout: 90_000 });
    const run = await finishedOutput(first);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['Hello from a thread!']);
  } finally {
    await server.stop();
  }
});
