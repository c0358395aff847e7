// End-to-end tests: a real Chromium against the built book.
// Run with `npm run test:e2e` (= astro build && playwright test). Each worker
// serves dist/ itself on a free port: see tests/e2e/support/fixtures.ts.

import { availableParallelism } from 'node:os';
import { defineConfig, devices } from '@playwright/test';
import { findChromium } from './tests/e2e/support/browser.ts';

const chromium = (() => {
  try {
    return findChromium();
  } catch (error) {
    // A setup problem, not a bug: say what to do, without a stack trace.
    console.error(`\n${(error as Error).message}\n`);
    process.exit(1);
  }
})();
const ci = Boolean(process.env.CI);

export default defineConfig({
  testDir: 'tests/e2e',
  // Every test drives a browser that itself runs several Web Workers; more than
  // one Playwright worker per two cores makes timings (and timeouts) noisy.
  workers: Math.max(1, Math.min(2, Math.floor(availableParallelism() / 2))),
  fullyParallel: false,
  forbidOnly: ci,
  // One retry on CI so a noisy machine does not fail the build; a test that
  // passes only on retry is still reported as "flaky" in the summary.
  retries: ci ? 1 : 0,
  // Generous: a cold worker pool, Monaco and a slow shared CI machine.
  timeout: 60_000,
  expect: { timeout: 15_000 },
  reporter: 'list',
  outputDir: 'test-results',
  use: {
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        launchOptions: { executablePath: chromium.executablePath, args: chromium.args },
      },
    },
  ],
});
