/**
 * The timeline model (model.ts) as strings a page or a file can show: the
 * SVG picture, its legend and scale, and the same events as a table.
 */
import { axisFor, describeEvent, escapeHtml, formatTime, TASK_ROWS, type TimelineModel } from './model.ts';

const LANE = 34;
/** A task's row under its thread's lane. */
const TASK_ROW = 16;
const TOP = 28;
const LEFT = 110;
const RIGHT = 16;
/** Where the plot begins and ends across the SVG, for a view that zooms around a point in time. */
export const PLOT_MARGINS = { left: LEFT, right: RIGHT } as const;

/** Which part of the picture to draw, in px across the SVG (a view draws what is in sight and a little more). */
export interface DrawRange {
  from: number;
  to: number;
  /** An event drawn on its own whatever is near it (the one that has focus). */
  keep?: number;
}

/**
 * One thing drawn for an event: spans (x1 < x2) and points. Shapes of the
 * same kind on the same row that would overlap on screen are drawn as one
 * (a 100,000-event run is not 100,000 shapes), whose name says how many it
 * stands for; zooming in tells them apart.
 */
interface Shape {
  key: string;
  x1: number;
  x2: number;
  event: number;
  /** Its name, when not its event's description (made only for what is drawn). */
  label?: () => string;
  span: boolean;
  /** Where it reaches across, when wider than x1..x2 (an arrow from its start to its end): it is drawn when any of that is in range. */
  reach?: [number, number];
  draw: (x1: number, x2: number) => string;
}

/**
 * The timeline as an SVG string. Marks that stand for an event carry
 * `data-event` (the index into model.events) and `class="tl-hit"`; the
 * first has tabindex 0, the others -1 (a view moves focus with the arrow keys).
 * With `range`, only what lies in it is drawn (the SVG keeps its full width).
 */
