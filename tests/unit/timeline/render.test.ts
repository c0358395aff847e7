// The timeline's pure renderer: from trace events to a model, SVG, a table
// and a wait-for graph, with no DOM (the page and the CLI share it).
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/runner/events.ts';
import { buildTimeline, cutAtDeadlock } from '../../../src/timeline/model.ts';
import { renderTable, renderTimelineSvg } from '../../../src/timeline/svg.ts';
import { deadlockGraph, describeWaitFor, renderWaitForSvg, waitForGraph } from '../../../src/timeline/wait-for.ts';

let seq = 0;
const ev = (time: number, thread: string, threadId: number, kind: TraceEvent['kind'], object: number, line?: number): TraceEvent => ({
  seq: seq++,
  kind,
  thread,
  threadId,
  object,
  time,
  ...(line ? { line } : {}),
});

// The chapter's lock-order deadlock as the seeded scheduler traced it (seed 1), plus the unwinding after the stop.
seq = 0;
const lockOrder: TraceEvent[] = [
  ev(0, 'main', 1, 'spawn', 2, 10),
  ev(3, 'main', 1, 'lock', 400, 16),
  ev(3, 'main', 1, 'block', 640, 17),
  ev(4, 'thread 2', 2, 'lock', 520, 11),
  ev(5, 'thread 2', 2, 'block', 400, 13),
  ev(6, 'main', 1, 'wake', 640, 17),
  ev(7, 'main', 1, 'block', 520, 19),
  ev(8, 'thread 2', 2, 'wake', 400, 13),
  ev(8, 'thread 2', 2, 'unlock', 520, 13),
  ev(9, 'thread 2', 2, 'exit', 0),
];
const deadlockErrors = [
  { thread: 'main', line: 19 },
  { thread: 'thread 2', line: 13 },
];

describe('timeline model', () => {
  it('has one lane per thread, lock holds coloured per lock, and blocked spans naming what they wait on', () => {
    const model = buildTimeline({ events: cutAtDeadlock(lockOrder, deadlockErrors), virtual: true });
    expect(model.lanes.map((l) => l.name)).toEqual(['main', 'thread 2']);
    expect(model.locks).toEqual(['lock A', 'lock B']);
    expect(model.holds.map((h) => [model.lanes.find((l) => l.threadId === h.thread)!.name, model.locks[h.lock]])).toEqual([
      ['main', 'lock A'],
      ['thread 2', 'lock B'],
    ]);
    const forever = model.blocked.filter((b) => b.forever).map((b) => b.on).sort();
    expect(forever).toEqual(['lock A', 'lock B']);
    // The spawn is an arrow from main's lane to thread 2's.
    expect(model.arrows).toEqual([expect.objectContaining({ kind: 'spawn', fromThread: 1, toThread: 2 })]);
  });

  it('drops what the threads did while unwinding after a deadlock was found', () => {
    const cut = cutAtDeadlock(lockOrder, deadlockErrors);
    expect(cut.map((e) => e.kind)).not.toContain('exit');
    expect(cut).toHaveLength(7);
  });

  it('joins each receive to the send whose message it took, in channel order', () => {
    seq = 0;
    const events = [
      ev(10, 'main', 1, 'spawn', 2, 3),
      ev(20, 'thread 2', 2, 'send', 900, 5),
      ev(25, 'thread 2', 2, 'send', 900, 6),
      ev(30, 'main', 1, 'recv', 900, 8),
      ev(40, 'main', 1, 'recv', 900, 9),
      ev(50, 'main', 1, 'join', 2, 10),
    ];
    const model = buildTimeline({ events, virtual: false });
    const messages = model.arrows.filter((a) => a.kind === 'message');
    expect(messages.map((m) => [m.fromTime, m.toTime])).toEqual([
      [20, 30],
      [25, 40],
    ]);
    expect(model.events[3]!.what).toBe('received from channel 1');
  });

  it('names the thread a join waits for', () => {
    seq = 0;
    const events = [ev(0, 'main', 1, 'spawn', 2, 3), { ...ev(5, 'main', 1, 'block', 2, 9), waitKind: 'join' }, ev(6, 'thread 2', 2, 'exit', 0), ev(7, 'main', 1, 'wake', 2, 9), ev(8, 'main', 1, 'join', 2, 9)];
    const model = buildTimeline({ events, virtual: false });
    expect(model.events.map((e) => e.what)).toEqual(['spawned thread 2', 'blocked on thread 2', 'exited', 'woke from thread 2', 'joined thread 2']);
    expect(model.blocked).toEqual([expect.objectContaining({ on: 'thread 2' })]);
  });

  it('puts console lines on their thread in time order, with their line', () => {
    seq = 0;
    const model = buildTimeline({
      events: [ev(0, 'main', 1, 'spawn', 2, 3), ev(10, 'main', 1, 'join', 2, 9)],
      console: [{ thread: 'thread 2', threadId: 2, text: 'hello', time: 5, line: 4 }],
      virtual: false,
    });
    expect(model.events.map((e) => e.what)).toEqual(['spawned thread 2', 'printed “hello”', 'joined thread 2']);
    expect(model.marks).toEqual([expect.objectContaining({ kind: 'console', thread: 2 })]);
  });
});

