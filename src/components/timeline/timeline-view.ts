/**
 * The page's side of the timeline, loaded with `import()` the first time a
 * run's picture is asked for: the SVG and table strings come from src/timeline/
 * (shared with the CLI); this adds what only a page has — hover and focus
 * describe an event, arrow keys move between events, Enter or a click moves
 * the editor's cursor to its line, a toggle swaps the picture for a table —
 * plus the wait-for graph of a deadlock and the list of outcomes of a run
 * under many schedules.
 */
import type { SourceLocation, TraceEvent } from '../../runner/events.ts';
import { buildTimeline, cutAtDeadlock, describeEvent, type ConsoleLine, type TimelineModel } from '../../timeline/model.ts';
import { TIMELINE_CSS } from '../../timeline/styles.ts';
import { PLOT_MARGINS, renderLegend, renderScale, renderTable, renderTimelineSvg } from '../../timeline/svg.ts';
import { deadlockGraph, describeWaitFor, renderWaitForSvg, waitForGraph, type DeadlockEntry } from '../../timeline/wait-for.ts';

export interface RecordedRun {
  events: TraceEvent[];
  dropped: number;
  console: ConsoleLine[];
  /** Under a seed: time is virtual. */
  seed?: number;
  /** The deadlock report's threads and lines, when the run ended in one. */
  deadlocked?: DeadlockEntry[];
  /** A failed check's replay: the lines its message points at, whose events the picture marks as evidence, and why. */
  evidence?: { lines: number[]; why: string };
}