export function renderTimelineSvg(model: TimelineModel, width = 900, evidence: ReadonlySet<number> = new Set(), range?: DrawRange): string {
  const { laneTop, taskRow, rows, height } = layout(model);
  const plot = Math.max(100, width - LEFT - RIGHT);
  const scale = plot / (model.end - model.start);
  const x = (t: number) => LEFT + (t - model.start) * scale;
  const y = (thread: number) => (laneTop.get(thread) ?? TOP) + LANE / 2;
  const parts: string[] = [];
  const hit = (event: number, inner: string, label?: string) => {
    const e = model.events[event]!;
    const marked = evidence.has(event);
    return `<g class="tl-hit${marked ? ' tl-evidence' : ''}" data-event="${event}" tabindex="-1" role="button" aria-label="${escapeHtml(`${marked ? 'Evidence: ' : ''}${label ?? describeEvent(e, model.virtual)}`)}">${inner}</g>`;
  };
  const from = range?.from ?? -Infinity;
  const to = range?.to ?? Infinity;
  /** Draws one layer of shapes: each row's in order across, overlapping ones as one, those out of range not at all. */
  const outside = (a: number, b: number) => Math.max(a, b) < from || Math.min(a, b) > to;
  const layer = (shapes: Array<Shape | undefined>) => {
    const byKey = new Map<string, Shape[]>();
    for (const shape of shapes) {
      if (shape === undefined) continue;
      const [left, right] = shape.reach ?? [shape.x1, shape.x2];
      if (right < from || left > to) continue;
      const list = byKey.get(shape.key);
      if (list) list.push(shape);
      else byKey.set(shape.key, [shape]);
    }
    for (const list of byKey.values()) {
      list.sort((a, b) => a.x1 - b.x1);
      let open: Shape | undefined;
      let x2 = 0;
      let count = 0;
      const flush = () => {
        if (!open) return;
        const more = count > 1 ? `; and ${count - 1} more here: zoom in to tell them apart` : '';
        const label = open.label ? open.label() : describeEvent(model.events[open.event]!, model.virtual);
        parts.push(hit(open.event, open.draw(open.x1, open.span ? x2 : open.x1), `${label}${more}`));
      };
      for (const shape of list) {
        // Spans that touch, or points closer than a mark is wide, are one shape on screen. An evidence mark stays its own.
        const alone = (event: number) => evidence.has(event) || event === range?.keep;
        if (open && !alone(shape.event) && !alone(open.event) && shape.x1 <= x2 + (shape.span ? 1 : 3)) {
          x2 = Math.max(x2, shape.x2);
          count++;
          continue;
        }
        flush();
        open = shape;
        x2 = shape.x2;
        count = 1;
      }
      flush();
    }
  };
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="tl-svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="Threads over time">`);
  parts.push(`<defs><marker id="tl-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" class="tl-arrowhead"/></marker>`);
  parts.push(`<pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="tl-blocked-bg"/><line x1="0" y1="0" x2="0" y2="6" class="tl-hatch-line"/></pattern></defs>`);
  // Axis: ticks about every 120 px over the part drawn, so a zoomed-in view has its own.
  const fromPx = Math.max(LEFT, range?.from ?? LEFT);
  const toPx = Math.min(LEFT + plot, range?.to ?? LEFT + plot);
  const atPx = (px: number) => model.start + (px - LEFT) / scale;
  const ticks = toPx > fromPx ? axisFor(model, atPx(fromPx), atPx(toPx), Math.max(2, Math.round((toPx - fromPx) / 120))) : [];
  parts.push(`<g class="tl-axis" aria-hidden="true">`);
  for (const { at: t, label } of ticks) {
    // A label centred on a tick at the plot's left edge would start under the lane names ('step 0' read 'ep 0'):
    // one that close to the edge starts at its tick instead.
    const atEdge = x(t) < LEFT + 24;
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${TOP - 6}" y2="${height - 8}" class="tl-grid"/><text x="${x(t).toFixed(1)}" y="${TOP - 10}" text-anchor="${atEdge ? 'start' : 'middle'}" class="tl-tick">${escapeHtml(label)}</text>`);
  }
  parts.push(`</g>`);
  // Lanes.
  for (const l of model.lanes) {
    const cy = y(l.threadId);
    parts.push(`<rect x="${x(l.from).toFixed(1)}" y="${cy - 7}" width="${Math.max(1, x(l.to) - x(l.from)).toFixed(1)}" height="14" rx="2" class="tl-running"><title>${escapeHtml(`${l.name} running`)}</title></rect>`);
  }
  // Tasks: a row each under their thread (the first TASK_ROWS of a thread; the rest share one), a thin line for
  // the task's life, a solid span for each poll; the gaps between polls are its awaits.
  const span = (key: string, x1: number, x2: number, minWidth: number, event: number, draw: (x1: number, w: number) => string, label?: () => string): Shape => ({
    key,
    x1,
    x2: Math.max(x2, x1 + minWidth),
    event,
    span: true,
    draw: (a, b) => draw(a, Math.max(minWidth, b - a)),
    ...(label !== undefined ? { label } : {}),
  });
  const point = (key: string, at: number, event: number, draw: (at: number) => string): Shape => ({ key, x1: at, x2: at, event, span: false, draw: (a) => draw(a) });
  layer(
    model.tasks.flatMap((t, i) => {
      const row = taskRow[i]!;
      if (row.shared) return [];
      return [span(`life:${i}`, x(t.from), x(t.to), 2, t.event, (x1, w) => `<rect x="${x1.toFixed(1)}" y="${row.y - 1.5}" width="${w.toFixed(1)}" height="3" class="tl-task-life"/>`, () => t.summary)];
    }),
  );
  layer(
    model.polls.map((p) => {
      if (outside(x(p.from), x(p.to) + 2)) return undefined;
      const row = taskRow[p.task]!;
      const cls = `tl-poll${p.blocking ? ' tl-poll--blocking' : ''}`;
      const label = () => `${describeEvent(model.events[p.event]!, model.virtual)} (${model.tasks[p.task]!.summary})`;
      return span(`poll:${row.y}:${p.blocking}`, x(p.from), x(p.to), 2, p.event, (x1, w) => `<rect x="${x1.toFixed(1)}" y="${row.y - 5}" width="${w.toFixed(1)}" height="10" rx="1" class="${cls}"/>`, label);
    }),
  );
  layer(
    model.blocked.map((b) => {
      if (outside(x(b.from), x(b.to) + 2)) return undefined;
      const cy = y(b.thread);
      const cls = `tl-blocked${b.forever ? ' tl-blocked--forever' : ''}`;
      return span(`blocked:${cy}:${b.forever}`, x(b.from), x(b.to), 2, b.event, (x1, w) => `<rect x="${x1.toFixed(1)}" y="${cy - 7}" width="${w.toFixed(1)}" height="14" class="${cls}"/>`);
    }),
  );
  layer(
    model.holds.map((h) => {
      if (outside(x(h.from), x(h.to) + 3)) return undefined;
      const cy = y(h.thread);
      return span(`hold:${cy}:${h.lock}`, x(h.from), x(h.to), 3, h.event, (x1, w) => `<rect x="${x1.toFixed(1)}" y="${cy - 13}" width="${w.toFixed(1)}" height="5" rx="1" class="tl-hold tl-lock-${h.lock % 8}"/>`);
    }),
  );
  layer(
    model.arrows.map((a) => {
      const x1 = x(a.fromTime);
      const x2 = x(a.toTime);
      if (outside(x1, x2)) return undefined;
      const y1 = y(a.fromThread);
      const y2 = y(a.toThread);
      if (y1 === y2) return point(`arrow:${a.kind}:${y2}`, x2, a.event, (at) => `<circle cx="${at.toFixed(1)}" cy="${y2}" r="4" class="tl-mark tl-mark--${a.kind}"/>`);
      const down = y2 > y1;
      // Arrows between the same two lanes that end within a few px of each other are drawn once.
      const shape = point(`arrow:${a.kind}:${y1}:${y2}`, x2, a.event, () =>
        `<line x1="${x1.toFixed(1)}" y1="${y1 + (down ? 7 : -7)}" x2="${x2.toFixed(1)}" y2="${y2 + (down ? -7 : 7)}" class="tl-arrow tl-arrow--${a.kind}" marker-end="url(#tl-arrow)"/><circle cx="${x2.toFixed(1)}" cy="${y2}" r="3" class="tl-mark tl-mark--${a.kind}"/>`,
      );
      // In range when any of it is.
      return { ...shape, reach: [Math.min(x1, x2), Math.max(x1, x2)] as [number, number] };
    }),
  );
  layer(
    model.marks.map((m) => {
      if (outside(x(m.time) - 3, x(m.time) + 3)) return undefined;
      const cy = y(m.thread);
      return point(`mark:${m.kind}:${cy}`, x(m.time), m.event, (at) =>
        m.kind === 'console'
          ? `<rect x="${(at - 3).toFixed(1)}" y="${cy + 8}" width="6" height="6" class="tl-mark tl-mark--console"/>`
          : `<circle cx="${at.toFixed(1)}" cy="${cy}" r="4" class="tl-mark tl-mark--${m.kind}"/>`,
      );
    }),
  );
  // Evidence: a ring on its thread's lane at each marked event, whether or not the event draws a shape of its own
  // (an unlock ends a hold span, which is drawn from its lock).
  for (const event of [...evidence].sort((a, b) => a - b)) {
    const e = model.events[event];
    if (e === undefined || !laneTop.has(e.threadId)) continue;
    // Across is the event's slot under a seed, its time otherwise (buildTimeline).
    const at = model.virtual ? event : e.time;
    parts.push(hit(event, `<circle cx="${x(at).toFixed(1)}" cy="${y(e.threadId)}" r="7" class="tl-evidence-ring"/>`));
  }
  // The names of the lanes and task rows, last so they are on top: a view that scrolls keeps them in sight by moving
  // this group with its scroll (timeline-view.ts), over a background that hides what passes under it.
  parts.push(`<g class="tl-names"><rect x="0" y="0" width="${LEFT - 6}" height="${height}" class="tl-names-bg"/>`);
  for (const l of model.lanes) parts.push(`<text x="${LEFT - 8}" y="${y(l.threadId) + 4}" text-anchor="end" class="tl-lane-name">${escapeHtml(l.name)}</text>`);
  for (const r of rows) parts.push(`<text x="${LEFT - 8}" y="${r.y + 4}" text-anchor="end" class="tl-task-name">${escapeHtml(r.label)}</text>`);
  parts.push(`</g></svg>`);
  // The first focusable mark in document order is the one Tab reaches.
  return parts.join('').replace('tabindex="-1"', 'tabindex="0"');
}

