/**
 * The tests run programs on the run worker bundled into one file
 * (src/runner/node-worker-bundle.ts, built by tests/unit/global-setup.ts);
 * the CLI's `run` loads it from the sources. Both must be the same runner: a
 * program that spawns, locks, panics and prints runs the same on each.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeSupervisor, useWorkerEntry, workerEntry } from '../../../src/runner/node-host.ts';
import { bundledWorkerFromEnv } from '../../../src/runner/node-worker-bundle.ts';
import type { RunEvent } from '../../../src/runner/events.ts';

const source = `import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

function main() {
  const total = new Arc(new Mutex(0));
  const handles = [];
  for (let i = 1; i <= 3; i++) {
    const t = total.clone();
    handles.push(spawn(() => {
      using g = t.lock();
      g.value += i;
    }));
  }
  for (const h of handles) h.join();
  console.log("total", total.lock().value);
  spawn(() => { throw new Error("boom " + 7); }).join();
}
`;

async function runOn(entry: URL | undefined) {
  useWorkerEntry(entry);
  const supervisor = createNodeSupervisor(2);
  try {
    const events: RunEvent[] = [];
    const outcome = await supervisor.startRun(source, { timeoutMs: 15_000 }, (e) => events.push(e)).done;
    const lines = events.flatMap((e) => (e.kind === 'output' ? [e.text] : []));
    const errors = events.flatMap((e) => (e.kind === 'error' ? [`${e.error.thread}: ${e.error.message} @${e.error.location?.line}`] : []));
    return { status: outcome.status, lines, errors };
  } finally {
    supervisor.dispose();
  }
}

describe('the bundled run worker', () => {
  const bundle = bundledWorkerFromEnv();
  afterAll(() => useWorkerEntry(bundle));

  it('is what this test run uses', () => {
    expect(bundle?.href).toMatch(/\.mjs$/);
    expect(workerEntry().href).toBe(bundle?.href);
  });

  it('runs a program exactly as the source entry does', { timeout: 60_000 }, async () => {
    const fromSources = await runOn(undefined);
    const fromBundle = await runOn(bundle);
    expect(fromSources.lines).toEqual(['total 6']);
    expect(fromSources.status).toBe('panic');
    expect(fromSources.errors.join('\n')).toMatch(/boom 7 @16/);
    expect(fromBundle).toEqual(fromSources);
  });
});