/** The events at the evidence's lines (indices into model.events). */
function evidenceEvents(model: TimelineModel, run: RecordedRun): Set<number> {
  const lines = new Set(run.evidence?.lines ?? []);
  const marked = new Set<number>();
  model.events.forEach((e, i) => {
    if (e.line !== undefined && lines.has(e.line)) marked.add(i);
  });
  return marked;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

let styled = false;
function addStyles(): void {
  if (styled) return;
  styled = true;
  const style = document.createElement('style');
  style.textContent = TIMELINE_CSS;
  document.head.append(style);
}

let figures = 0;

function figure(className: string, caption: string): { root: HTMLElement; caption: HTMLElement } {
  const root = document.createElement('figure');
  root.className = className;
  const id = `weft-figure-${++figures}`;
  root.setAttribute('aria-labelledby', id);
  const cap = document.createElement('figcaption');
  cap.id = id;
  cap.textContent = caption;
  root.append(cap);
  return { root, caption: cap };
}

/** The timeline of one run, with its legend, scale, event detail line and table toggle. */
export function timelineFigure(run: RecordedRun, reveal: (location: SourceLocation) => void): HTMLElement {
  addStyles();
  const events = run.deadlocked ? cutAtDeadlock(run.events, run.deadlocked) : run.events;
  performance.mark('weft-timeline-start');
  const model = buildTimeline({ events, console: run.console, virtual: run.seed !== undefined, dropped: run.dropped });
  // Marks for the benchmark (tests/bench) and the browser's performance panel: the model, then the picture.
  performance.measure('weft-timeline-model', 'weft-timeline-start');
  const title = `Timeline of the run${run.seed !== undefined ? ` under seed ${run.seed}` : ''}: one lane per thread, time across`;
  const { root } = figure('weft-timeline', title);
  const tools = document.createElement('div');
  tools.className = 'tl-tools';
  const toggle = document.createElement('button');
  toggle.type = 'button';
  toggle.className = 'weft-example__button';
  toggle.textContent = 'Show as table';
  toggle.setAttribute('aria-pressed', 'false');
  const picture = document.createElement('div');
  picture.className = 'tl-scroll';
  const evidence = evidenceEvents(model, run);
  const zoom = zoomControls(picture, model, evidence);
  tools.append(toggle, zoom.controls);
  const detail = document.createElement('p');
  detail.className = 'tl-detail';
  detail.setAttribute('aria-live', 'polite');
  detail.textContent = 'Hover or focus an event to see it; Enter or a click shows its line in the code.';
  const about = document.createElement('div');
  about.innerHTML = renderScale(model) + renderLegend(model);
  const table = document.createElement('div');
  table.className = 'tl-table-wrap';
  table.hidden = true;
  // The table is made when first shown, a page of rows at a time: a 100,000-event run is not 100,000 rows at once.
  let shown = 0;
  const more = document.createElement('button');
  more.type = 'button';
  more.className = 'weft-example__button tl-more';
  const showRows = () => {
    const count = Math.min(TABLE_PAGE, model.events.length - shown);
    if (shown === 0) table.innerHTML = renderTable(model, evidence, { from: 0, count });
    else table.querySelector('tbody')?.insertAdjacentHTML('beforeend', renderTable(model, evidence, { from: shown, count, rowsOnly: true }));
    shown += count;
    const caption = table.querySelector('caption');
    if (caption && shown < model.events.length) caption.textContent = `Events 1 to ${shown.toLocaleString('en')} of ${model.events.length.toLocaleString('en')}, in time order`;
    else if (caption) caption.textContent = 'Every event of the run, in time order';
    const left = model.events.length - shown;
    more.textContent = `Show the next ${Math.min(TABLE_PAGE, left).toLocaleString('en')} events`;
    more.hidden = left === 0;
    table.append(more);
  };
  more.addEventListener('click', () => {
    showRows();
    // Keyboard users go on from the first new row's line button, or the button itself.
    more.focus();
  });
  const note = document.createElement('p');
  note.className = 'tl-evidence-note';
  if (run.evidence && evidence.size > 0) {
    const lines = [...new Set(run.evidence.lines)].sort((a, b) => a - b);
    note.innerHTML = `<strong>Evidence</strong> (outlined in red, and marked in the table): the ${evidence.size === 1 ? 'event' : `${evidence.size} events`} at line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}, ${escapeText(run.evidence.why)}.`;
  } else note.hidden = true;

  toggle.addEventListener('click', () => {
    const showTable = table.hidden;
    if (showTable && shown === 0) showRows();
    table.hidden = !showTable;
    picture.hidden = showTable;
    detail.hidden = showTable;
    zoom.controls.hidden = showTable;
    // A toggle: its name stays, its pressed state says which view is on.
    toggle.setAttribute('aria-pressed', String(showTable));
  });

  wireMarks(picture, model, detail, reveal);
  table.addEventListener('click', (event) => {
    const button = (event.target as Element).closest<HTMLElement>('button[data-event]');
    const e = button ? model.events[Number(button.dataset.event)] : undefined;
    if (e?.line) reveal({ line: e.line, column: e.column ?? 1 });
  });
  root.append(tools, note, picture, detail, about, table);
  performance.measure('weft-timeline-figure', 'weft-timeline-start');
  return root;
}

/** Rows of the table shown at a time. */
const TABLE_PAGE = 1000;

/** The widest the picture gets (px): a 100,000-event run zoomed all the way in. */
const MAX_WIDTH = 120_000;

/**
 * Zoom and pan: buttons (Zoom in, Zoom out, Fit), Ctrl or ⌘ with the wheel
 * around the pointer, + − 0 on the keyboard inside the picture; pan by
 * scrolling or dragging the picture. A zoom draws the SVG again at the new
 * width (text keeps its size) and keeps the time under the pointer (or the
 * middle) where it was; the focused event keeps focus.
 */
function zoomControls(picture: HTMLElement, model: TimelineModel, evidence: Set<number>): { controls: HTMLElement } {
  let width = Math.max(720, Math.min(6000, model.events.length * 14));
  const controls = document.createElement('span');
  controls.className = 'tl-zoom';
  controls.setAttribute('role', 'group');
  controls.setAttribute('aria-label', 'Zoom');
  const button = (text: string, name: string) => {
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'weft-example__button';
    b.textContent = text;
    b.setAttribute('aria-label', name);
    controls.append(b);
    return b;
  };
  const zoomOut = button('−', 'Zoom out');
  const zoomIn = button('+', 'Zoom in');
  const fit = button('Fit', 'Fit to width');
  const level = document.createElement('span');
  level.className = 'tl-zoom-level';
  level.setAttribute('aria-live', 'polite');
  controls.append(level);
  const fitWidth = () => Math.max(400, picture.clientWidth || 720);
  /** What is drawn: the view in sight and half a view either side of it (px across the SVG). */
  let drawn = { from: 0, to: 0 };
  const paint = (left: number, keepFocus = false) => {
    const view = picture.clientWidth || 1600;
    drawn = { from: Math.max(0, left - view / 2), to: left + 1.5 * view };
    const focused = keepFocus ? picture.querySelector<SVGGElement>('.tl-hit:focus')?.dataset.event : undefined;
    const current = picture.querySelector<SVGGElement>('.tl-hit[tabindex="0"]')?.dataset.event;
    picture.innerHTML = renderTimelineSvg(model, width, evidence, focused !== undefined ? { ...drawn, keep: Number(focused) } : drawn);
    picture.scrollLeft = left;
    pinNames();
    if (current !== undefined && picture.querySelector(`.tl-hit[data-event="${current}"]`)) {
      for (const mark of picture.querySelectorAll<SVGGElement>('.tl-hit')) mark.setAttribute('tabindex', mark.dataset.event === current ? '0' : '-1');
    }
    if (focused !== undefined) picture.querySelector<SVGGElement>(`.tl-hit[data-event="${focused}"]`)?.focus({ preventScroll: true });
  };
  const draw = (next: number, anchor = picture.clientWidth / 2) => {
    next = Math.round(Math.max(fitWidth(), Math.min(MAX_WIDTH, next)));
    const plot = (w: number) => Math.max(100, w - PLOT_MARGINS.left - PLOT_MARGINS.right);
    // The point in time under the anchor, as a share of the plot, stays under the anchor.
    const share = width > 0 ? (picture.scrollLeft + anchor - PLOT_MARGINS.left) / plot(width) : 0;
    width = next;
    paint(Math.max(0, PLOT_MARGINS.left + share * plot(width) - anchor), true);
    showLevel();
  };
  const showLevel = () => {
    const times = width / fitWidth();
    level.textContent = times <= 1.01 ? 'whole run in view' : `${times < 10 ? times.toFixed(1) : Math.round(times)}× the width`;
    zoomOut.disabled = width <= fitWidth();
    zoomIn.disabled = width >= MAX_WIDTH;
  };
  // The lanes' names stay in sight, at the left of the view, however far it is scrolled.
  const pinNames = () => picture.querySelector('.tl-names')?.setAttribute('transform', `translate(${picture.scrollLeft} 0)`);
  // Redraw when a scroll brings into sight what was not drawn (the drawn part is two views wide).
  let frame = 0;
  picture.addEventListener('scroll', () => {
    pinNames();
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      const view = picture.clientWidth || 1600;
      if (picture.scrollLeft < drawn.from || picture.scrollLeft + view > drawn.to) paint(picture.scrollLeft, true);
    });
  });
  // Drawn once the figure is in the page (the caller appends it at once): then its width is known, and a short run
  // fills it. In a task of its own, after the model's: a 100,000-event run is two pauses, not one twice as long.
  setTimeout(() => {
    performance.mark('weft-timeline-draw-start');
    // About 14 px an event, at most 6,000 px, and never narrower than the figure: a short run fits it exactly.
    if (picture.isConnected) width = Math.max(fitWidth(), Math.min(6000, model.events.length * 14));
    paint(0);
    showLevel();
    performance.measure('weft-timeline-draw', 'weft-timeline-draw-start');
  }, 0);
  zoomIn.addEventListener('click', () => draw(width * 2));
  zoomOut.addEventListener('click', () => draw(width / 2));
  fit.addEventListener('click', () => draw(fitWidth()));
  picture.addEventListener(
    'wheel',
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      const anchor = event.clientX - picture.getBoundingClientRect().left;
      draw(width * (event.deltaY < 0 ? 1.5 : 1 / 1.5), anchor);
    },
    { passive: false },
  );
  picture.addEventListener('keydown', (event) => {
    const key = event.key;
    if (key !== '+' && key !== '=' && key !== '-' && key !== '0') return;
    event.preventDefault();
    // From the keyboard, zoom around the focused event: it stays in sight, and keeps focus.
    const mark = (event.target as Element).closest('.tl-hit');
    const box = mark?.getBoundingClientRect();
    const anchor = box ? box.left + box.width / 2 - picture.getBoundingClientRect().left : picture.clientWidth / 2;
    draw(key === '0' ? fitWidth() : key === '-' ? width / 2 : width * 2, anchor);
  });
  // Drag the picture's background to pan (a press on an event is a click on it).
  let drag: { x: number; left: number; id: number } | undefined;
  picture.addEventListener('pointerdown', (event) => {
    if (event.button !== 0 || (event.target as Element).closest('.tl-hit')) return;
    drag = { x: event.clientX, left: picture.scrollLeft, id: event.pointerId };
    picture.classList.add('tl-scroll--dragging');
  });
  picture.addEventListener('pointermove', (event) => {
    if (drag?.id !== event.pointerId) return;
    picture.scrollLeft = drag.left - (event.clientX - drag.x);
  });
  const endDrag = () => {
    drag = undefined;
    picture.classList.remove('tl-scroll--dragging');
  };
  picture.addEventListener('pointerup', endDrag);
  picture.addEventListener('pointercancel', endDrag);
  picture.addEventListener('pointerleave', endDrag);
  return { controls };
}

