// `npm run weft -- run F --timeline out.html`: the run's timeline (and, for a
// deadlock, its wait-for graph) as one standalone HTML file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

const FIXTURES = join(import.meta.dirname, '../../fixtures/timeline');

const weft = (args: string[]) => runCli(args, { timeout: 120_000 });

describe('weft run --timeline', () => {
  it('writes a deadlock as a timeline and a wait-for graph naming both threads and both lines', { timeout: 120_000 }, () => {
    const dir = tempDir('weft-timeline-');
    const out = join(dir, 'lock-order.html');
    const result = weft(['run', join(FIXTURES, 'lock-order.ts'), '--seed', '1', '--timeline', out]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`wrote the timeline to ${out}`);
    const html = readFileSync(out, 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<figcaption id="tl-caption">Timeline');
    expect(html).toContain(
      'Wait-for graph: thread 2 waits at line 13 for lock A, held by main (locked at line 16); main waits at line 19 for lock B, held by thread 2 (locked at line 11).',
    );
    // Offline: nothing is fetched from anywhere.
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(https?:/);
  });

  it('draws a finished run with each thread as a lane and its console line', { timeout: 120_000 }, () => {
    const dir = tempDir('weft-timeline-');
    const out = join(dir, 'lost.html');
    const result = weft(['run', join(FIXTURES, 'lost-update.ts'), '--seed', '2', '--timeline', out]);
    expect(result.code).toBe(0);
    const html = readFileSync(out, 'utf8');
    for (const lane of ['main', 'thread 2', 'thread 3']) expect(html).toContain(`class="tl-lane-name">${lane}</text>`);
    expect(html).toContain(`main printed “${result.stdout.trim()}”, line 26`);
    expect(html).not.toContain('Wait-for graph');
  });

  it('refuses a file name that is not .html', () => {
    const result = weft(['run', join(FIXTURES, 'lost-update.ts'), '--timeline', 'out.txt']);
    expect(result.code).toBe(64);
    expect(result.stderr).toContain("--timeline writes an HTML file");
  });
});
