/**
 * The timeline's drawing cost in Chromium (issue 12): a run of 1,000, 10,000
 * and 100,000 trace events (eight threads locking, messaging, blocking and
 * polling tasks) drawn by the page's own timeline view, as the Timeline
 * button draws it. The figure is made in one task (the model: every event
 * named, spans paired) and drawn in the next (the SVG of what is in sight),
 * so a reader's page pauses twice; the longer pause is the figure to watch.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

export const TIMELINE_BEGIN = '<!-- timeline-render:begin -->';
export const TIMELINE_END = '<!-- timeline-render:end -->';
export const TIMELINE_SIZES = [1_000, 10_000, 100_000];
const TRIALS = 3;
/** The targets: 10,000 events without freezing the page (no pause over 200 ms), 100,000 with at most a second's pause. */
export const TIMELINE_TARGETS: Record<number, number> = { 10_000: 200, 100_000: 1000 };

export interface TimelineRender {
  events: number;
  /** Per trial, ms: making the figure (the model), drawing it, and the longer of the two. */
  model: number[];
  draw: number[];
  shapes: number;
}

const assets = fileURLToPath(new URL('../../dist/_astro/', import.meta.url));

export async function measureTimelineRender(page: Page, log: (line: string) => void): Promise<TimelineRender[]> {
  const chunk = readdirSync(assets).find((file) => file.startsWith('timeline-view.') && file.endsWith('.js'));
  if (chunk === undefined) throw new Error('dist/_astro has no timeline-view chunk');
  const results: TimelineRender[] = [];
  for (const n of TIMELINE_SIZES) {
    log(`  chromium: timeline of ${n} events`);
    results.push(
      await page.evaluate(
        async ({ chunk, n, trials }) => {
          const view = await import(chunk);
          // A synthetic trace in the runner's shape: eight threads taking three locks, sending on a channel, blocking, and polling tasks.
          const events: unknown[] = [];
          let seq = 0;
          let time = 10;
          for (let t = 2; t <= 9; t++) events.push({ seq: seq++, kind: 'spawn', thread: 'main', threadId: 1, object: t, time: time++, line: 3 });
          while (events.length < n) {
            const t = 2 + (events.length % 8);
            const thread = `thread ${t}`;
            const k = events.length % 6;
            if (k < 2) events.push({ seq: seq++, kind: k === 0 ? 'lock' : 'unlock', thread, threadId: t, object: 400 + (t % 3) * 8, time: time++, line: 7 + k });
            else if (k < 4) events.push({ seq: seq++, kind: k === 2 ? 'send' : 'recv', thread, threadId: t, object: 900, time: time++, line: 12 });
            else if (k === 4) events.push({ seq: seq++, kind: 'task-poll', thread, threadId: t, object: (events.length % 20) + 1, time: time++, line: 15, poll: { fromSeq: seq - 3, from: time - 3 } });
            else events.push({ seq: seq++, kind: 'block', thread, threadId: t, object: 400, time: time++, line: 8, waitKind: 'mutex' }, { seq: seq++, kind: 'wake', thread, threadId: t, object: 400, time: time++, line: 8 });
          }
          const model: number[] = [];
          const draw: number[] = [];
          let shapes = 0;
          for (let trial = 0; trial < trials; trial++) {
            performance.clearMeasures();
            const t0 = performance.now();
            const figure = view.timelineFigure({ events, dropped: 0, console: [] }, () => {});
            document.body.append(figure);
            model.push(performance.now() - t0);
            await new Promise((resolve) => setTimeout(resolve, 50));
            while (performance.getEntriesByName('weft-timeline-draw').length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
            draw.push(performance.getEntriesByName('weft-timeline-draw')[0]!.duration);
            shapes = figure.querySelectorAll('.tl-hit').length;
            figure.remove();
          }
          return { events: events.length, model, draw, shapes };
        },
        { chunk: `/_astro/${chunk}`, n, trials: TRIALS },
      ),
    );
  }
  return results;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

export function timelineSection(results: TimelineRender[], machine: string): string {
  const lines = [TIMELINE_BEGIN, '## Timeline drawing (Chromium, the page\'s timeline view)', '', machine, ''];
  lines.push(
    `A synthetic run (eight threads locking, messaging, blocking and polling tasks) drawn as the Timeline button draws it, median of ${TRIALS}. ` +
      'The figure is made in one task (the model) and drawn in the next (the SVG of what is in sight and half a view either side), so the page pauses twice; the longer pause counts. ' +
      'Targets: 10,000 events without freezing the page (every pause ≤ 200 ms), 100,000 with at most a second\'s pause.',
    '',
    '| events | model | drawing | longest pause | target | shapes drawn |',
    '|---|---|---|---|---|---|',
  );
  for (const r of results) {
    const longest = Math.max(median(r.model), median(r.draw));
    const target = TIMELINE_TARGETS[r.events];
    const verdict = target === undefined ? '—' : `≤ ${target} ms: ${longest <= target ? 'met' : '**missed**'}`;
    lines.push(`| ${r.events.toLocaleString('en')} | ${median(r.model).toFixed(0)} ms | ${median(r.draw).toFixed(0)} ms | ${longest.toFixed(0)} ms | ${verdict} | ${r.shapes.toLocaleString('en')} |`);
  }
  lines.push(TIMELINE_END, '');
  return lines.join('\n');
}
