/** The timeline's and wait-for graph's styles, on the site's theme variables: the page adds them once, the CLI's file inlines them. */
export const TIMELINE_CSS = `
.tl-svg, .wf-svg { display: block; max-width: none; font: 11px var(--font-body, system-ui, sans-serif); color: var(--color-text); }
.tl-scroll { overflow-x: auto; border: 1px solid var(--color-border); border-radius: 6px; background: var(--color-bg); }
.tl-tick, .tl-lane-name, .wf-label, .wf-edge-label { fill: var(--color-text); }
.tl-tick { fill: var(--color-text-muted); }
.tl-lane-name { font-weight: 600; }
.tl-grid { stroke: var(--color-border); stroke-width: 1; }
.tl-running { fill: var(--color-accent-bg); stroke: var(--color-accent); stroke-width: 0.5; }
.tl-blocked { fill: url(#tl-hatch); stroke: var(--color-text-muted); stroke-width: 0.5; }
.tl-blocked-bg { fill: var(--color-bg-sunken); }
.tl-hatch-line { stroke: var(--color-text-muted); stroke-width: 1.5; }
.tl-blocked--forever { stroke: var(--color-error); stroke-width: 1.5; }
.tl-hold { stroke: none; }
.tl-lock-0 { fill: var(--thread-3); } .tl-lock-1 { fill: var(--thread-1); } .tl-lock-2 { fill: var(--thread-2); } .tl-lock-3 { fill: var(--thread-5); }
.tl-lock-4 { fill: var(--thread-4); } .tl-lock-5 { fill: var(--thread-6); } .tl-lock-6 { fill: var(--thread-7); } .tl-lock-7 { fill: var(--thread-0); }
.tl-arrow { stroke: var(--color-text-muted); stroke-width: 1.2; }
.tl-arrow--message { stroke: var(--color-accent); }
.tl-arrowhead { fill: var(--color-text-muted); }
.tl-mark { fill: var(--color-bg); stroke: var(--color-text); stroke-width: 1.2; }
.tl-mark--console { fill: var(--color-text); }
.tl-mark--warning { fill: var(--color-warn); }
.tl-hit, .wf-hit { cursor: pointer; outline: none; }
.wf-hit-area { stroke: transparent; stroke-width: 16; pointer-events: stroke; }
.tl-names-bg { fill: var(--color-bg); }
.tl-task-name { fill: var(--color-text-muted); font-size: 10px; }
.tl-task-life { fill: var(--color-border); }
.tl-poll { fill: var(--color-accent); stroke: none; }
.tl-poll--blocking { fill: var(--color-warn); stroke: var(--color-error); stroke-width: 1; }
.wf-hit:hover .wf-edge, .wf-hit:focus .wf-edge { stroke: var(--color-focus); stroke-width: 3.5; }
.wf-hit:hover .wf-edge-label, .wf-hit:focus .wf-edge-label { text-decoration: underline; }
.wf-hit:focus-visible .wf-edge-label { fill: var(--color-focus); font-weight: 600; }
.tl-evidence > * { stroke: var(--color-error, #b3261e); stroke-width: 2.5; }
.tl-evidence-ring { fill: none; }
.tl-evidence-row td { background: color-mix(in srgb, var(--color-error, #b3261e) 12%, transparent); }
.tl-evidence-note { margin: 0.25rem 0 0.5rem; font-size: 0.9rem; }
.tl-hit:hover > *, .tl-hit:focus > *, .tl-hit.tl-current > * { stroke: var(--color-focus); stroke-width: 2.5; }
.tl-legend { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; list-style: none; padding: 0; margin: 0.5rem 0; font-size: 0.85rem; }
.tl-legend li { display: flex; align-items: center; gap: 0.35rem; }
.tl-scale { font-size: 0.85rem; color: var(--color-text-muted); margin: 0.25rem 0; }
.tl-detail { min-height: 1.5em; font-size: 0.9rem; font-family: var(--font-mono, monospace); margin: 0.25rem 0; }
.tl-table { border-collapse: collapse; font-size: 0.85rem; width: 100%; }
.tl-table caption { text-align: left; font-weight: 600; padding: 0.25rem 0; }
.tl-table th, .tl-table td { border-bottom: 1px solid var(--color-border); padding: 0.15rem 0.5rem; text-align: left; }
.tl-table-wrap { max-height: 24rem; overflow: auto; }
.tl-line { font: inherit; color: var(--color-accent); background: none; border: none; padding: 0; text-decoration: underline; cursor: pointer; }
.tl-tools { display: flex; gap: 0.5rem; margin: 0.25rem 0 0.5rem; font-size: 0.8125rem; }
.tl-zoom { display: inline-flex; align-items: center; gap: 0.35rem; }
.tl-zoom-level { color: var(--color-text-muted); min-width: 6em; }
.tl-scroll { cursor: grab; }
.tl-scroll--dragging { cursor: grabbing; user-select: none; }
.tl-tools button[aria-pressed='true'] { border-color: var(--color-accent); background: var(--color-accent-bg); }
.weft-timeline, .weft-waitfor { margin: 0; padding: 0.6rem 0.9rem; border-top: 1px solid var(--color-border); }
.weft-timeline figcaption, .weft-waitfor figcaption { font-weight: 600; font-size: 0.9rem; }
.weft-outcomes { padding: 0.6rem 0.9rem; border-top: 1px solid var(--color-border); font-size: 0.9rem; }
.weft-outcomes__list { list-style: none; padding: 0; margin: 0.4rem 0 0; display: grid; gap: 0.35rem; }
.weft-outcomes__choice { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 0.25rem 1rem; width: 100%; text-align: left; font: inherit; color: var(--color-text); background: var(--color-bg); border: 1px solid var(--color-border); border-radius: 0.35rem; padding: 0.35rem 0.6rem; cursor: pointer; }
.weft-outcomes__choice:hover, .weft-outcomes__choice[aria-current] { border-color: var(--color-accent); background: var(--color-accent-bg); }
.weft-outcomes__text { font-family: var(--font-mono, monospace); white-space: pre-wrap; }
.weft-outcomes__count { color: var(--color-text-muted); }
.wf-thread { fill: var(--color-accent-bg); stroke: var(--color-accent); stroke-width: 1.5; }
.wf-thread--cycle { fill: var(--color-error-bg); stroke: var(--color-error); stroke-width: 2.5; }
.wf-object { fill: var(--color-bg-raised); stroke: var(--color-border); stroke-width: 1.5; }
.wf-edge { stroke: var(--color-text-muted); stroke-width: 1.5; }
.wf-edge--cycle { stroke: var(--color-error); stroke-width: 2.5; }
.wf-label { font-weight: 600; }
.wf-edge-label { font-size: 10px; paint-order: stroke; stroke: var(--color-bg); stroke-width: 3px; }
`;