function wireMarks(picture: HTMLElement, model: TimelineModel, detail: HTMLElement, reveal: (location: SourceLocation) => void): void {
  const marks = () => [...picture.querySelectorAll<SVGGElement>('.tl-hit')].sort((a, b) => Number(a.dataset.event) - Number(b.dataset.event));
  const show = (mark: Element | null) => {
    if (!(mark instanceof SVGElement) || !mark.classList.contains('tl-hit')) return;
    // What the mark says of itself: its event, or for a task's row the task's summary (polls, busy, idle).
    const e = model.events[Number(mark.dataset.event)];
    const label = mark.getAttribute('aria-label');
    if (label) detail.textContent = label;
    else if (e) detail.textContent = describeEvent(e, model.virtual);
  };
  const go = (mark: Element | null) => {
    if (!(mark instanceof SVGElement)) return;
    const e = model.events[Number(mark.dataset.event)];
    if (e?.line) reveal({ line: e.line, column: e.column ?? 1 });
  };
  picture.addEventListener('pointerover', (event) => show((event.target as Element).closest('.tl-hit')));
  picture.addEventListener('focusin', (event) => show((event.target as Element).closest('.tl-hit')));
  picture.addEventListener('click', (event) => go((event.target as Element).closest('.tl-hit')));
  picture.addEventListener('keydown', (event) => {
    const current = (event.target as Element).closest('.tl-hit');
    if (!current) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      go(current);
      return;
    }
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity }[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const all = marks();
    const at = all.indexOf(current as SVGGElement);
    const next = all[Math.max(0, Math.min(all.length - 1, step === Infinity ? all.length - 1 : step === -Infinity ? 0 : at + step))];
    if (!next) return;
    // One tab stop: the focused mark is the one Tab comes back to.
    for (const mark of all) mark.setAttribute('tabindex', mark === next ? '0' : '-1');
    next.focus();
    next.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
}

/** The wait-for graph of a deadlocked run (its threads', or its tasks'); undefined when nothing shows who waits on what. */
export function waitForFigure(run: RecordedRun, reveal: (location: SourceLocation) => void): HTMLElement | undefined {
  addStyles();
  const graph = run.deadlocked ? deadlockGraph(run.events, run.deadlocked) : waitForGraph(run.events);
  if (graph.edges.length === 0) return undefined;
  const { root } = figure('weft-waitfor', `Wait-for graph: ${describeWaitFor(graph)}`);
  const picture = document.createElement('div');
  picture.className = 'tl-scroll';
  // The room an example's figure has: the window less the page's and the figure's margins (a phone's is ~350 px).
  picture.innerHTML = renderWaitForSvg(graph, new Map(), window.innerWidth - 60);
  // Each edge with a line is a link to it: where the thread waits, where the holder took its lock.
  const go = (target: EventTarget | null) => {
    const edge = (target as Element | null)?.closest<SVGGElement>('.wf-hit');
    const line = Number(edge?.dataset.line);
    if (line > 0) reveal({ line, column: 1 });
  };
  picture.addEventListener('click', (event) => go(event.target));
  picture.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    go(event.target);
  });
  root.append(picture);
  return root;
}