/**
 * Where each row goes: a thread's lane, then its tasks' rows (the first
 * TASK_ROWS spawned on it, then one row the rest share).
 */
function layout(model: TimelineModel): {
  laneTop: Map<number, number>;
  taskRow: Array<{ y: number; shared: boolean }>;
  rows: Array<{ y: number; label: string }>;
  height: number;
} {
  const byThread = new Map<number, number[]>();
  model.tasks.forEach((t, i) => {
    const list = byThread.get(t.thread) ?? [];
    list.push(i);
    byThread.set(t.thread, list);
  });
  const laneTop = new Map<number, number>();
  const taskRow: Array<{ y: number; shared: boolean }> = [];
  const rows: Array<{ y: number; label: string }> = [];
  let top = TOP;
  for (const l of model.lanes) {
    laneTop.set(l.threadId, top);
    top += LANE;
    const list = byThread.get(l.threadId) ?? [];
    list.forEach((task, k) => {
      if (k <= TASK_ROWS - 1 || list.length === TASK_ROWS + 1) {
        const y = top + TASK_ROW / 2;
        taskRow[task] = { y, shared: false };
        rows.push({ y, label: model.tasks[task]!.name });
        top += TASK_ROW;
      } else {
        if (k === TASK_ROWS) {
          rows.push({ y: top + TASK_ROW / 2, label: `${list.length - TASK_ROWS} more tasks` });
          top += TASK_ROW;
        }
        taskRow[task] = { y: top - TASK_ROW / 2, shared: true };
      }
    });
    if (list.length > 0) top += 6;
  }
  return { laneTop, taskRow, rows, height: top + 8 };
}

