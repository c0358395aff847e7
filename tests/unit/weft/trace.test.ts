import { describe, expect, it } from 'vitest';
import type { TraceEvent } from '../../../src/runner/events.ts';
import { lineOf, program, runProgram } from '../support/run-program.ts';
import { TraceView } from '../../../src/exercises/trace-view.ts';

const SOURCE = program(`
  const m = new Arc(new Mutex(0));
  const [tx, rx] = mpsc.channel();
  const m2 = m.clone();
  const h = builder().name("worker").spawn(() => {
    using g = m2.lock();
    g.value += 1;
    tx.send(g.value);
  });
  console.log("got", rx.recv());
  h.join();`);

/** The trace as "thread kind line", the way a check or a timeline reads it. */
const story = (events: TraceEvent[]) => events.map((e) => `${e.thread} ${e.kind} ${e.line ?? '-'}`);

describe('the trace', () => {
  it('records spawn, lock, unlock, send, receive and exit with threads and reader lines', async () => {
    const run = await runProgram(SOURCE, { trace: true });
    expect(run.errors).toEqual([]);
    const trace = run.outcome.trace!;
    expect(trace.dropped).toBe(0);
    const events = story(trace.events);
    expect(events).toContain(`main spawn ${lineOf(SOURCE, 'builder().name("worker")')}`);
    expect(events).toContain(`worker lock ${lineOf(SOURCE, 'm2.lock()')}`);
    expect(events).toContain(`worker send ${lineOf(SOURCE, 'tx.send')}`);
    expect(events).toContain(`main recv ${lineOf(SOURCE, 'rx.recv()')}`);
    expect(events).toContain('worker exit -');
    expect(events.filter((e) => e.startsWith('worker unlock'))).toHaveLength(1);
    // Causality, whatever the interleaving: the lock before the send, the send before main's receive.
    const at = (kind: string, thread: string) => trace.events.findIndex((e) => e.kind === kind && e.thread === thread);
    expect(at('lock', 'worker')).toBeLessThan(at('send', 'worker'));
    expect(at('send', 'worker')).toBeLessThan(at('recv', 'main'));
    expect(at('spawn', 'main')).toBeLessThan(at('lock', 'worker'));
    // Every block is followed by a wake of the same thread on the same object.
    for (const block of trace.events.filter((e) => e.kind === 'block')) {
      expect(trace.events.some((e) => e.kind === 'wake' && e.thread === block.thread && e.object === block.object && e.seq > block.seq)).toBe(true);
    }
  });

  it("names the line where a `using` guard's block ends as its unlock's, in the function that holds it", async () => {
    // The unlock ran in code the compiler put before the block's closing brace, which mapped to nothing: the trace
    // named the caller's line (a check told a reader of bank-transfers to look at runBank's call, in code not to change).
    const source = program(
      `
  const m = new Mutex(0);
  bump(m);
  using g2 = m.lock();
  g2.value += 1;`,
      `
function bump(m: Mutex<number>) {
  {
    using g = m.lock();
    g.value += 1;
  } // bump's block ends
  console.log("after");
}`,
    );
    const run = await runProgram(source, { trace: true });
    expect(run.errors).toEqual([]);
    const unlocks = run.outcome.trace!.events.filter((e) => e.kind === 'unlock').map((e) => e.line);
    expect(unlocks).toEqual([lineOf(source, "} // bump's block ends"), source.trimEnd().split('\n').length]);
  });

  it('is off unless asked for', async () => {
    const run = await runProgram(SOURCE);
    expect(run.outcome.trace).toBeUndefined();
  });

  it('under a seed, replays byte for byte, times included', async () => {
    const first = await runProgram(SOURCE, { trace: true, seed: 11 });
    const second = await runProgram(SOURCE, { trace: true, seed: 11 });
    expect(first.outcome.trace!.events.length).toBeGreaterThan(5);
    expect(JSON.stringify(second.outcome.trace)).toBe(JSON.stringify(first.outcome.trace));
  });

  it('a full trace keeps the first events and says how many it dropped', async () => {
    const run = await runProgram(
      program(`
  const m = new Mutex(0);
  for (let i = 0; i < 50; i++) { using g = m.lock(); g.value += 1; }`),
      { trace: true, traceCapacity: 20 },
    );
    expect(run.outcome.trace!.events).toHaveLength(20);
    expect(run.outcome.trace!.dropped).toBe(80);
  });

  it('shows a Condvar wait as the lock released, the wait, and the lock taken again', async () => {
    const source = program(`
  const pair = new Arc([new Mutex(false), new Condvar()] as const);
  const pair2 = pair.clone();
  builder().name("notifier").spawn(() => {
    const [lock, cvar] = pair2;
    sleep(50);
    using started = lock.lock();
    started.value = true;
    cvar.notifyOne();
  });
  const [lock, cvar] = pair;
  using started = lock.lock();
  while (!started.value) cvar.wait(started);
  console.log("done");`, 'import { Condvar } from "weft/sync";');
    const run = await runProgram(source, { trace: true });
    expect(run.lines).toEqual(['done']);
    const waitLine = lineOf(source, 'cvar.wait(started)');
    const main = story(run.outcome.trace!.events).filter((e) => e.startsWith('main '));
    const at = main.indexOf(`main block ${waitLine}`);
    expect(at).toBeGreaterThan(0);
    expect(main[at - 1]).toBe(`main unlock ${waitLine}`);
    // Woken, it may block again on the Mutex itself (the notifier still holds it) before it takes it back.
    const relock = main.indexOf(`main lock ${waitLine}`, at);
    expect(relock).toBeGreaterThan(at);
    expect(main.slice(at + 1, relock).every((e) => e === `main wake ${waitLine}` || e === `main block ${waitLine}`)).toBe(true);
  });
});

