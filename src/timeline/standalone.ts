/**
 * The views' styles, and the CLI's `--timeline` file: one standalone HTML
 * page with the timeline, its legend and table, and the wait-for graph.
 */
import { buildTimeline, cutAtDeadlock, escapeHtml, type TimelineInput } from './model.ts';
import { renderLegend, renderScale, renderTable, renderTimelineSvg } from './svg.ts';
import { TIMELINE_CSS } from './styles.ts';
import { deadlockGraph, describeWaitFor, renderWaitForSvg, type DeadlockEntry } from './wait-for.ts';

/** The theme variables the views use, for a page outside the book (the CLI's file). */
const STANDALONE_THEME = `
:root { color-scheme: light dark; --font-body: system-ui, sans-serif; --font-mono: ui-monospace, monospace;
  --color-bg: light-dark(#ffffff, #16181d); --color-bg-raised: light-dark(#f6f8fa, #1d2027); --color-bg-sunken: light-dark(#eef1f4, #111318);
  --color-text: light-dark(#1f2328, #e6e8eb); --color-text-muted: light-dark(#57606a, #a2a9b4); --color-border: light-dark(#d0d7de, #343a44);
  --color-accent: light-dark(#0a58b8, #86b9ff); --color-accent-bg: light-dark(#e7f0fb, #1e2c44); --color-error: light-dark(#b3261e, #ff9b91);
  --color-error-bg: light-dark(#fdecea, #3a1d1b); --color-warn: light-dark(#8a5300, #f2c46b); --color-focus: light-dark(#0a58b8, #86b9ff);
  --thread-0: light-dark(#0a58b8, #86b9ff); --thread-1: light-dark(#8250df, #c7a6ff); --thread-2: light-dark(#1a7f37, #6fdd8b); --thread-3: light-dark(#a0420d, #ffab70);
  --thread-4: light-dark(#0f7391, #6fd3ef); --thread-5: light-dark(#bf3989, #ff9bd1); --thread-6: light-dark(#6b6a00, #dcd66a); --thread-7: light-dark(#4e5bd6, #a3acff); }
body { font-family: var(--font-body); background: var(--color-bg); color: var(--color-text); margin: 1.5rem; }
`;

/** One standalone HTML file: the timeline, its legend and table, and the wait-for graph when the run deadlocked. */
export function standaloneHtml(input: TimelineInput & { title: string; ending: string; deadlocked?: DeadlockEntry[] }): string {
  const events = input.deadlocked ? cutAtDeadlock(input.events, input.deadlocked) : input.events;
  const model = buildTimeline({ ...input, events });
  const graph = input.deadlocked ? deadlockGraph(input.events, input.deadlocked) : undefined;
  const wait =
    graph && graph.edges.length
      ? `<figure aria-labelledby="wf-caption"><figcaption id="wf-caption">Wait-for graph: ${escapeHtml(describeWaitFor(graph))}</figcaption>${renderWaitForSvg(graph)}</figure>`
      : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(`Timeline of ${input.title}`)}</title>
<style>${STANDALONE_THEME}${TIMELINE_CSS}</style></head>
<body><main>
<h1>${escapeHtml(`Timeline of ${input.title}`)}</h1>
<p>${escapeHtml(input.ending)}</p>
<figure aria-labelledby="tl-caption"><figcaption id="tl-caption">Timeline: one lane per thread, time across</figcaption>
<div class="tl-scroll">${renderTimelineSvg(model, Math.max(900, Math.min(4000, model.events.length * 12)))}</div>
${renderScale(model)}${renderLegend(model)}</figure>
${wait}
<details><summary>Show as table</summary><div class="tl-table-wrap">${renderTable(model)}</div></details>
</main></body></html>
`;
}
