/**
 * The timeline of a run and the wait-for graph of a deadlock, as strings:
 * a pure function from a run's trace (runtime/trace.ts, RunOutcome.trace)
 * to SVG and HTML, with no DOM, so the page (timeline-view.ts) and the CLI
 * (`npm run weft -- run F --timeline out.html`) draw the same picture.
 *
 * The model: one lane per thread, from its spawn to its exit; on it, spans
 * where it was blocked (a `block` to its next `wake`, or to the end when it
 * never woke) and spans where it held a lock (a `lock` to its `unlock`),
 * one colour per lock; arrows from a `send` to the `recv` that took the
 * message (the k-th receive on a channel takes its k-th message: channels
 * are FIFO), from a `spawn` to the new thread's lane, from a thread's exit
 * to the `join` that waited for it; console lines as marks on their thread.
 * Every drawn event carries an index into `model.events`, so a view can say
 * what it is and where it came from.
 */
import type { TraceEvent } from '../runner/events.ts';

/** A console line of a traced run (RunEvent 'output' with its `at`). */
export interface ConsoleLine {
  thread: string;
  threadId: number;
  text: string;
  time: number;
  line?: number;
}

export interface TimelineInput {
  events: TraceEvent[];
  console?: ConsoleLine[];
  /** Under a seed, time is the scheduler's step; otherwise µs since the run started. */
  virtual: boolean;
  /** How many events the trace dropped (it was full). */
  dropped?: number;
}

/** One row of the table, and one thing a view can point at. */
export interface TimelineEvent {
  time: number;
  thread: string;
  threadId: number;
  /** What happened, in words: "locked lock A", "blocked on lock B", "printed “Total: 3”". */
  what: string;
  /** The primitive, by name ("lock A", "channel 1", "thread 2"), or ''. */
  object: string;
  line?: number;
  column?: number;
}

export interface Span {
  thread: number;
  from: number;
  to: number;
  /** The event that opened it (index into events). */
  event: number;
}

export interface TimelineModel {
  events: TimelineEvent[];
  lanes: Array<{ threadId: number; name: string; from: number; to: number }>;
  blocked: Array<Span & { on: string; forever: boolean }>;
  holds: Array<Span & { lock: number }>;
  /** Lock names by index: "lock A", ... (colour = index). */
  locks: string[];
  arrows: Array<{ kind: 'message' | 'spawn' | 'join'; fromThread: number; fromTime: number; toThread: number; toTime: number; event: number }>;
  marks: Array<{ kind: 'console' | 'task' | 'warning' | 'event'; thread: number; time: number; event: number }>;
  /** Where things are across: µs, or under a seed the event's place in order (spans and marks use it). */
  start: number;
  end: number;
  /** Labelled ticks for the time axis. */
  axis: Array<{ at: number; label: string }>;
  virtual: boolean;
  dropped: number;
}

const letters = (n: number): string => (n < 26 ? String.fromCharCode(65 + n) : `${letters(Math.floor(n / 26) - 1)}${String.fromCharCode(65 + (n % 26))}`);

/** Names the primitives of a trace the way a reader can follow: locks A, B, ...; channels 1, 2, ... */
export function objectNames(events: TraceEvent[]): { lockIndex: Map<number, number>; name: (e: TraceEvent) => string } {
  const lockIndex = new Map<number, number>();
  const channels = new Map<number, number>();
  for (const e of events) {
    if (e.kind === 'lock' && !lockIndex.has(e.object)) lockIndex.set(e.object, lockIndex.size);
    if ((e.kind === 'send' || e.kind === 'recv') && !channels.has(e.object)) channels.set(e.object, channels.size + 1);
  }
  const threadNames = new Map<number, string>();
  for (const e of events) if (!threadNames.has(e.threadId)) threadNames.set(e.threadId, e.thread);
  const thread = (id: number) => threadNames.get(id) ?? `thread ${id}`;
  const name = (e: TraceEvent): string => {
    switch (e.kind) {
      case 'spawn':
      case 'join':
        return thread(e.object);
      case 'task-spawn':
      case 'task-exit':
      case 'task-blocking':
      case 'held-across-await':
        return `task ${e.object}`;
      case 'task-send':
      case 'task-recv':
        return `task channel ${e.object}`;
      case 'par-join':
        return e.object === 0 ? '' : `(nested ${e.object} deep)`;
      case 'par-iter':
        return `${e.object} items`;
      case 'exit':
        return '';
      default: {
        const lock = lockIndex.get(e.object);
        if (lock !== undefined) return `lock ${letters(lock)}`;
        const channel = channels.get(e.object);
        if (channel !== undefined) return `channel ${channel}`;
        return `object @${e.object}`;
      }
    }
  };
  return { lockIndex, name };
}

