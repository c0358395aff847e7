// Runs a reader program in the page through the book's own runner chunk
// (browser-host, which chapter pages load on demand), against the built
// site: nothing test-only ships, the page imports the built chunk by its
// file name. Returns what a reader would see, and the trace when asked for.
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, type Page } from '@playwright/test';

const assets = fileURLToPath(new URL('../../../dist/_astro/', import.meta.url));

export interface PageRun {
  status: string;
  message: string;
  /** Output lines, without their thread label. */
  lines: string[];
  /** The same lines with their thread's name: "[main] Result: 10". */
  labelled: string[];
  errors: { message: string; line?: number; thread?: string }[];
  trace?: { kind: string; thread: string; line?: number }[];
}

export async function runInPage(page: Page, source: string, options: Record<string, unknown> = {}): Promise<PageRun> {
  const chunk = readdirSync(assets).find((file) => /^browser-host\..*\.js$/.test(file));
  expect(chunk, 'the built site has the runner chunk').toBeDefined();
  return page.evaluate(
    async ({ url, source, options }) => {
      const host = await import(url);
      const lines: string[] = [];
      const labelled: string[] = [];
      const errors: { message: string; line?: number; thread?: string }[] = [];
      const handle = host.startRun(source, { timeoutMs: 30_000, ...options }, (event: any) => {
        if (event.kind === 'output') {
          lines.push(event.text);
          labelled.push(`[${event.thread}] ${event.text}`);
        }
        if (event.kind === 'error') errors.push({ message: event.error.message, line: event.error.location?.line, thread: event.error.thread });
      });
      const outcome = await handle.done;
      const trace = outcome.trace?.events.map((e: any) => ({ kind: e.kind, thread: e.thread, line: e.line }));
      return { status: outcome.status, message: outcome.message, lines, labelled, errors, ...(trace ? { trace } : {}) };
    },
    { url: `/_astro/${chunk}`, source, options },
  );
}
