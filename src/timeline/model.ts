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
 * Tasks (weft/task) get rows of their own under their thread's lane, as
 * tokio-console lists them: the task's life from spawn to end, each poll a
 * span on it (the gaps are its awaits), a poll that made a blocking call
 * marked as such (it is one long bar while the thread's other tasks wait),
 * and a summary (polls, busy, idle) for hover.
 * Every drawn event carries an index into `model.events`, so a view can say
 * what it is and where it came from. The SVG, the table and the legend are
 * svg.ts; the wait-for graph wait-for.ts; the CLI's page standalone.ts.
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

export interface TaskRow {
  thread: number;
  /** The task's id on its thread's executor. */
  id: number;
  name: string;
  from: number;
  to: number;
  /** The event a view points at for the row: its task-exit, else its spawn, else its first poll. */
  event: number;
  /** Polls, busy and idle time, how it ended: what tokio-console's task list shows. */
  summary: string;
}

/** At most this many tasks get a row of their own on a thread; the rest share one row. */
export const TASK_ROWS = 12;

export interface TimelineModel {
  events: TimelineEvent[];
  lanes: Array<{ threadId: number; name: string; from: number; to: number }>;
  blocked: Array<Span & { on: string; forever: boolean }>;
  holds: Array<Span & { lock: number }>;
  /** Lock names by index: "lock A", ... (colour = index). */
  locks: string[];
  arrows: Array<{ kind: 'message' | 'spawn' | 'join'; fromThread: number; fromTime: number; toThread: number; toTime: number; event: number }>;
  marks: Array<{ kind: 'console' | 'task' | 'warning' | 'event'; thread: number; time: number; event: number }>;
  /** weft/task's tasks, each a row under its thread's lane: its life from spawn to end (or to the run's end). */
  tasks: TaskRow[];
  /** Each poll of a task (with RunOptions.tracePolls): a span on its task's row. */
  polls: Array<Span & { task: number; blocking: boolean }>;
  /** Where things are across: µs, or under a seed the event's place in order (spans and marks use it). */
  start: number;
  end: number;
  /** Labelled ticks for the time axis, over the whole run (a view that shows part of it asks axisFor). */
  axis: Array<{ at: number; label: string }>;
  /** Under a seed, the scheduler's step at each slot across (what the axis labels say). */
  steps: number[];
  virtual: boolean;
  dropped: number;
}

const letters = (n: number): string => (n < 26 ? String.fromCharCode(65 + n) : `${letters(Math.floor(n / 26) - 1)}${String.fromCharCode(65 + (n % 26))}`);

/**
 * How a wait names what it waits on when nothing else in the trace does: the
 * object's number among the objects of its kind, and how many there are (a
 * lone pool is "the thread pool"). A lock, a channel and a joined thread are
 * named by their own events.
 */
const WAIT_NAMES: Record<string, ((n: number, of: number) => string) | undefined> = {
  condvar: (n) => `condvar ${n}`,
  barrier: (n) => `barrier ${n}`,
  once: (n) => `once ${n}`,
  'par-job': (n, of) => (of === 1 ? 'the thread pool' : `thread pool ${n}`),
  'par-idle': () => 'new work for the pool',
  'par-lent': () => 'its place in the pool back (another thread runs install there)',
  'thread-slot': () => 'a free place in the thread table',
  // park()'s wait object is the parked thread's own slot: it waits for an unpark, not for a thread.
  park: () => 'an unpark',
};

/** Names the primitives of a trace the way a reader can follow: locks A, B, ...; channels 1, 2, ... */
export function objectNames(events: TraceEvent[]): { lockIndex: Map<number, number>; name: (e: TraceEvent) => string } {
  const lockIndex = new Map<number, number>();
  const channels = new Map<number, number>();
  // What a thread blocked on, by the kind of wait, for objects no lock, send or recv event names
  // (a channel nobody has used yet, a Condvar, a pool): "condvar 1", "the thread pool".
  const waited = new Map<string, Map<number, number>>();
  for (const e of events) {
    if (e.kind === 'lock' && !lockIndex.has(e.object)) lockIndex.set(e.object, lockIndex.size);
    if ((e.kind === 'send' || e.kind === 'recv' || (e.kind === 'block' && (e.waitKind === 'channel-recv' || e.waitKind === 'channel-send'))) && !channels.has(e.object)) {
      channels.set(e.object, channels.size + 1);
    }
    if (e.kind === 'block' && e.waitKind !== undefined) {
      if (WAIT_NAMES[e.waitKind] === undefined) continue;
      let ids = waited.get(e.waitKind);
      if (ids === undefined) waited.set(e.waitKind, (ids = new Map()));
      if (!ids.has(e.object)) ids.set(e.object, ids.size + 1);
    }
  }
  // Each waited-on object's name, for its blocks and its wakes alike.
  const waitedName = new Map<number, string>();
  for (const [kind, ids] of waited) for (const [object, n] of ids) waitedName.set(object, WAIT_NAMES[kind]!(n, ids.size));
  const byWait = (e: TraceEvent): string | undefined => (e.kind === 'block' || e.kind === 'wake' ? waitedName.get(e.object) : undefined);
  const threadNames = new Map<number, string>();
  for (const e of events) if (!threadNames.has(e.threadId)) threadNames.set(e.threadId, e.thread);
  const thread = (id: number) => threadNames.get(id) ?? `thread ${id}`;
  // A block whose wait is a join names the joined thread (its object is that thread's id), and so does its wake.
  const joining = new Set<string>();
  for (const e of events) if (e.kind === 'block' && e.waitKind === 'join') joining.add(`${e.threadId}:${e.object}`);
  const name = (e: TraceEvent): string => {
    if ((e.kind === 'block' || e.kind === 'wake') && joining.has(`${e.threadId}:${e.object}`) && !lockIndex.has(e.object) && !channels.has(e.object)) return thread(e.object);
    switch (e.kind) {
      case 'spawn':
      case 'join':
      case 'unpark':
        return thread(e.object);
      case 'task-spawn':
      case 'task-exit':
      case 'task-blocking':
      case 'held-across-await':
      case 'task-poll':
      case 'oneshot-send':
        return e.object === 0 ? 'main task' : `task ${e.object}`;
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
        return byWait(e) ?? `object @${e.object}`;
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
  'task-poll': 'polled',
  'par-atomic': 'changed, in parallel work,',
  'oneshot-send': 'answered on a oneshot, from',
  call: 'called an exported function',
  closed: 'found closed',
  unpark: 'unparked',
  'task-timer': 'started a timer in',
  'par-piece': 'ran a piece of a parallel iterator',
  'read-items': 'read items of',
};

export function buildTimeline(input: TimelineInput): TimelineModel {
  // `call`, `par-piece`, `task-timer` and `read-items` events are for exercise checks (where a function ran, what a
  // piece of work returned, when a sleep began, how much of a RwLock's data a thread read), not for the timeline.
  const trace = input.events.filter((e) => e.kind !== 'call' && e.kind !== 'par-piece' && e.kind !== 'task-timer' && e.kind !== 'read-items').sort((a, b) => a.time - b.time || a.seq - b.seq);
  const { lockIndex, name } = objectNames(trace);
  const model: TimelineModel = {
    events: [],
    lanes: [],
    blocked: [],
    holds: [],
    locks: [...lockIndex.keys()].map((_, i) => `lock ${letters(i)}`),
    arrows: [],
    marks: [],
    tasks: [],
    polls: [],
    start: 0,
    end: 0,
    axis: [],
    steps: [],
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
  if (input.virtual) model.steps = times;
  model.axis = axisFor(model, model.start, model.end, 8);

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
  // Keyed by thread and lock together (a number: thread ids are small, lock addresses fit in 32 bits).
  const holdKey = (thread: number, lock: number) => thread * 2 ** 32 + (lock >>> 0);
  const openHold = new Map<number, { from: number; event: number; lock: number; thread: number }>();
  const sends = new Map<number, Array<{ thread: number; time: number }>>();
  const recvCount = new Map<number, number>();
  const exits = new Map<number, number>();
  const spawnedAt = new Map<number, { thread: number; time: number; event: number }>();
  const tasks = new Map<string, TaskSeen>();
  const task = (e: TraceEvent, at: number): TaskSeen => {
    const key = `${e.threadId}:${e.object}`;
    let t = tasks.get(key);
    if (!t) {
      t = { thread: e.threadId, id: e.object, from: at, polls: [], lastBlocking: -1 };
      tasks.set(key, t);
    }
    return t;
  };
  // Under a seed a poll's beginning is a place in the order of events: the first event recorded once it began.
  const slots = input.virtual ? items.flatMap((item, i) => ('trace' in item ? [{ seq: item.trace.seq, at: across[i]! }] : [])).sort((a, b) => a.seq - b.seq) : [];
  const slotOf = (seq: number, fallback: number): number => {
    let lo = 0;
    let hi = slots.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (slots[mid]!.seq < seq) lo = mid + 1;
      else hi = mid;
    }
    return Math.min(fallback, slots[lo]?.at ?? fallback);
  };

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
      what = `${object} ended (${e.task.outcome}): ${e.task.polls} polls, ${e.task.wakes} wakes${input.virtual ? '' : `, busy ${formatTime(e.task.busyMicros, false)}`}`;
    }
    let poll: { from: number; blocking: boolean } | undefined;
    if (e.kind === 'task-poll') {
      const t = task(e, at);
      const from = e.poll ? (input.virtual ? slotOf(e.poll.fromSeq, at) : Math.min(at, Math.max(model.start, e.poll.from))) : at;
      const blocking = e.poll !== undefined && t.lastBlocking >= e.poll.fromSeq;
      poll = { from, blocking };
      const took = input.virtual ? '' : ` for ${formatTime(e.time - (e.poll?.from ?? e.time), false)}`;
      what = `${VERB[e.kind]} ${object}${took}${e.line ? ' until it awaited' : ', to its end'}${blocking ? '; it made a blocking call, and the thread’s other tasks could not run meanwhile' : ''}`;
    }
    const event: TimelineEvent = { time: e.time, thread: e.thread, threadId: e.threadId, what, object };
    if (e.line) event.line = e.line;
    if (e.column) event.column = e.column;
    model.events.push(event);
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
        openHold.set(holdKey(e.threadId, e.object), { from: at, event: index, lock: lockIndex.get(e.object)!, thread: e.threadId });
        break;
      case 'unlock': {
        const key = holdKey(e.threadId, e.object);
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
      case 'task-spawn': {
        const t = task(e, at);
        t.spawn = { event: index, time: e.time, clockMs: e.clockMs };
        model.marks.push({ kind: 'task', thread: e.threadId, time: at, event: index });
        break;
      }
      case 'task-exit': {
        const t = task(e, at);
        t.exit = { event: index, at, time: e.time, clockMs: e.clockMs, ...(e.task ? { counters: e.task } : {}) };
        model.marks.push({ kind: 'task', thread: e.threadId, time: at, event: index });
        break;
      }
      case 'task-poll':
        task(e, at).polls.push({ from: poll!.from, to: at, event: index, blocking: poll!.blocking, micros: e.time - (e.poll?.from ?? e.time) });
        break;
      case 'task-blocking':
        task(e, at).lastBlocking = e.seq;
        model.marks.push({ kind: 'warning', thread: e.threadId, time: at, event: index });
        break;
      case 'held-across-await':
        model.marks.push({ kind: 'warning', thread: e.threadId, time: at, event: index });
        break;
    }
  }
  addTasks(model, tasks);
  for (const [thread, open] of openBlock) model.blocked.push({ thread, from: open.from, to: model.end, event: open.event, on: open.on, forever: true });
  for (const open of openHold.values()) model.holds.push({ thread: open.thread, from: open.from, to: model.end, event: open.event, lock: open.lock });
  // A spawned thread's lane starts at its spawn.
  for (const [id, s] of spawnedAt) {
    const l = lanes.get(id);
    if (l) l.from = Math.min(l.from, s.time);
  }
  model.lanes = [...lanes.values()].sort((a, b) => a.threadId - b.threadId);
  return model;
}

/** What the pass over the events gathers of one task. */
interface TaskSeen {
  thread: number;
  id: number;
  /** Where its row begins: its spawn, else its first poll. */
  from: number;
  spawn?: { event: number; time: number; clockMs: number | undefined };
  exit?: { event: number; at: number; time: number; clockMs: number | undefined; counters?: NonNullable<TraceEvent['task']> };
  polls: Array<{ from: number; to: number; event: number; blocking: boolean; micros: number }>;
  /** The seq of its last blocking call, to tell which poll made it. */
  lastBlocking: number;
}

/** The tasks' rows and polls, in the order they were spawned on each thread, with tokio-console's summary. */
function addTasks(model: TimelineModel, tasks: Map<string, TaskSeen>): void {
  const seen = [...tasks.values()].filter((t) => t.spawn || t.exit || t.polls.length > 0);
  seen.sort((a, b) => a.thread - b.thread || a.from - b.from || a.id - b.id);
  for (const t of seen) {
    const row = model.tasks.length;
    const from = Math.min(t.from, ...t.polls.slice(0, 1).map((p) => p.from));
    const to = t.exit ? t.exit.at : model.end;
    const polls = t.exit?.counters?.polls ?? t.polls.length;
    const parts = [`${polls} poll${polls === 1 ? '' : 's'}`];
    if (model.virtual) {
      // Under a seed busy time is not recorded (it would not replay); the task's clock is virtual.
      const start = t.spawn?.clockMs;
      const end = t.exit?.clockMs;
      if (t.exit?.counters) parts.push(`${t.exit.counters.wakes} wake${t.exit.counters.wakes === 1 ? '' : 's'}`);
      if (start !== undefined && end !== undefined) parts.push(`lived ${end - start} ms of virtual time`);
    } else {
      const busy = t.exit?.counters?.busyMicros ?? t.polls.reduce((sum, p) => sum + p.micros, 0);
      const lifetime = (t.exit?.time ?? model.events[model.events.length - 1]?.time ?? 0) - (t.spawn?.time ?? model.events[t.polls[0]?.event ?? 0]?.time ?? 0);
      parts.push(`busy ${formatTime(busy, false)}`, `idle ${formatTime(Math.max(0, lifetime - busy), false)}`);
    }
    const ending = t.exit?.counters ? `ended ${t.exit.counters.outcome === 'ok' ? 'ok' : `by ${t.exit.counters.outcome === 'panic' ? 'a panic' : 'cancellation'}`}` : 'had not ended when the run did';
    const blocking = t.polls.filter((p) => p.blocking).length;
    if (blocking > 0) parts.push(`${blocking} poll${blocking === 1 ? '' : 's'} with a blocking call`);
    // Task 0 is the future blockOn or an async main runs (weft/task/runtime.ts); spawned tasks count from 1, as in Tokio.
    const name = t.id === 0 ? 'main task' : `task ${t.id}`;
    model.tasks.push({ thread: t.thread, id: t.id, name, from, to, event: t.exit?.event ?? t.spawn?.event ?? t.polls[0]!.event, summary: `${name}: ${parts.join(', ')}; ${ending}` });
    for (const p of t.polls) model.polls.push({ thread: t.thread, from: p.from, to: p.to, event: p.event, task: row, blocking: p.blocking });
  }
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

/** Labelled ticks for the part of the run between `from` and `to` (across), about `count` of them. */
export function axisFor(model: Pick<TimelineModel, 'virtual' | 'steps'>, from: number, to: number, count: number): Array<{ at: number; label: string }> {
  return axisTicks(from, to, count).map((at) => ({
    at,
    label: model.virtual ? `step ${model.steps[Math.min(at, model.steps.length - 1)] ?? 0}` : formatTime(at, false),
  }));
}

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