const VERB: Record<TraceEvent['kind'], string> = {
  spawn: 'spawned',
  exit: 'exited',
  block: 'blocked on',
  wake: 'woke from',
  lock: 'locked',
  unlock: 'unlocked',
  send: 'sent on',
  recv: 'received from',
  join: 'joined',
  'task-spawn': 'spawned',
  'task-exit': 'ended',
  'task-blocking': 'made a blocking call in',
  'held-across-await': 'awaited holding a lock in',
  'task-send': 'sent on',
  'task-recv': 'received from',
  'par-join': 'called join',
  'par-iter': 'ran a parallel iterator over',
};

export function buildTimeline(input: TimelineInput): TimelineModel {
  const trace = [...input.events].sort((a, b) => a.time - b.time || a.seq - b.seq);
  const { lockIndex, name } = objectNames(trace);
  const model: TimelineModel = {
    events: [],
    lanes: [],
    blocked: [],
    holds: [],
    locks: [...lockIndex.keys()].map((_, i) => `lock ${letters(i)}`),
    arrows: [],
    marks: [],
    start: 0,
    end: 0,
    axis: [],
    virtual: input.virtual,
    dropped: input.dropped ?? 0,
  };
  // Console lines go in among the trace's events by time (after events of the same time).
  type Item = { trace: TraceEvent } | { line: ConsoleLine };
  const items: Item[] = trace.map((e) => ({ trace: e }));
  for (const line of input.console ?? []) {
    let at = items.length;
    while (at > 0) {
      const prev = items[at - 1]!;
      const t = 'trace' in prev ? prev.trace.time : prev.line.time;
      if (t <= line.time) break;
      at--;
    }
    items.splice(at, 0, { line });
  }
  const times = items.map((item) => ('trace' in item ? item.trace.time : item.line.time));
  // Across: real time in µs; under a seed, one slot per event in order (many events share a
  // scheduler step, and a lock taken and released within one step must still show).
  const across = input.virtual ? times.map((_, i) => i) : times;
  // Real time starts at the first event: a run's first microseconds go to starting its workers.
  model.start = input.virtual ? 0 : Math.min(...(across.length ? [across[0]!] : [0]));
  model.end = Math.max(model.start + 1, ...(across.length ? [across[across.length - 1]! + (input.virtual ? 1 : 0)] : []));
  model.axis = axisTicks(model.start, model.end, 8).map((at) => ({
    at,
    label: input.virtual ? `step ${times[Math.min(at, times.length - 1)] ?? 0}` : formatTime(at, false),
  }));

  const lanes = new Map<number, { threadId: number; name: string; from: number; to: number }>();
  const lane = (id: number, threadName: string, time: number) => {
    let l = lanes.get(id);
    if (!l) {
      l = { threadId: id, name: threadName, from: time, to: model.end };
      lanes.set(id, l);
    }
    return l;
  };
  const openBlock = new Map<number, { from: number; event: number; on: string }>();
  const openHold = new Map<string, { from: number; event: number; lock: number }>();
  const sends = new Map<number, Array<{ thread: number; time: number }>>();
  const recvCount = new Map<number, number>();
  const exits = new Map<number, number>();
  const spawnedAt = new Map<number, { thread: number; time: number; event: number }>();

  for (const item of items) {
    const index = model.events.length;
    const at = across[index]!;
    if ('line' in item) {
      const c = item.line;
      lane(c.threadId, c.thread, at);
      model.events.push({ time: c.time, thread: c.thread, threadId: c.threadId, what: `printed “${c.text}”`, object: '', ...(c.line ? { line: c.line } : {}) });
      model.marks.push({ kind: 'console', thread: c.threadId, time: at, event: index });
      continue;
    }
    const e = item.trace;
    const object = name(e);
    let what = object ? `${VERB[e.kind]} ${object}` : VERB[e.kind];
    if (e.kind === 'task-exit' && e.task) {
      what = `${object} ended (${e.task.outcome}): ${e.task.polls} polls, ${e.task.wakes} wakes${input.virtual ? '' : `, busy ${e.task.busyMicros} µs`}`;
    }
    model.events.push({ time: e.time, thread: e.thread, threadId: e.threadId, what, object, ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) });
    const spawned = spawnedAt.get(e.threadId);
    const l = lane(e.threadId, e.thread, spawned ? spawned.time : at);
    switch (e.kind) {
      case 'spawn':
        spawnedAt.set(e.object, { thread: e.threadId, time: at, event: index });
        model.arrows.push({ kind: 'spawn', fromThread: e.threadId, fromTime: at, toThread: e.object, toTime: at, event: index });
        break;
      case 'exit':
        l.to = at;
        exits.set(e.threadId, at);
        break;
      case 'block':
        openBlock.set(e.threadId, { from: at, event: index, on: object });
        break;
      case 'wake': {
        const open = openBlock.get(e.threadId);
        if (open) {
          model.blocked.push({ thread: e.threadId, from: open.from, to: at, event: open.event, on: open.on, forever: false });
          openBlock.delete(e.threadId);
        }
        break;
      }
      case 'lock':
        openHold.set(`${e.threadId}:${e.object}`, { from: at, event: index, lock: lockIndex.get(e.object)! });
        break;
      case 'unlock': {
        const key = `${e.threadId}:${e.object}`;
        const open = openHold.get(key);
        if (open) {
          model.holds.push({ thread: e.threadId, from: open.from, to: at, event: open.event, lock: open.lock });
          openHold.delete(key);
        }
        break;
      }
      case 'send': {
        const queue = sends.get(e.object) ?? [];
        queue.push({ thread: e.threadId, time: at });
        sends.set(e.object, queue);
        break;
      }
      case 'recv': {
        const k = recvCount.get(e.object) ?? 0;
        recvCount.set(e.object, k + 1);
        const sent = sends.get(e.object)?.[k];
        if (sent) model.arrows.push({ kind: 'message', fromThread: sent.thread, fromTime: sent.time, toThread: e.threadId, toTime: at, event: index });
        else model.marks.push({ kind: 'event', thread: e.threadId, time: at, event: index });
        break;
      }
      case 'join': {
        const exited = exits.get(e.object);
        model.arrows.push({ kind: 'join', fromThread: e.object, fromTime: exited ?? at, toThread: e.threadId, toTime: at, event: index });
        break;
      }
      case 'task-spawn':
      case 'task-exit':
        model.marks.push({ kind: 'task', thread: e.threadId, time: at, event: index });
        break;
      case 'task-blocking':
      case 'held-across-await':
        model.marks.push({ kind: 'warning', thread: e.threadId, time: at, event: index });
        break;
    }
  }
  for (const [thread, open] of openBlock) model.blocked.push({ thread, from: open.from, to: model.end, event: open.event, on: open.on, forever: true });
  for (const [key, open] of openHold) model.holds.push({ thread: Number(key.split(':')[0]), from: open.from, to: model.end, event: open.event, lock: open.lock });
  // A spawned thread's lane starts at its spawn.
  for (const [id, s] of spawnedAt) {
    const l = lanes.get(id);
    if (l) l.from = Math.min(l.from, s.time);
  }
  model.lanes = [...lanes.values()].sort((a, b) => a.threadId - b.threadId);
  return model;
}