describe('tasks', () => {
  // A thread running three tasks in real time (µs): task 2's second poll makes a blocking call and starves task 1.
  const poll = (time: number, task: number, from: number, line?: number): TraceEvent => ({ ...ev(time, 'main', 1, 'task-poll', task, line), poll: { fromSeq: seq - 1, from } });
  const tasksRun = (): TraceEvent[] => {
    seq = 0;
    const events: TraceEvent[] = [];
    const push = (e: TraceEvent) => events.push(e);
    push({ ...ev(0, 'main', 1, 'task-spawn', 1, 4), clockMs: 0 });
    push({ ...ev(1, 'main', 1, 'task-spawn', 2, 5), clockMs: 0 });
    push(poll(10, 1, 5, 7));
    push(poll(14, 2, 11, 9));
    push(ev(30, 'main', 1, 'task-blocking', 2, 10));
    push(ev(30, 'main', 1, 'block', 55, 10));
    push(ev(5030, 'main', 1, 'wake', 55, 10));
    const fromSeq = seq - 3;
    push({ ...ev(5031, 'main', 1, 'task-poll', 2, undefined), poll: { fromSeq, from: 20 } });
    push({ ...ev(5031, 'main', 1, 'task-exit', 2, 10), task: { polls: 2, wakes: 1, busyMicros: 5014, outcome: 'ok' }, clockMs: 5 });
    push(poll(5040, 1, 5035));
    push({ ...ev(5040, 'main', 1, 'task-exit', 1, 7), task: { polls: 2, wakes: 1, busyMicros: 10, outcome: 'ok' }, clockMs: 5 });
    return events;
  };

  it('gives each task a row under its thread, its polls as spans and the blocking one marked, with a summary', () => {
    const model = buildTimeline({ events: tasksRun(), virtual: false });
    expect(model.lanes.map((l) => l.name)).toEqual(['main']);
    expect(model.tasks.map((t) => t.name)).toEqual(['task 1', 'task 2']);
    expect(model.polls.map((p) => [model.tasks[p.task]!.name, p.from, p.to, p.blocking])).toEqual([
      ['task 1', 5, 10, false],
      ['task 1', 5035, 5040, false],
      ['task 2', 11, 14, false],
      ['task 2', 20, 5031, true],
    ]);
    expect(model.tasks[0]!.summary).toBe('task 1: 2 polls, busy 10 µs, idle 5.03 ms; ended ok');
    expect(model.tasks[1]!.summary).toBe('task 2: 2 polls, busy 5.01 ms, idle 16 µs, 1 poll with a blocking call; ended ok');
    const blocking = model.events[model.polls[3]!.event]!;
    expect(blocking.what).toBe('polled task 2 for 5.01 ms, to its end; it made a blocking call, and the thread’s other tasks could not run meanwhile');
    const svg = renderTimelineSvg(model);
    expect(svg.match(/class="tl-poll tl-poll--blocking"/g)).toHaveLength(1);
    expect(svg.match(/class="tl-poll"/g)).toHaveLength(3);
    expect(svg).toContain('aria-label="task 2: 2 polls, busy 5.01 ms, idle 16 µs, 1 poll with a blocking call; ended ok"');
    expect(svg).toContain('>task 1</text>');
  });

  it('under a seed, a poll spans the events recorded while it ran, and the summary gives virtual time, not busy time', () => {
    const model = buildTimeline({ events: tasksRun(), virtual: true });
    const blocking = model.polls.find((p) => p.blocking)!;
    // From the first event recorded after it began (the task-blocking) to its own end: three events inside.
    expect(model.events[blocking.from]!.what).toBe('made a blocking call in task 2');
    expect(blocking.to - blocking.from).toBe(3);
    expect(model.tasks[1]!.summary).toBe('task 2: 2 polls, 1 wake, lived 5 ms of virtual time, 1 poll with a blocking call; ended ok');
  });

  it('gives the first 12 tasks of a thread a row each, and the rest one shared row', () => {
    seq = 0;
    const events: TraceEvent[] = [];
    for (let id = 1; id <= 20; id++) events.push({ ...ev(id, 'main', 1, 'task-spawn', id, 3), clockMs: 0 });
    for (let id = 1; id <= 20; id++) events.push(poll(100 + id, id, 99 + id, 4));
    const model = buildTimeline({ events, virtual: false });
    expect(model.tasks).toHaveLength(20);
    const svg = renderTimelineSvg(model);
    expect(svg.match(/class="tl-task-name"/g)).toHaveLength(13);
    expect(svg).toContain('>8 more tasks</text>');
    // Each own row's poll is drawn; on the shared row the eight touching polls are one shape that says so.
    expect(svg.match(/class="tl-poll"/g)).toHaveLength(13);
    expect(svg).toContain('and 7 more here: zoom in to tell them apart');
  });

  it('draws only what is in range, and shapes too close to tell apart as one', () => {
    seq = 0;
    const events: TraceEvent[] = [];
    for (let i = 0; i < 1000; i++) events.push(ev(i * 10, 'main', 1, i % 2 === 0 ? 'lock' : 'unlock', 400, 5));
    const model = buildTimeline({ events, virtual: false });
    // 500 holds of lock A in 900 px, one per 1.6 px: they touch, and are one band that says how many it is.
    const all = renderTimelineSvg(model, 900);
    expect(all.match(/class="tl-hold /g)).toHaveLength(1);
    expect(all).toContain('main locked lock A, line 5; and 499 more here: zoom in to tell them apart');
    // Wide enough to tell each hold from the next (20 px apart): every one drawn.
    expect(renderTimelineSvg(model, 10_000).match(/class="tl-hold /g)).toHaveLength(500);
    // Only the part in range: the first tenth of the plot.
    const part = renderTimelineSvg(model, 10_000, new Set(), { from: 0, to: 110 + 988 });
    expect(part.match(/class="tl-hold /g)!.length).toBeGreaterThan(40);
    expect(part.match(/class="tl-hold /g)!.length).toBeLessThan(60);
  });
});

describe('rendering', () => {
  const model = buildTimeline({ events: cutAtDeadlock(lockOrder, deadlockErrors), console: [{ thread: 'main', threadId: 1, text: '<b>&', time: 6, line: 18 }], virtual: true });

  it("starts the axis's first label at the plot's left edge, not under the lane names (a replay's timeline read 'ep 0')", () => {
    const svg = renderTimelineSvg(model);
    const ticks = [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+" text-anchor="(\w+)" class="tl-tick">([^<]*)<\/text>/g)].map((m) => ({ x: Number(m[1]), anchor: m[2], label: m[3] }));
    expect(ticks[0]).toMatchObject({ label: 'step 0', anchor: 'start' });
    // The lane names' background ends at x = 104: the label begins right of it.
    expect(ticks[0]!.x).toBeGreaterThanOrEqual(104);
    expect(ticks.slice(1).every((t) => t.anchor === 'middle')).toBe(true);
  });

  it('draws SVG whose marks name their event and line, with exactly one in the tab order', () => {
    const svg = renderTimelineSvg(model);
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('aria-label="step 5, thread 2 blocked on lock A, line 13"');
    expect(svg.match(/tabindex="0"/g)).toHaveLength(1);
    // The reader's text is escaped, never markup.
    expect(svg).toContain('printed “&lt;b&gt;&amp;”');
    expect(svg).not.toContain('<b>');
  });

  it('marks the evidence a failed check points at: a ring on its lane for each event, labelled, and its table rows', () => {
    // The events at line 13: thread 2 blocks on lock A there (the run is cut where it deadlocked).
    const evidence = new Set(model.events.flatMap((e, i) => (e.line === 13 ? [i] : [])));
    expect(evidence.size).toBeGreaterThan(0);
    const svg = renderTimelineSvg(model, 900, evidence);
    expect(svg.match(/class="tl-evidence-ring"/g)).toHaveLength(evidence.size);
    expect(svg).toContain('aria-label="Evidence: step 5, thread 2 blocked on lock A, line 13"');
    expect(renderTimelineSvg(model)).not.toContain('tl-evidence');
    const rows = renderTable(model, evidence).match(/<tr data-event="\d+" class="tl-evidence-row">.*?<\/tr>/g) ?? [];
    expect(rows).toHaveLength(evidence.size);
    for (const row of rows) expect(row).toContain('line 13');
  });

  it('lists the same events in a table of time, thread, event, object and line', () => {
    const table = renderTable(model);
    expect(table).toContain('<th scope="col">Time</th><th scope="col">Thread</th><th scope="col">Event</th><th scope="col">Object</th><th scope="col">Line</th>');
    expect(table.match(/<tr data-event=/g)).toHaveLength(model.events.length);
    expect(table).toContain('<td>step 7</td><td>main</td><td>blocked on lock B</td><td>lock B</td>');
  });
});

describe('wait-for graph', () => {
  it('names each waiting thread, the lock it waits on, its holder and both lines, and finds the cycle', () => {
    const graph = waitForGraph(cutAtDeadlock(lockOrder, deadlockErrors));
    expect(describeWaitFor(graph)).toBe(
      'thread 2 waits at line 13 for lock A, held by main (locked at line 16); main waits at line 19 for lock B, held by thread 2 (locked at line 11). The cycle: thread 2 → main → thread 2.',
    );
    expect(graph.edges.every((e) => e.inCycle)).toBe(true);
  });

  it('fits a narrow room: on a phone every thread and lock of the graph is inside the drawing', () => {
    // A 640 px drawing in a 350 px example showed main and the two locks' left halves; thread 2 was out of sight.
    const svg = renderWaitForSvg(waitForGraph(cutAtDeadlock(lockOrder, deadlockErrors)), new Map(), 350);
    const width = Number(/viewBox="0 0 (\d+)/.exec(svg)![1]);
    expect(width).toBeLessThanOrEqual(350);
    const spans = [
      ...[...svg.matchAll(/<ellipse cx="([\d.-]+)"[^>]* rx="(\d+)"/g)].map((m) => [Number(m[1]) - Number(m[2]), Number(m[1]) + Number(m[2])]),
      ...[...svg.matchAll(/<rect x="([\d.-]+)"[^>]* width="(\d+)"[^>]*class="wf-object"/g)].map((m) => [Number(m[1]), Number(m[1]) + Number(m[2])]),
    ];
    expect(spans).toHaveLength(4);
    for (const [left, right] of spans) {
      expect(left).toBeGreaterThanOrEqual(0);
      expect(right).toBeLessThanOrEqual(width);
    }
  });

  it('makes each edge with a line a link to it, named for what it shows', () => {
    const svg = renderWaitForSvg(waitForGraph(cutAtDeadlock(lockOrder, deadlockErrors)));
    const links = [...svg.matchAll(/<g class="wf-hit" data-line="(\d+)" tabindex="0" role="button" aria-label="([^"]*)">/g)].map((m) => [Number(m[1]), m[2]]);
    expect(links).toEqual(
      expect.arrayContaining([
        [13, 'waits for (line 13): thread 2 waits for lock A at line 13. Show the line'],
        [16, 'held by (line 16): lock A is held by main, locked at line 16. Show the line'],
        [19, 'waits for (line 19): main waits for lock B at line 19. Show the line'],
        [11, 'held by (line 11): lock B is held by thread 2, locked at line 11. Show the line'],
      ]),
    );
    expect(links).toHaveLength(4);
  });

  it('draws a deadlock of tasks from its report: the async locks, their holders and lines, the join, and the cycle', () => {
    const graph = deadlockGraph(
      [],
      [
        { thread: 'main', line: 18, task: { name: "task 'main'", waitsOn: { object: 'task 1', kind: 'join' } } },
        { thread: 'main', line: 9, task: { name: 'task 1', waitsOn: { object: 'async Mutex 2', kind: 'lock', holder: { task: 'task 2', line: 13 } } } },
        { thread: 'main', line: 15, task: { name: 'task 2', waitsOn: { object: 'async Mutex 1', kind: 'lock', holder: { task: 'task 1', line: 7 } } } },
      ],
    );
    expect(describeWaitFor(graph)).toBe(
      "task 'main' waits at line 18 to join task 1; task 1 waits at line 9 for async Mutex 2, held by task 2 (locked at line 13); task 2 waits at line 15 for async Mutex 1, held by task 1 (locked at line 7). The cycle: task 1 → task 2 → task 1.",
    );
    // The join is not part of the cycle; the four lock edges are.
    expect(graph.edges.filter((e) => e.inCycle)).toHaveLength(4);
    expect(renderWaitForSvg(graph).match(/class="wf-hit"/g)).toHaveLength(5);
  });

  it('has no edges when nothing was left waiting', () => {
    seq = 0;
    const graph = waitForGraph([ev(0, 'main', 1, 'lock', 4, 2), ev(1, 'main', 1, 'unlock', 4, 3)]);
    expect(graph.edges).toEqual([]);
    expect(graph.cycle).toEqual([]);
  });

  it('a join on a blocked thread waits for that thread', () => {
    seq = 0;
    const graph = waitForGraph([
      ev(0, 'main', 1, 'spawn', 2, 2),
      ev(1, 'main', 1, 'block', 2, 5),
      ev(2, 'thread 2', 2, 'lock', 300, 3),
      ev(3, 'thread 2', 2, 'block', 777, 4),
    ]);
    expect(describeWaitFor(graph)).toBe('main waits at line 5 to join thread 2; thread 2 waits at line 4 for object @777.');
  });

  it('names what a thread waits for by the kind of wait when no lock, send or receive names it', () => {
    // Chapter 07's pool.join on a pool of one thread: main waits for the pool, its one worker for a channel nobody has used yet.
    seq = 0;
    const block = (time: number, thread: string, threadId: number, object: number, line: number, waitKind: string) => ({ ...ev(time, thread, threadId, 'block', object, line), waitKind });
    const graph = waitForGraph([
      ev(0, 'main', 1, 'spawn', 2, 8),
      block(1, 'main', 1, 278808, 8, 'par-job'),
      block(2, 'par-worker-1', 2, 1200, 9, 'channel-recv'),
    ]);
    expect(describeWaitFor(graph)).toBe('main waits at line 8 for the thread pool; par-worker-1 waits at line 9 for channel 1.');
    // A Condvar, a Barrier; and an idle pool worker, whose wait's object is its own thread id: not a join of itself.
    seq = 0;
    const more = waitForGraph([
      block(0, 'main', 1, 5000, 4, 'condvar'),
      block(1, 'thread 2', 2, 6000, 7, 'barrier'),
      block(2, 'par-worker-1', 3, 3, 0, 'par-idle'),
    ]);
    expect(describeWaitFor(more)).toBe('main waits at line 4 for condvar 1; thread 2 waits at line 7 for barrier 1; par-worker-1 waits for new work for the pool.');
  });

  it('a parked thread waits for an unpark, not to join itself (chapter 1, unpark deleted)', () => {
    // park()'s wait object is the parked thread's own slot, as a join's is the joined thread's.
    seq = 0;
    const block = (time: number, thread: string, threadId: number, object: number, line: number, waitKind: string) => ({ ...ev(time, thread, threadId, 'block', object, line), waitKind });
    const graph = waitForGraph([ev(0, 'main', 1, 'spawn', 2, 8), block(1, 'thread 2', 2, 2, 10, 'park'), block(2, 'main', 1, 2, 18, 'join')]);
    expect(describeWaitFor(graph)).toBe('thread 2 waits at line 10 for an unpark; main waits at line 18 to join thread 2.');
    expect(graph.cycle).toEqual([]);
    expect(graph.edges.some((e) => e.from === e.to)).toBe(false);
    expect(renderWaitForSvg(graph)).not.toContain('NaN');
  });
});
