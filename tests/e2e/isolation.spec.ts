// The book's threads need SharedArrayBuffer, which the browser only gives a
// cross-origin isolated page (ARCHITECTURE.md, constraint 2). If the preview
// server loses its COOP/COEP headers every runnable example breaks, so this
// is checked first and on its own.

import { test, expect } from './support/fixtures.ts';

test('the built book is cross-origin isolated and loads without errors', async ({ page, pageErrors }) => {
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toMatch(/^(require-corp|credentialless)$/);

  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  expect(await page.evaluate(() => typeof SharedArrayBuffer)).toBe('function');

  await page.waitForLoadState('load');
  expect(pageErrors).toEqual([]);
});