/**
 * A deadlocked run's trace, cut where the deadlock was found: when the run
 * is stopped, its blocked threads unwind (they wake, drop their guards and
 * exit), and those events, recorded after the end, are not part of the story.
 * `blocked` is the deadlock report's threads and lines (its ReaderErrors).
 */
export function cutAtDeadlock(events: TraceEvent[], blocked: Array<{ thread?: string; line?: number }>): TraceEvent[] {
  const cutAfter = new Map<number, number>();
  for (const b of blocked) {
    if (b.thread === undefined) continue;
    const last = events.findLast((e) => e.thread === b.thread && e.kind === 'block' && (b.line === undefined || e.line === b.line));
    if (last) cutAfter.set(last.threadId, last.seq);
  }
  return events.filter((e) => {
    const after = cutAfter.get(e.threadId);
    return after === undefined || e.seq <= after;
  });
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** "step 12" / "1.25 ms" / "340 µs": a time on the run's clock. */
export function formatTime(time: number, virtual: boolean): string {
  if (virtual) return `step ${time}`;
  if (time >= 1_000_000) return `${(time / 1_000_000).toFixed(2)} s`;
  if (time >= 1000) return `${(time / 1000).toFixed(2)} ms`;
  return `${time} µs`;
}

/** How an event reads on hover, in the table's caption and for a screen reader. */
export function describeEvent(e: TimelineEvent, virtual: boolean): string {
  return `${formatTime(e.time, virtual)}, ${e.thread} ${e.what}${e.line ? `, line ${e.line}` : ''}`;
}

const LANE = 34;
const TOP = 28;
const LEFT = 110;
const RIGHT = 16;

/** Round numbers for an axis between `from` and `to`, about `count` of them. */
function axisTicks(from: number, to: number, count: number): number[] {
  const span = Math.max(1, to - from);
  const raw = span / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? power * 10;
  const first = Math.ceil(from / step) * step;
  const out: number[] = [];
  for (let t = first; t <= to; t += Math.max(1, step)) out.push(t);
  return out;
}

/**
 * The timeline as an SVG string. Marks that stand for an event carry
 * `data-event` (the index into model.events) and `class="tl-hit"`; the
 * first has tabindex 0, the others -1 (a view moves focus with the arrow keys).
 */
export function renderTimelineSvg(model: TimelineModel, width = 900, evidence: ReadonlySet<number> = new Set()): string {
  const laneIndex = new Map(model.lanes.map((l, i) => [l.threadId, i]));
  const height = TOP + model.lanes.length * LANE + 8;
  const plot = Math.max(100, width - LEFT - RIGHT);
  const x = (t: number) => LEFT + ((t - model.start) / (model.end - model.start)) * plot;
  const y = (thread: number) => TOP + (laneIndex.get(thread) ?? 0) * LANE + LANE / 2;
  const parts: string[] = [];
  const hit = (event: number, inner: string) => {
    const e = model.events[event]!;
    const marked = evidence.has(event);
    return `<g class="tl-hit${marked ? ' tl-evidence' : ''}" data-event="${event}" tabindex="-1" role="button" aria-label="${escapeHtml(`${marked ? 'Evidence: ' : ''}${describeEvent(e, model.virtual)}`)}">${inner}</g>`;
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
    if (e === undefined || !laneIndex.has(e.threadId)) continue;
    // Across is the event's slot under a seed, its time otherwise (buildTimeline).
    const at = model.virtual ? event : e.time;
    parts.push(hit(event, `<circle cx="${x(at).toFixed(1)}" cy="${y(e.threadId)}" r="7" class="tl-evidence-ring"/>`));
  }
  parts.push(`</svg>`);
  // The first focusable mark in document order is the one Tab reaches.
  return parts.join('').replace('tabindex="-1"', 'tabindex="0"');
}

/** The legend: what each colour and shape means. */
export function renderLegend(model: TimelineModel): string {
  const swatch = (cls: string, label: string) => `<li><svg width="18" height="10" aria-hidden="true"><rect width="18" height="10" class="${cls}"/></svg>${escapeHtml(label)}</li>`;
  const items = [swatch('tl-running', 'running'), swatch('tl-blocked', 'blocked'), ...model.locks.map((name, i) => swatch(`tl-hold tl-lock-${i % 8}`, `holds ${name}`))];
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
  return `<p class="tl-scale">Time across, ${clock}; ${model.lanes.length} thread${model.lanes.length === 1 ? '' : 's'}, ${model.events.length} events.${dropped}</p>`;
}

/** The same events as a table: time, thread, event, object, line. */
export function renderTable(model: TimelineModel, evidence: ReadonlySet<number> = new Set()): string {
  const rows = model.events.map(
    (e, i) =>
      `<tr data-event="${i}"${evidence.has(i) ? ' class="tl-evidence-row"' : ''}><td>${escapeHtml(formatTime(e.time, model.virtual))}</td><td>${escapeHtml(e.thread)}</td><td>${evidence.has(i) ? '<strong>Evidence:</strong> ' : ''}${escapeHtml(e.what)}</td><td>${escapeHtml(e.object)}</td><td>${e.line ? `<button type="button" class="tl-line" data-event="${i}">line ${e.line}</button>` : ''}</td></tr>`,
  );
  return `<table class="tl-table"><caption>Every event of the run, in time order</caption><thead><tr><th scope="col">Time</th><th scope="col">Thread</th><th scope="col">Event</th><th scope="col">Object</th><th scope="col">Line</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

// ---------------------------------------------------------------------------
// Wait-for graph

export interface WaitForGraph {
  nodes: Array<{ id: string; label: string; kind: 'thread' | 'object' }>;
  /** thread → object it waits on ("waits"), object → thread holding it ("held by"). */
  edges: Array<{ from: string; to: string; label: string; line?: number; inCycle: boolean }>;
  /** The threads of the cycle, in order, when there is one. */
  cycle: string[];
}

/**
 * Who waits for whom at the end of a run, from its trace: each thread whose
 * last `block` had no `wake` waits on that object; a lock's holder is the
 * thread that locked it last without unlocking; a join waits on the joined
 * thread itself. Empty when no thread was left waiting.
 */
export function waitForGraph(events: TraceEvent[]): WaitForGraph {
  const trace = [...events].sort((a, b) => a.time - b.time || a.seq - b.seq);
  const { name } = objectNames(trace);
  const waiting = new Map<number, TraceEvent>();
  const holder = new Map<number, TraceEvent>();
  const threadName = new Map<number, string>();
  for (const e of trace) {
    threadName.set(e.threadId, e.thread);
    if (e.kind === 'block') waiting.set(e.threadId, e);
    else if (e.kind === 'wake') waiting.delete(e.threadId);
    else if (e.kind === 'lock') holder.set(e.object, e);
    else if (e.kind === 'unlock' && holder.get(e.object)?.threadId === e.threadId) holder.delete(e.object);
  }
  const nodes: WaitForGraph['nodes'] = [];
  const edges: WaitForGraph['edges'] = [];
  const seen = new Set<string>();
  const node = (id: string, label: string, kind: 'thread' | 'object') => {
    if (seen.has(id)) return;
    seen.add(id);
    nodes.push({ id, label, kind });
  };
  const next = new Map<string, string>();
  for (const [thread, block] of waiting) {
    const t = `t${thread}`;
    node(t, threadName.get(thread) ?? `thread ${thread}`, 'thread');
    const held = holder.get(block.object);
    if (!held && threadName.has(block.object) && name(block).startsWith('object')) {
      // Joining: it waits for that thread to end.
      const h = `t${block.object}`;
      node(h, threadName.get(block.object)!, 'thread');
      edges.push({ from: t, to: h, label: 'waits to join', ...(block.line ? { line: block.line } : {}), inCycle: false });
      next.set(t, h);
      continue;
    }
    const objectId = `o${block.object}`;
    node(objectId, name(block), 'object');
    edges.push({ from: t, to: objectId, label: 'waits for', ...(block.line ? { line: block.line } : {}), inCycle: false });
    if (held) {
      const h = `t${held.threadId}`;
      node(h, held.thread, 'thread');
      edges.push({ from: objectId, to: h, label: 'held by', ...(held.line ? { line: held.line } : {}), inCycle: false });
      next.set(t, h);
    }
  }
  // The cycle: follow thread → holder from each waiting thread until one comes back.
  let cycle: string[] = [];
  for (const start of next.keys()) {
    const path = [start];
    let at = next.get(start);
    while (at !== undefined && !path.includes(at)) {
      path.push(at);
      at = next.get(at);
    }
    if (at !== undefined) {
      cycle = path.slice(path.indexOf(at));
      break;
    }
  }
  const inCycle = new Set(cycle);
  for (const edge of edges) {
    if (edge.label === 'waits to join') {
      edge.inCycle = inCycle.has(edge.from) && inCycle.has(edge.to);
      continue;
    }
    const thread = edge.label === 'waits for' ? edge.from : edge.to;
    const other = edges.find((o) => (edge.label === 'waits for' ? o.from === edge.to : o.to === edge.from) && o !== edge);
    const otherThread = other ? (edge.label === 'waits for' ? other.to : other.from) : undefined;
    edge.inCycle = inCycle.has(thread) && otherThread !== undefined && inCycle.has(otherThread);
  }
  return { nodes, edges, cycle };
}

/** The wait-for graph as SVG: threads in a ring, each waited-on object between its waiter and its holder. */
export function renderWaitForSvg(graph: WaitForGraph, labels: Map<string, string> = new Map()): string {
  const threads = graph.nodes.filter((n) => n.kind === 'thread');
  const objects = graph.nodes.filter((n) => n.kind === 'object');
  const width = 640;
  const height = Math.max(300, 70 * threads.length + 160);
  const cx = width / 2;
  const cy = height / 2;
  const pos = new Map<string, { x: number; y: number }>();
  threads.forEach((t, i) => {
    const angle = Math.PI + (2 * Math.PI * i) / Math.max(1, threads.length);
    pos.set(t.id, { x: cx + (cx - 80) * Math.cos(angle), y: cy + (cy - 50) * Math.sin(angle) });
  });
  objects.forEach((o, i) => {
    const waiter = graph.edges.find((e) => e.to === o.id)?.from;
    const holder = graph.edges.find((e) => e.from === o.id)?.to;
    const a = waiter ? pos.get(waiter) : undefined;
    const b = holder ? pos.get(holder) : undefined;
    if (a && b) {
      // Midway, pushed off the straight line so the two directions of a cycle do not overlap.
      const mx = (a.x + b.x) / 2;
      const my = (a.y + b.y) / 2;
      const dx = b.x - a.x;
      const dy = b.y - a.y;
      const len = Math.hypot(dx, dy) || 1;
      pos.set(o.id, { x: mx - (dy / len) * 95, y: my + (dx / len) * 95 });
    } else if (a) pos.set(o.id, { x: a.x, y: a.y + 70 });
    else pos.set(o.id, { x: 60 + i * 90, y: height - 30 });
  });
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="wf-svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(describeWaitFor(graph, labels))}">`,
    `<defs><marker id="wf-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="9" markerHeight="9" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0L8 4L0 8z" class="tl-arrowhead"/></marker></defs>`,
  ];
  for (const e of graph.edges) {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to)!;
    const len = Math.hypot(b.x - a.x, b.y - a.y) || 1;
    const shrink = (p: { x: number; y: number }, q: { x: number; y: number }, by: number) => ({ x: p.x + ((q.x - p.x) / len) * by, y: p.y + ((q.y - p.y) / len) * by });
    const radius = (id: string, dx: number, dy: number) => {
      // Where the line leaves the node's box (ellipse 52×22 or rectangle 44×16), roughly.
      const [rx, ry] = graph.nodes.find((n) => n.id === id)?.kind === 'thread' ? [56, 26] : [48, 20];
      const c = Math.abs(dx) / len;
      const sn = Math.abs(dy) / len;
      return Math.min(c > 0 ? rx / c : Infinity, sn > 0 ? ry / sn : Infinity);
    };
    const s = shrink(a, b, radius(e.from, b.x - a.x, b.y - a.y));
    const t = shrink(b, a, radius(e.to, b.x - a.x, b.y - a.y));
    const label = `${e.label}${e.line ? ` (line ${e.line})` : ''}`;
    parts.push(
      `<line x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${t.x.toFixed(1)}" y2="${t.y.toFixed(1)}" class="wf-edge${e.inCycle ? ' wf-edge--cycle' : ''}" marker-end="url(#wf-arrow)"/>`,
      `<text x="${((s.x + t.x) / 2).toFixed(1)}" y="${((s.y + t.y) / 2 - 6).toFixed(1)}" text-anchor="middle" class="wf-edge-label">${escapeHtml(label)}</text>`,
    );
  }
  for (const n of graph.nodes) {
    const p = pos.get(n.id)!;
    const label = labels.get(n.id) ?? n.label;
    if (n.kind === 'thread') {
      parts.push(`<ellipse cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" rx="52" ry="22" class="wf-thread${graph.cycle.includes(n.id) ? ' wf-thread--cycle' : ''}"/>`);
    } else {
      parts.push(`<rect x="${(p.x - 44).toFixed(1)}" y="${(p.y - 16).toFixed(1)}" width="88" height="32" rx="4" class="wf-object"/>`);
    }
    parts.push(`<text x="${p.x.toFixed(1)}" y="${(p.y + 4).toFixed(1)}" text-anchor="middle" class="wf-label">${escapeHtml(label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** The graph in one sentence, for the figure's text and the SVG's name. */
export function describeWaitFor(graph: WaitForGraph, labels: Map<string, string> = new Map()): string {
  const label = (id: string) => labels.get(id) ?? graph.nodes.find((n) => n.id === id)?.label ?? id;
  const sentences = graph.edges
    .filter((e) => e.label === 'waits for' || e.label === 'waits to join')
    .map((wait) => {
      const at = wait.line ? ` at line ${wait.line}` : '';
      if (wait.label === 'waits to join') return `${label(wait.from)} waits${at} to join ${label(wait.to)}`;
      const held = graph.edges.find((e) => e.from === wait.to && e.label === 'held by');
      const holder = held ? `, held by ${label(held.to)}${held.line ? ` (locked at line ${held.line})` : ''}` : '';
      return `${label(wait.from)} waits${at} for ${label(wait.to)}${holder}`;
    });
  const cycle = graph.cycle.length ? ` The cycle: ${[...graph.cycle, graph.cycle[0]!].map(label).join(' → ')}.` : '';
  return `${sentences.join('; ')}.${cycle}`;
}

// ---------------------------------------------------------------------------
// Styles and the standalone page (the CLI's --timeline)

/** The views' CSS, on the site's theme variables (src/styles/theme.css). */
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
.tl-hit { cursor: pointer; outline: none; }
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
export function standaloneHtml(input: TimelineInput & { title: string; ending: string; deadlocked?: Array<{ thread?: string; line?: number }> }): string {
  const events = input.deadlocked ? cutAtDeadlock(input.events, input.deadlocked) : input.events;
  const model = buildTimeline({ ...input, events });
  const graph = input.deadlocked ? waitForGraph(events) : undefined;
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