export interface ScheduleOutcome {
  /** What a reader sees: the output, or how it ended. */
  label: string;
  seeds: number[];
}

/** The distinct outcomes of a run under many schedules; choosing one replays its first seed. */
export function outcomesList(outcomes: ScheduleOutcome[], total: number, choose: (seed: number) => void): HTMLElement {
  addStyles();
  const section = document.createElement('div');
  section.className = 'weft-outcomes';
  const heading = document.createElement('p');
  heading.className = 'weft-outcomes__summary';
  heading.textContent = `${outcomes.length} distinct outcome${outcomes.length === 1 ? '' : 's'} under ${total} schedules (seeds 1 to ${total}). Choose one to replay it with its timeline.`;
  const list = document.createElement('ul');
  list.setAttribute('aria-label', 'Outcomes');
  list.className = 'weft-outcomes__list';
  for (const outcome of [...outcomes].sort((a, b) => b.seeds.length - a.seeds.length)) {
    const item = document.createElement('li');
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'weft-outcomes__choice';
    const text = document.createElement('span');
    text.className = 'weft-outcomes__text';
    text.textContent = outcome.label;
    const count = document.createElement('span');
    count.className = 'weft-outcomes__count';
    const seeds = outcome.seeds.slice(0, 6).join(', ') + (outcome.seeds.length > 6 ? ', …' : '');
    count.textContent = `${outcome.seeds.length} of ${total} schedules (seed${outcome.seeds.length === 1 ? '' : 's'} ${seeds})`;
    button.append(text, count);
    button.addEventListener('click', () => {
      for (const other of list.querySelectorAll('button[aria-current]')) other.removeAttribute('aria-current');
      button.setAttribute('aria-current', 'true');
      choose(outcome.seeds[0]!);
    });
    item.append(button);
    list.append(item);
  }
  section.append(heading, list);
  return section;
}
