// The `test` every end-to-end spec imports instead of Playwright's.
//
// Tests run against the *built* book (`npm run test:e2e` builds it first):
// each Playwright worker serves dist/ with `astro preview` on a free port, so
// the server, its cross-origin isolation headers and its 404 page are the
// ones readers get from `npm start`. `baseURL` points at that server, so a
// spec writes `page.goto('/01-threads/')`.
//
// `pageErrors` collects console errors and uncaught exceptions of `page`;
// a spec that wants a clean page asserts `expect(pageErrors).toEqual([])`.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { preview } from 'astro';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = fileURLToPath(new URL('../../../dist/', import.meta.url));

export interface Site {
  /** Origin of the preview server, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Absolute URL of a path on the site. */
  url(pathname?: string): string;
}

interface WorkerFixtures {
  site: Site;
}

interface TestFixtures {
  pageErrors: string[];
}

export const test = base.extend<TestFixtures, WorkerFixtures>({
  site: [
    async ({}, use) => {
      if (!existsSync(dist)) {
        throw new Error('dist/ does not exist: build the book first (`npm run test:e2e` runs `astro build && playwright test`).');
      }
      // Port 0: the OS picks a free port, so parallel workers and a reader's
      // own `npm start` on 4321 never collide. 127.0.0.1 rather than
      // "localhost", which may resolve to ::1 only.
      const server = await preview({
        root,
        logLevel: 'error',
        server: { host: '127.0.0.1', port: 0 },
      });
      const origin = `http://127.0.0.1:${server.port}`;
      try {
        await use({ origin, url: (pathname = '/') => new URL(pathname, origin).href });
      } finally {
        await server.stop();
      }
    },
    { scope: 'worker', timeout: 60_000 },
  ],

  baseURL: async ({ site }, use) => {
    await use(site.origin);
  },

  pageErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
    await use(errors);
  },
});

export { expect };
