// The timeline's pure renderer: from trace events to a model, SVG, a table
// and a wait-for graph, with no DOM (the page and the CLI share it).
import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/runner/events.ts';
import { buildTimeline, cutAtDeadlock, describeWaitFor, renderTable, renderTimelineSvg, waitForGraph } from '../../../src/timeline/render.ts';

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

describe('rendering', () => {
  const model = buildTimeline({ events: cutAtDeadlock(lockOrder, deadlockErrors), console: [{ thread: 'main', threadId: 1, text: '<b>&', time: 6, line: 18 }], virtual: true });

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
});
