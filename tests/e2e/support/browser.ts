// Which Chromium the end-to-end tests drive, and how it is launched.
//
// Order: $WEFT_CHROMIUM (or $CHROME_PATH), then a system Chromium or Chrome
// on PATH, then Playwright's own download. If there is none, try
// `playwright install chromium` once (works on a reader's machine with
// network access), else stop with a message saying how to get one.
//
// playwright.config.ts is loaded by the runner and again by every worker
// process, so the first load records its answer in WEFT_CHROMIUM_RESOLVED;
// workers inherit the environment and reuse it instead of searching (and
// maybe installing) again.

import { execFileSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from '@playwright/test';

export interface ChromiumChoice {
  /** Binary to launch; undefined lets Playwright pick its own browser. */
  executablePath: string | undefined;
  /** Where it came from, for the log line and error messages. */
  source: string;
  /** Extra command-line flags (Playwright adds --headless itself). */
  args: string[];
}

/** Names of a system Chromium or Chrome, in the order we prefer them. */
const SYSTEM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/**
 * Flags for a distribution's Chromium. --no-sandbox: CI runs as root, where
 * Chromium's sandbox refuses to start. The other two keep a test run from
 * fetching anything in the background (components, safe-browsing lists), so
 * it behaves the same offline and does not add network noise to timings.
 */
const SYSTEM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update'];

const RESOLVED_ENV = 'WEFT_CHROMIUM_RESOLVED';

const HOW_TO_INSTALL = [
  'No Chromium found for the end-to-end tests. Any one of these fixes it:',
  '  - Debian/Ubuntu:   sudo apt-get install chromium   (Ubuntu: chromium-browser)',
  '  - any system:      npx playwright install chromium',
  '  - already have Chrome/Chromium somewhere: export WEFT_CHROMIUM=/path/to/chrome',
].join('\n');

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Like `command -v name`: the first executable `name` on PATH. */
export function findOnPath(name: string, searchPath = process.env.PATH ?? ''): string | undefined {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of searchPath.split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = path.join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}

function fromEnvironment(): ChromiumChoice | undefined {
  for (const variable of ['WEFT_CHROMIUM', 'CHROME_PATH']) {
    const value = process.env[variable];
    if (!value) continue;
    // A bare name ("chromium") is looked up on PATH, a path must exist.
    const file = value.includes('/') || value.includes('\\') ? value : findOnPath(value);
    if (!file || !isExecutableFile(file)) {
      throw new Error(`$${variable} is set to "${value}", which is not an executable file.\n\n${HOW_TO_INSTALL}`);
    }
    return { executablePath: file, source: `$${variable}`, args: SYSTEM_ARGS };
  }
  return undefined;
}

function fromSystem(): ChromiumChoice | undefined {
  for (const name of SYSTEM_NAMES) {
    const file = findOnPath(name);
    if (file) return { executablePath: file, source: `${name} on PATH`, args: SYSTEM_ARGS };
  }
  return undefined;
}

function fromPlaywright(): ChromiumChoice | undefined {
  let file: string;
  try {
    file = chromium.executablePath();
  } catch {
    return undefined;
  }
  if (!isExecutableFile(file)) return undefined;
  // Named explicitly so Playwright uses this full Chromium (new headless mode)
  // and never goes looking for a separate headless-shell download.
  return { executablePath: file, source: "Playwright's chromium", args: SYSTEM_ARGS };
}

function installWithPlaywright(): boolean {
  const require = createRequire(import.meta.url);
  const cli = require.resolve('@playwright/test/cli');
  console.log('[weft e2e] No Chromium found; trying `playwright install chromium` once...');
  try {
    execFileSync(process.execPath, [cli, 'install', 'chromium'], {
      stdio: ['ignore', 'inherit', 'inherit'],
      // A blocked network can make the download hang instead of fail.
      timeout: 10 * 60_000,
    });
    return true;
  } catch (error) {
    console.log(`[weft e2e] playwright install chromium failed: ${(error as Error).message.split('\n')[0]}`);
    return false;
  }
}

/** Finds a Chromium for the tests, or throws an error saying how to get one. */
export function findChromium(): ChromiumChoice {
  const remembered = process.env[RESOLVED_ENV];
  if (remembered) return JSON.parse(remembered) as ChromiumChoice;

  const choice =
    fromEnvironment() ??
    fromSystem() ??
    fromPlaywright() ??
    (installWithPlaywright() ? fromPlaywright() : undefined);
  if (!choice) throw new Error(HOW_TO_INSTALL);

  process.env[RESOLVED_ENV] = JSON.stringify(choice);
  console.log(`[weft e2e] Chromium: ${choice.executablePath} (${choice.source})`);
  return choice;
}