/** The legend: what each colour and shape means. */
export function renderLegend(model: TimelineModel): string {
  const swatch = (cls: string, label: string) => `<li><svg width="18" height="10" aria-hidden="true"><rect width="18" height="10" class="${cls}"/></svg>${escapeHtml(label)}</li>`;
  const items = [swatch('tl-running', 'running'), swatch('tl-blocked', 'blocked'), ...model.locks.map((name, i) => swatch(`tl-hold tl-lock-${i % 8}`, `holds ${name}`))];
  if (model.tasks.length > 0) items.push(swatch('tl-task-life', 'task alive (the gaps between its polls are its awaits)'));
  if (model.polls.length > 0) items.push(swatch('tl-poll', 'a task’s poll'));
  if (model.polls.some((p) => p.blocking)) items.push(swatch('tl-poll tl-poll--blocking', 'a poll that made a blocking call'));
  items.push(swatch('tl-mark tl-mark--console', 'console line'));
  items.push(`<li><svg width="18" height="10" aria-hidden="true"><line x1="0" y1="5" x2="18" y2="5" class="tl-arrow tl-arrow--message"/></svg>message, spawn, join</li>`);
  return `<ul class="tl-legend" aria-label="Legend">${items.join('')}</ul>`;
}

/** The scale under the picture: what one unit of time across is. */
export function renderScale(model: TimelineModel): string {
  const first = model.events[0]?.time ?? 0;
  const last = model.events[model.events.length - 1]?.time ?? 0;
  const clock = model.virtual
    ? `virtual time: the seeded scheduler’s steps, from ${escapeHtml(formatTime(first, true))} to ${escapeHtml(formatTime(last, true))}, each event in its own slot in the order it happened`
    : `real time since the run started, from ${escapeHtml(formatTime(model.start, false))} to ${escapeHtml(formatTime(model.end, false))}`;
  const dropped = model.dropped > 0 ? ` The trace was full: ${model.dropped} later events are not shown.` : '';
  const tasks = model.tasks.length > 0 ? `, ${model.tasks.length} task${model.tasks.length === 1 ? '' : 's'}` : '';
  return `<p class="tl-scale">Time across, ${clock}; ${model.lanes.length} thread${model.lanes.length === 1 ? '' : 's'}${tasks}, ${model.events.length} events.${dropped}</p>`;
}

/** The same events as a table: time, thread, event, object, line; with `page`, only those rows (or only the rows, to add to a table shown). */
export function renderTable(model: TimelineModel, evidence: ReadonlySet<number> = new Set(), page?: { from: number; count: number; rowsOnly?: boolean }): string {
  const from = page?.from ?? 0;
  const rows = model.events.slice(from, page ? from + page.count : undefined).map((e, k) => {
    const i = from + k;
    return `<tr data-event="${i}"${evidence.has(i) ? ' class="tl-evidence-row"' : ''}><td>${escapeHtml(formatTime(e.time, model.virtual))}</td><td>${escapeHtml(e.thread)}</td><td>${evidence.has(i) ? '<strong>Evidence:</strong> ' : ''}${escapeHtml(e.what)}</td><td>${escapeHtml(e.object)}</td><td>${e.line ? `<button type="button" class="tl-line" data-event="${i}">line ${e.line}</button>` : ''}</td></tr>`;
  });
  if (page?.rowsOnly) return rows.join('');
  return `<table class="tl-table"><caption>Every event of the run, in time order</caption><thead><tr><th scope="col">Time</th><th scope="col">Thread</th><th scope="col">Event</th><th scope="col">Object</th><th scope="col">Line</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