describe('trace questions a check asks', () => {
  it('join order, and how many readers hold an RwLock at once', async () => {
    const source = program(`
  const lock = new Arc(new RwLock(0));
  const barrier = new Arc(new Barrier(3));
  const handles = [];
  for (let i = 0; i < 3; i++) {
    const l = lock.clone();
    const b = barrier.clone();
    handles.push(builder().name("reader-" + i).spawn(() => {
      using r = l.read();
      b.wait(); // all three hold a read guard here
      return r.value;
    }));
  }
  for (const h of handles.reverse()) h.join();
  { using w = lock.write(); w.value = 1; }
  console.log("done");`, 'import { RwLock, Barrier } from "weft/sync";');
    const run = await runProgram(source, { trace: true });
    expect(run.lines).toEqual(['done']);
    const view = new TraceView(run.outcome.trace);
    const spawned = view.spawned().map((s) => s.threadId);
    expect(view.joins().map((j) => j.threadId)).toEqual([...spawned].reverse());
    expect(view.joins().every((j) => j.by === 'main' && j.line === lineOf(source, 'h.join()'))).toBe(true);
    expect(view.mostHoldingAtOnce(view.mutexes()[0])).toBe(3);
  });

  it('a cycle in the lock order, of any length, and none when every thread takes its locks in one order', () => {
    let seq = 0;
    const event = (kind: 'lock' | 'unlock', threadId: number, object: number): TraceEvent => ({ seq: seq++, kind, thread: `t${threadId}`, threadId, object, time: seq, line: 10 + object });
    /** Each thread takes `first`, then `second`, then lets both go. */
    const nestings = (pairs: [number, number][]) =>
      new TraceView({
        events: pairs.flatMap(([first, second], i) => [event('lock', i + 2, first), event('lock', i + 2, second), event('unlock', i + 2, second), event('unlock', i + 2, first)]),
        dropped: 0,
      });
    // Three philosophers, each taking the left fork and then the right one: 1->2, 2->3, 3->1.
    const ring = nestings([[1, 2], [2, 3], [3, 1]]).lockOrderCycle();
    expect(ring?.map((n) => [n.outer.mutex, n.inner.mutex])).toEqual([[1, 2], [2, 3], [3, 1]]);
    expect(ring?.map((n) => n.thread)).toEqual(['t2', 't3', 't4']);
    expect(nestings([[1, 2], [2, 3], [3, 1]]).lockOrderInversion()).toBeUndefined(); // no two threads disagree on a pair
    // The last philosopher takes the lower-numbered fork first: 1->2, 2->3, 1->3: no cycle.
    expect(nestings([[1, 2], [2, 3], [1, 3]]).lockOrderCycle()).toBeUndefined();
    // A plain inversion is a cycle of two.
    expect(nestings([[5, 6], [6, 5]]).lockOrderCycle()?.map((n) => n.outer.mutex)).toEqual([5, 6]);
  });

  it("in a free run, how long each thread worked, its blocked time left out; nothing of it under a seed", async () => {
    // One thread computes for 20 ms, one sleeps 30 ms and returns a ready number, one panics after computing 10 ms.
    const source = program(
      `
  const ready = 42;
  const worker = spawn(() => busy(20) > 0 ? 1 : 0);
  const sleeper = spawn(() => { sleep(30); return ready; });
  const failing = spawn(() => { busy(10); throw new Error("no"); });
  worker.join();
  sleeper.join();
  try { failing.join(); } catch {}`,
      `function busy(ms: number) { const until = performance.now() + ms; let n = 0; while (performance.now() < until) n++; return n; }`,
    );
    const run = await runProgram(source, { trace: true });
    expect(run.outcome.status).toBe('ok');
    const view = new TraceView(run.outcome.trace);
    const ids = view.spawned().map((s) => s.threadId);
    const work = view.threadWork();
    expect(work.map((w) => w.threadId)).toEqual(ids);
    const [worker, sleeper, failing] = work;
    expect(worker!.workMs).toBeGreaterThanOrEqual(19);
    expect(sleeper!.ranMs).toBeGreaterThanOrEqual(29);
    expect(sleeper!.blockedMs).toBeGreaterThanOrEqual(29);
    // Its 30 ms asleep are taken out of its running time; what is left is small (a busy machine may take it off its core for a while).
    expect(sleeper!.workMs).toBeCloseTo(sleeper!.ranMs - sleeper!.blockedMs, 6);
    expect(sleeper!.workMs).toBeLessThan(worker!.workMs);
    expect(failing!.workMs).toBeGreaterThanOrEqual(9);
    // Under a seed only replayable numbers are traced: no running times, and the trace replays exactly.
    const seeded = await runProgram(source, { trace: true, seed: 3 });
    expect(new TraceView(seeded.outcome.trace).threadWork()).toEqual([]);
    expect(seeded.outcome.trace!.events.filter((e) => e.kind === 'exit').every((e) => e.ranMicros === undefined)).toBe(true);
    const again = await runProgram(source, { trace: true, seed: 3 });
    expect(JSON.stringify(again.outcome.trace)).toBe(JSON.stringify(seeded.outcome.trace));
  });

  it('records every entry of an exported function and the thread that made it; not main, not async ones, nothing untraced', async () => {
    const source = program(
      `
  const twice = square(3) + arrow(0) + block(1) - 1;
  const handles = [1, 2].map((n) => builder().name(\`job-\${n}\`).spawn(() => square(n) + hidden(n)));
  console.log(twice, handles.map((h) => h.join()).join(" "));`,
      `export function square(n: number): number { return n * n; }
function hidden(n: number): number { return n; }
export async function later(): Promise<number> { return 1; }
export const arrow = (n: number) => n + 1;
export const block = function (n: number) { return n - 1; };`,
    );
    const run = await runProgram(source, { trace: true, seed: 2 });
    expect(run.lines).toEqual(['9 2 6']);
    const view = new TraceView(run.outcome.trace);
    expect(view.calls('square').map((c) => c.thread).sort()).toEqual(['job-1', 'job-2', 'main']);
    expect(view.calls('square').every((c) => view.events[c.index]!.kind === 'call' && view.events[c.index]!.thread === c.thread)).toBe(true);
    expect(view.calls('hidden')).toEqual([]);
    expect(view.calls('arrow').map((c) => c.thread)).toEqual(['main']);
    expect(view.calls('block').map((c) => c.thread)).toEqual(['main']);
    expect(view.calls('main')).toEqual([]);
    expect(view.calls('later')).toEqual([]);
    // Under a seed the calls replay with everything else.
    const again = await runProgram(source, { trace: true, seed: 2 });
    expect(JSON.stringify(again.outcome.trace)).toBe(JSON.stringify(run.outcome.trace));
    const untraced = await runProgram(source);
    expect(untraced.lines).toEqual(['9 2 6']);
  });

  it('records at most the first 1,000 calls of an exported function on each thread', async () => {
    const hot = await runProgram(
      program(
        `
  let n = 0;
  for (let i = 0; i < 2500; i++) n += square(i % 3);
  const h = spawn(() => { let m = 0; for (let i = 0; i < 1500; i++) m += square(1); return m; });
  console.log(n, h.join());`,
        `export function square(n: number): number { return n * n; }`,
      ),
      { trace: true },
    );
    expect(hot.lines).toEqual(['4165 1500']);
    const calls = new TraceView(hot.outcome.trace).calls('square');
    expect(calls.filter((c) => c.thread === 'main')).toHaveLength(1000);
    expect(calls.filter((c) => c.thread !== 'main')).toHaveLength(1000);
  });

  it('records a receive that finds the channel closed, and none while a Sender lives', async () => {
    const source = program(`
  const [tx, rx] = mpsc.channel();
  const [tx2, rx2] = mpsc.channel();
  const a = tx.clone();
  const b = tx2.clone();
  spawn(() => { a.send(1); a.send(2); b.send(3); });
  drop(tx);
  let n = 0;
  for (const m of rx) n += m;
  n += rx2.recv();
  try { rx.recv(); } catch (e) { console.log(e instanceof RecvError); }
  console.log(n);`);
    const run = await runProgram(source, { trace: true, seed: 4 });
    expect(run.lines).toEqual(['true', '6']);
    const view = new TraceView(run.outcome.trace);
    const [first, second] = view.channels();
    // The for loop's end and the later recv() that threw: two on the first channel, on main, at their lines.
    expect(view.closedSeen(first).map((c) => [c.thread, c.line])).toEqual([
      ['main', lineOf(source, 'for (const m of rx)')],
      ['main', lineOf(source, 'rx.recv()')],
    ]);
    // main still holds tx2: the second channel never closed for anyone.
    expect(view.closedSeen(second)).toEqual([]);
  });

  it("a Mutex's number at each unlock, a joined thread's returned number, and what each block waited on", async () => {
    const source = program(`
  const counter = new Arc(new Mutex(0));
  const handles = [];
  for (let t = 0; t < 2; t++) {
    const c = counter.clone();
    handles.push(spawn(() => {
      for (let i = 0; i < 3; i++) { using g = c.lock(); g.value += 1; }
      sleep(5);
      return t * 10 + 0.5;
    }));
  }
  const returned = handles.map((h) => h.join());
  console.log(returned.join(" "));`);
    const run = await runProgram(source, { trace: true, seed: 5 });
    expect(run.lines).toEqual(['0.5 10.5']);
    const view = new TraceView(run.outcome.trace);
    const [mutex] = view.mutexes();
    expect(view.unlocks(mutex!).map((u) => u.value)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(view.joins().map((j) => j.value)).toEqual([0.5, 10.5]);
    expect(view.waits('sleep')).toHaveLength(2);
    expect(view.waits('condvar')).toHaveLength(0);
    expect(view.waits().every((w) => w.kind !== undefined)).toBe(true);
  });

  it('a joined thread that returns an array or an object: which numbers came back inside it', async () => {
    const source = program(`
  const a = spawn(() => [3, [4.5, { n: 1234567 }]]);
  const b = spawn(() => ({ name: "x", digest: 2654435761 }));
  const c = spawn(() => "no numbers");
  console.log(JSON.stringify([a.join(), b.join(), c.join()]));`);
    const run = await runProgram(source, { trace: true, seed: 3 });
    expect(run.errors).toEqual([]);
    const [a, b, c] = new TraceView(run.outcome.trace).joins();
    for (const n of [3, 4.5, 1234567]) expect(a!.holds(n)).toBe(true);
    expect(b!.holds(2654435761)).toBe(true);
    // A filter of a few numbers almost never says yes for others: none of 1,000 numbers that are not there.
    const absent = Array.from({ length: 1000 }, (_, i) => 1_000_000_007 + i * 7919);
    expect(absent.filter((n) => a!.holds(n) || b!.holds(n))).toEqual([]);
    expect(c!.holds(0)).toBe(false);
    expect([a, b, c].map((j) => j!.value)).toEqual([undefined, undefined, undefined]);
  });

  it("an atomic's changes are recorded inside parallel work only, with the values before and after", async () => {
    const source = program(
      `
  const inside = new AtomicI32(0);
  parIter([1, 2, 3, 4]).forEach((x) => { inside.fetchAdd(x * x); });
  const [left, right] = join(() => inside.fetchAdd(100), () => 0);
  inside.fetchAdd(1000); // outside: not recorded
  const total = new AtomicU64(5n);
  parIter([0]).forEach(() => { total.store(7n); });
  console.log(inside.load(), left, right, total.load());`,
      'import { parIter, join } from "weft/par";\nimport { AtomicI32, AtomicU64 } from "weft/sync";',
    );
    const run = await runProgram(source, { trace: true, seed: 2 });
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['1130 30 0 7n']);
    const changes = new TraceView(run.outcome.trace).parAtomics();
    const [first] = changes;
    const ofInside = changes.filter((c) => c.atomic === first!.atomic);
    // Four squares in the seed's order, then the join's 100: each change's `before` is the last one's `after`.
    expect(ofInside).toHaveLength(5);
    for (let i = 1; i < ofInside.length; i++) expect(ofInside[i]!.before).toBe(ofInside[i - 1]!.after);
    expect(ofInside.map((c) => c.after! - c.before!).slice(0, 4).sort((x, y) => x - y)).toEqual([1, 4, 9, 16]);
    expect(ofInside[4]).toMatchObject({ before: 30, after: 130 });
    // The 64-bit store: no value before (a store does not read it), 7 after.
    expect(changes.filter((c) => c.atomic !== first!.atomic)).toEqual([expect.objectContaining({ before: undefined, after: 7 })]);
  });

  it("a parallel loop's atomic changes stop at half the trace, so the join after them is still recorded", async () => {
    const source = program(
      `
  const total = new AtomicI32(0);
  parIter(Array.from({ length: 100 }, (_, i) => i)).forEach((x) => { total.fetchAdd(x); });
  const h = spawn(() => total.load());
  console.log(h.join());`,
      'import { parIter } from "weft/par";\nimport { AtomicI32 } from "weft/sync";',
    );
    const run = await runProgram(source, { trace: true, seed: 4, traceCapacity: 60 });
    expect(run.lines).toEqual(['4950']);
    const view = new TraceView(run.outcome.trace);
    expect(view.parAtomics().length).toBeLessThanOrEqual(30);
    expect(view.joins().map((j) => j.value)).toEqual([4950]);
    expect(run.outcome.trace!.dropped).toBe(0);
  });

  it('records no atomic change when the run is not traced, and replays a seed exactly with them', async () => {
    const source = program(
      `
  const total = new AtomicI32(0);
  parIter(Array.from({ length: 50 }, (_, i) => i)).forEach((x) => { total.fetchAdd(x); });
  console.log(total.load());`,
      'import { parIter } from "weft/par";\nimport { AtomicI32 } from "weft/sync";',
    );
    const untraced = await runProgram(source, { seed: 4 });
    expect(untraced.outcome.trace).toBeUndefined();
    const first = await runProgram(source, { trace: true, seed: 4 });
    const second = await runProgram(source, { trace: true, seed: 4 });
    expect(new TraceView(first.outcome.trace).parAtomics()).toHaveLength(50);
    expect(JSON.stringify(second.outcome.trace)).toBe(JSON.stringify(first.outcome.trace));
  });

  it("each send carries its channel's capacity: bounded, rendezvous or unbounded", async () => {
    const source = program(`
  const [a, ra] = mpsc.syncChannel(2);
  const [b, rb] = mpsc.channel();
  const [c, rc] = mpsc.syncChannel(0);
  const h = spawn(() => rc.recv());
  a.send(1);
  b.send(2);
  c.send(3);
  console.log(ra.recv(), rb.recv(), h.join());`);
    const run = await runProgram(source, { trace: true, seed: 6 });
    expect(run.lines).toEqual(['1 2 3']);
    const view = new TraceView(run.outcome.trace);
    const bySendLine = (needle: string) => view.events.find((e) => e.kind === 'send' && e.line === lineOf(source, needle))!.object;
    expect([view.capacity(bySendLine('a.send')), view.capacity(bySendLine('b.send')), view.capacity(bySendLine('c.send'))]).toEqual([2, 'unbounded', 0]);
  });

  it("a parallel iterator's object or Map result: which numbers it held", async () => {
    const source = program(
      `
  const counts = parIter(["a b a", "c a", "b"]).fold(() => new Map(), (m, text) => {
    for (const w of text.split(" ")) m.set(w, (m.get(w) ?? 0) + 1);
    return m;
  }).reduce(() => new Map(), (x, y) => { for (const [w, n] of y) x.set(w, (x.get(w) ?? 0) + n); return x; });
  const words = parIter(["a b a", "c a"]).map((text) => text.split(" ")).collect();
  console.log([...counts].join(";"), words.length);`,
      'import { parIter } from "weft/par";',
    );
    const run = await runProgram(source, { trace: true, seed: 8 });
    expect(run.errors).toEqual([]);
    const [folded, split] = new TraceView(run.outcome.trace).parIterators();
    expect([3, 2, 1].map((n) => folded!.holds(n))).toEqual([true, true, true]);
    expect([4, 5, 6].some((n) => split!.holds(n))).toBe(false);
    expect(folded!.value).toBeUndefined();
  });
});
