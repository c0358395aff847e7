/**
 * The wait-for graph of a deadlocked run, from its trace (threads) or its
 * hang report (tasks, which wait without blocking their thread): who waits on what,
 * who holds it, the cycle; drawn as SVG whose edges are links to the lines
 * where each thread waits and where each holder took its lock.
 */
import type { ReaderError, TraceEvent } from '../runner/events.ts';
import type { WaitsOn } from '../weft/task/future.ts';
import { cutAtDeadlock, escapeHtml, objectNames } from './model.ts';

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
  const { nodes, edges, node, next } = graphBuilder();
  for (const [thread, block] of waiting) {
    const t = `t${thread}`;
    node(t, threadName.get(thread) ?? `thread ${thread}`, 'thread');
    const held = holder.get(block.object);
    if (!held && threadName.has(block.object) && (block.waitKind === 'join' || (block.waitKind === undefined && name(block).startsWith('object')))) {
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
  const cycle = markCycle(edges, next);
  return { nodes, edges, cycle };
}

/** A graph being drawn up: its nodes (each once), edges, and each waiter's next hop (the thread or task it waits on). */
function graphBuilder() {
  const nodes: WaitForGraph['nodes'] = [];
  const edges: WaitForGraph['edges'] = [];
  const seen = new Set<string>();
  const node = (id: string, label: string, kind: 'thread' | 'object') => {
    if (seen.has(id)) return;
    seen.add(id);
    nodes.push({ id, label, kind });
  };
  return { nodes, edges, node, next: new Map<string, string>() };
}

/** Finds a cycle by following waiter → holder from each waiter until one comes back, and marks the edges on it. */
function markCycle(edges: WaitForGraph['edges'], next: Map<string, string>): string[] {
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
  return cycle;
}

/** What a deadlock's report says of one task (ReaderError.task): which it is, where it waits, on what, held by whom. */
export interface TaskWait {
  task: string;
  line?: number;
  waitsOn?: WaitsOn;
}

/**
 * The wait-for graph of tasks that all wait (weft/task's hang report): each
 * task, the async lock it waits for and the task holding it, or the task it
 * joins. A wait the report cannot name (a channel, a timer that never comes)
 * is a task with no edge out. Empty when no task names what it waits on.
 */
export function taskWaitForGraph(waits: TaskWait[]): WaitForGraph {
  const { nodes, edges, node, next } = graphBuilder();
  const at = (line: number | undefined) => (line && line > 0 ? { line } : {});
  for (const w of waits) {
    const t = `task:${w.task}`;
    node(t, w.task, 'thread');
    const on = w.waitsOn;
    if (on === undefined) continue;
    if (on.kind === 'join') {
      const joined = `task:${on.object}`;
      node(joined, on.object, 'thread');
      edges.push({ from: t, to: joined, label: 'waits to join', ...at(w.line), inCycle: false });
      next.set(t, joined);
      continue;
    }
    const objectId = `lock:${on.object}`;
    node(objectId, on.object, 'object');
    edges.push({ from: t, to: objectId, label: 'waits for', ...at(w.line), inCycle: false });
    if (on.holder) {
      const h = `task:${on.holder.task}`;
      node(h, on.holder.task, 'thread');
      if (!edges.some((e) => e.from === objectId)) edges.push({ from: objectId, to: h, label: 'held by', ...at(on.holder.line), inCycle: false });
      next.set(t, h);
    }
  }
  if (edges.length === 0) return { nodes: [], edges: [], cycle: [] };
  const cycle = markCycle(edges, next);
  return { nodes, edges, cycle };
}

/** One line of a deadlock's report (a ReaderError): the thread, its line, and for a task what it waits on. */
export interface DeadlockEntry {
  thread?: string;
  line?: number;
  task?: ReaderError['task'];
}

/** The graph of a deadlock: its tasks' when the report names what they wait on, else its threads' from the trace. */
export function deadlockGraph(events: TraceEvent[], deadlocked: DeadlockEntry[]): WaitForGraph {
  const tasks = deadlocked.flatMap((d) => (d.task ? [{ task: d.task.name, ...(d.line ? { line: d.line } : {}), ...(d.task.waitsOn ? { waitsOn: d.task.waitsOn } : {}) }] : []));
  const graph = tasks.length > 0 ? taskWaitForGraph(tasks) : undefined;
  return graph && graph.edges.length > 0 ? graph : waitForGraph(cutAtDeadlock(events, deadlocked));
}

/**
 * The wait-for graph as SVG: threads in a ring, each waited-on object between its waiter and its holder.
 * `width`: the room it has (at least 320): a phone's example is ~350 px wide, and a 640 px drawing showed only its
 * left half, the second thread of a two-thread deadlock out of sight.
 */
export function renderWaitForSvg(graph: WaitForGraph, labels: Map<string, string> = new Map(), room = 640): string {
  const threads = graph.nodes.filter((n) => n.kind === 'thread');
  const objects = graph.nodes.filter((n) => n.kind === 'object');
  const width = Math.max(320, Math.min(640, Math.floor(room)));
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
    `<svg xmlns="http://www.w3.org/2000/svg" class="wf-svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="group" aria-label="${escapeHtml(describeWaitFor(graph, labels))}">`,
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
      // An edge from a node to itself has no direction: it leaves from the centre (no NaN in the SVG).
      const r = Math.min(c > 0 ? rx / c : Infinity, sn > 0 ? ry / sn : Infinity);
      return Number.isFinite(r) ? r : 0;
    };
    const s = shrink(a, b, radius(e.from, b.x - a.x, b.y - a.y));
    const t = shrink(b, a, radius(e.to, b.x - a.x, b.y - a.y));
    const label = `${e.label}${e.line ? ` (line ${e.line})` : ''}`;
    // In a narrow drawing a label reads outwards from its edge's middle, away from the centre: two edges side by side
    // (a lock between its waiter and its holder) had their labels run into each other. A wide one centres it.
    const mid = { x: (s.x + t.x) / 2, y: (s.y + t.y) / 2 };
    const anchor = width >= 560 ? 'middle' : mid.x < cx - 10 ? 'end' : mid.x > cx + 10 ? 'start' : 'middle';
    if (anchor === 'end') mid.x += 6;
    else if (anchor === 'start') mid.x -= 6;
    const line = `x1="${s.x.toFixed(1)}" y1="${s.y.toFixed(1)}" x2="${t.x.toFixed(1)}" y2="${t.y.toFixed(1)}"`;
    const drawn =
      // A link's wide invisible stroke under the thin one: the edge is easy to point at.
      (e.line ? `<line ${line} class="wf-hit-area"/>` : '') +
      `<line ${line} class="wf-edge${e.inCycle ? ' wf-edge--cycle' : ''}" marker-end="url(#wf-arrow)"/>` +
      `<text x="${mid.x.toFixed(1)}" y="${(mid.y - 6).toFixed(1)}" text-anchor="${anchor}" class="wf-edge-label">${escapeHtml(label)}</text>`;
    // An edge with a line is a link to it: a page moves the editor's cursor there (timeline-view.ts).
    parts.push(e.line ? `<g class="wf-hit" data-line="${e.line}" tabindex="0" role="button" aria-label="${escapeHtml(edgeName(graph, e, labels))}">${drawn}</g>` : drawn);
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

/**
 * An edge as a link's name: its visible label first (WCAG 2.5.3, label in name), then the sentence it stands for:
 * "waits for (line 19): main waits for lock B at line 19. Show the line".
 */
function edgeName(graph: WaitForGraph, edge: WaitForGraph['edges'][number], labels: Map<string, string>): string {
  const label = (id: string) => labels.get(id) ?? graph.nodes.find((n) => n.id === id)?.label ?? id;
  const what =
    edge.label === 'held by'
      ? `${label(edge.from)} is held by ${label(edge.to)}, locked at line ${edge.line}`
      : edge.label === 'waits to join'
        ? `${label(edge.from)} waits at line ${edge.line} to join ${label(edge.to)}`
        : `${label(edge.from)} waits for ${label(edge.to)} at line ${edge.line}`;
  return `${edge.label} (line ${edge.line}): ${what}. Show the line`;
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

