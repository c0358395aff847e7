/**
 * The timeline model (model.ts) as strings a page or a file can show: the
 * SVG picture, its legend and scale, and the same events as a table.
 */
import { describeEvent, escapeHtml, formatTime, TASK_ROWS, type TimelineModel } from './model.ts';

const LANE = 34;
/** A task's row under its thread's lane. */
const TASK_ROW = 16;
const TOP = 28;
const LEFT = 110;
const RIGHT = 16;
/** Where the plot begins and ends across the SVG, for a view that zooms around a point in time. */
export const PLOT_MARGINS = { left: LEFT, right: RIGHT } as const;

/**
 * The timeline as an SVG string. Marks that stand for an event carry
 * `data-event` (the index into model.events) and `class="tl-hit"`; the
 * first has tabindex 0, the others -1 (a view moves focus with the arrow keys).
 */
export function renderTimelineSvg(model: TimelineModel, width = 900, evidence: ReadonlySet<number> = new Set()): string {
  const { laneTop, taskRow, rows, height } = layout(model);
  const plot = Math.max(100, width - LEFT - RIGHT);
  const x = (t: number) => LEFT + ((t - model.start) / (model.end - model.start)) * plot;
  const y = (thread: number) => (laneTop.get(thread) ?? TOP) + LANE / 2;
  const parts: string[] = [];
  const hit = (event: number, inner: string, label?: string) => {
    const e = model.events[event]!;
    const marked = evidence.has(event);
    return `<g class="tl-hit${marked ? ' tl-evidence' : ''}" data-event="${event}" tabindex="-1" role="button" aria-label="${escapeHtml(`${marked ? 'Evidence: ' : ''}${label ?? describeEvent(e, model.virtual)}`)}">${inner}</g>`;
  };
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="tl-svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="Threads over time">`);
  parts.push(`<defs><marker id="tl-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0 0L8 4L0 8z" class="tl-arrowhead"/></marker>`);
  parts.push(`<pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" class="tl-blocked-bg"/><line x1="0" y1="0" x2="0" y2="6" class="tl-hatch-line"/></pattern></defs>`);
  // Axis.
  parts.push(`<g class="tl-axis" aria-hidden="true">`);
  for (const { at: t, label } of model.axis) {
    parts.push(`<line x1="${x(t).toFixed(1)}" x2="${x(t).toFixed(1)}" y1="${TOP - 6}" y2="${height - 8}" class="tl-grid"/><text x="${x(t).toFixed(1)}" y="${TOP - 10}" text-anchor="middle" class="tl-tick">${escapeHtml(label)}</text>`);
  }
  parts.push(`</g>`);
  // Lanes.
  for (const l of model.lanes) {
    const cy = y(l.threadId);
    parts.push(`<text x="${LEFT - 8}" y="${cy + 4}" text-anchor="end" class="tl-lane-name">${escapeHtml(l.name)}</text>`);
    parts.push(`<rect x="${x(l.from).toFixed(1)}" y="${cy - 7}" width="${Math.max(1, x(l.to) - x(l.from)).toFixed(1)}" height="14" rx="2" class="tl-running"><title>${escapeHtml(`${l.name} running`)}</title></rect>`);
  }
  // Tasks: a row each under their thread (the first TASK_ROWS of a thread; the rest share one), a thin line for
  // the task's life, a solid span for each poll; the gaps between polls are its awaits.
  for (const r of rows) {
    parts.push(`<text x="${LEFT - 8}" y="${r.y + 4}" text-anchor="end" class="tl-task-name">${escapeHtml(r.label)}</text>`);
  }
  model.tasks.forEach((t, i) => {
    const row = taskRow[i]!;
    if (row.shared) return;
    const x1 = x(t.from);
    const w = Math.max(2, x(t.to) - x1);
    parts.push(hit(t.event, `<rect x="${x1.toFixed(1)}" y="${row.y - 1.5}" width="${w.toFixed(1)}" height="3" class="tl-task-life"/>`, t.summary));
  });
  for (const p of model.polls) {
    const row = taskRow[p.task]!;
    const x1 = x(p.from);
    const w = Math.max(2, x(p.to) - x1);
    const task = model.tasks[p.task]!;
    const e = model.events[p.event]!;
    parts.push(hit(p.event, `<rect x="${x1.toFixed(1)}" y="${row.y - 5}" width="${w.toFixed(1)}" height="10" rx="1" class="tl-poll${p.blocking ? ' tl-poll--blocking' : ''}"/>`, `${describeEvent(e, model.virtual)} (${task.summary})`));
  }
  for (const b of model.blocked) {
    const cy = y(b.thread);
    const w = Math.max(2, x(b.to) - x(b.from));
    parts.push(hit(b.event, `<rect x="${x(b.from).toFixed(1)}" y="${cy - 7}" width="${w.toFixed(1)}" height="14" class="tl-blocked${b.forever ? ' tl-blocked--forever' : ''}"/>`));
  }
  for (const h of model.holds) {
    const cy = y(h.thread);
    const w = Math.max(3, x(h.to) - x(h.from));
    parts.push(hit(h.event, `<rect x="${x(h.from).toFixed(1)}" y="${cy - 13}" width="${w.toFixed(1)}" height="5" rx="1" class="tl-hold tl-lock-${h.lock % 8}"/>`));
  }
  for (const a of model.arrows) {
    const x1 = x(a.fromTime);
    const x2 = x(a.toTime);
    const y1 = y(a.fromThread);
    const y2 = y(a.toThread);
    if (y1 === y2) {
      parts.push(hit(a.event, `<circle cx="${x2.toFixed(1)}" cy="${y2}" r="4" class="tl-mark tl-mark--${a.kind}"/>`));
      continue;
    }
    parts.push(hit(a.event, `<line x1="${x1.toFixed(1)}" y1="${y1 + (y2 > y1 ? 7 : -7)}" x2="${x2.toFixed(1)}" y2="${y2 + (y2 > y1 ? -7 : 7)}" class="tl-arrow tl-arrow--${a.kind}" marker-end="url(#tl-arrow)"/><circle cx="${x2.toFixed(1)}" cy="${y2}" r="3" class="tl-mark tl-mark--${a.kind}"/>`));
  }
  for (const m of model.marks) {
    const cx = x(m.time).toFixed(1);
    const cy = y(m.thread);
    const shape =
      m.kind === 'console'
        ? `<rect x="${(Number(cx) - 3).toFixed(1)}" y="${cy + 8}" width="6" height="6" class="tl-mark tl-mark--console"/>`
        : `<circle cx="${cx}" cy="${cy}" r="4" class="tl-mark tl-mark--${m.kind}"/>`;
    parts.push(hit(m.event, shape));
  }
  // Evidence: a ring on its thread's lane at each marked event, whether or not the event draws a shape of its own
  // (an unlock ends a hold span, which is drawn from its lock).
  for (const event of [...evidence].sort((a, b) => a - b)) {
    const e = model.events[event];
    if (e === undefined || !laneTop.has(e.threadId)) continue;
    // Across is the event's slot under a seed, its time otherwise (buildTimeline).
    const at = model.virtual ? event : e.time;
    parts.push(hit(event, `<circle cx="${x(at).toFixed(1)}" cy="${y(e.threadId)}" r="7" class="tl-evidence-ring"/>`));
  }
  parts.push(`</svg>`);
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

/** The same events as a table: time, thread, event, object, line. */
export function renderTable(model: TimelineModel, evidence: ReadonlySet<number> = new Set()): string {
  const rows = model.events.map(
    (e, i) =>
      `<tr data-event="${i}"${evidence.has(i) ? ' class="tl-evidence-row"' : ''}><td>${escapeHtml(formatTime(e.time, model.virtual))}</td><td>${escapeHtml(e.thread)}</td><td>${evidence.has(i) ? '<strong>Evidence:</strong> ' : ''}${escapeHtml(e.what)}</td><td>${escapeHtml(e.object)}</td><td>${e.line ? `<button type="button" class="tl-line" data-event="${i}">line ${e.line}</button>` : ''}</td></tr>`,
  );
  return `<table class="tl-table"><caption>Every event of the run, in time order</caption><thead><tr><th scope="col">Time</th><th scope="col">Thread</th><th scope="col">Event</th><th scope="col">Object</th><th scope="col">Line</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

