/**
 * weft/task's tasks in the run's trace (what tokio-console shows): each
 * task's spawn and exit, with how often it was polled and woken, its busy
 * and idle time and the line it last awaited at
 * (src/weft/task/runtime/scheduler.ts, src/weft/runtime/trace.ts,
 * TraceView.tasks()).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { TraceView } from '../../../src/exercises/trace-view.ts';
import { lineOf, runProgram } from '../support/run-program.ts';

const IMPORTS = `import { spawn, sleep, time, mpsc } from "weft/task";\n`;

describe('the trace counts each task\'s polls, wakes and busy time (what tokio-console shows)', () => {
  const SOURCE = `${IMPORTS}
async function main() {
  time.pause();
  const [tx, rx] = mpsc.unboundedChannel<number>();
  const producer = spawn(async () => {
    for (let i = 0; i < 3; i++) { await sleep(10); tx.send(i); }
  });
  const idle = spawn(async () => { await sleep(1000); });
  let msg;
  while ((msg = await rx.recv()) !== undefined) console.log(msg);
  idle.abort();
  await producer;
}`;

  it('records task-spawn and task-exit with counters, which TraceView.tasks() sums up', async () => {
    const result = await runProgram(SOURCE, { trace: true });
    expect(result.errors).toEqual([]);
    const tasks = new TraceView(result.outcome.trace).tasks();
    expect(tasks.map((t) => [t.id, t.outcome, t.spawnLine])).toEqual([
      // main's task is 0; spawned tasks count from 1, as Tokio's task ids do.
      [0, 'ok', undefined],
      [1, 'ok', lineOf(SOURCE, 'const producer = spawn')],
      [2, 'cancelled', lineOf(SOURCE, 'const idle = spawn')],
    ]);
    const [main, producer, idle] = tasks;
    // The producer: a first poll, then one poll per sleep that ended; each of those polls came from a wake.
    expect(producer!.polls).toBe(4);
    expect(producer!.wakes).toBe(3);
    expect(producer!.awaitLine).toBe(lineOf(SOURCE, 'await sleep(10)'));
    expect(idle!.polls).toBe(1);
    expect(idle!.awaitLine).toBe(lineOf(SOURCE, 'await sleep(1000)'));
    expect(main!.polls).toBeGreaterThanOrEqual(4);
    // Busy time is measured in a free run: the tasks were busy for some of their lives, never for more than all of it.
    expect(tasks.reduce((sum, task) => sum + task.busyMicros, 0)).toBeGreaterThan(0);
    for (const task of tasks) {
      expect(task.busyMicros).toBeLessThanOrEqual(task.lifetimeMicros);
      expect(task.idleMicros).toBe(task.lifetimeMicros - task.busyMicros);
    }
  });

  it('under a seed, the task events replay exactly (busy time is left out)', async () => {
    const a = await runProgram(SOURCE, { trace: true, seed: 7 });
    const b = await runProgram(SOURCE, { trace: true, seed: 7 });
    const tasks = (run: typeof a) => run.outcome.trace!.events.filter((e) => e.kind === 'task-spawn' || e.kind === 'task-exit');
    expect(tasks(a).length).toBe(6);
    expect(tasks(a)).toEqual(tasks(b));
    expect(tasks(a).every((e) => e.task === undefined || e.task.busyMicros === 0)).toBe(true);
  });
});

describe('what a check can ask of tasks in the trace', () => {
  it('each task\'s spawn and exit on its executor\'s clock: exact virtual milliseconds under a seed', async () => {
    // Three sleeps joined take as long as the longest; awaited one after another, as long as their sum.
    const source = `import { spawn, sleep, join, time } from "weft/task";
async function nap(ms: number) { await sleep(ms); return ms; }
async function main() {
  await sleep(5);
  const together = spawn(async () => { await join(nap(30), nap(70), nap(50)); });
  await together;
  const inTurn = spawn(async () => { await nap(30); await nap(70); await nap(50); });
  await inTurn;
  console.log(time.now());
}
`;
    for (const seed of [3, 11]) {
      const run = await runProgram(source, { trace: true, seed });
      expect(run.lines).toEqual(['225']);
      const tasks = new TraceView(run.outcome.trace).tasks();
      expect(tasks.map((t) => [t.spawnedAtMs, t.exitedAtMs])).toEqual([
        [0, 225], // main's own task
        [5, 75],
        [75, 225],
      ]);
    }
  });

  it('messages on weft/task mpsc channels: which tasks sent and received, and the most queued at once', async () => {
    const source = `import { spawn, mpsc, sleep } from "weft/task";
async function main() {
  const [tx, rx] = mpsc.channel<number>(2);
  const [doneTx, doneRx] = mpsc.unboundedChannel<string>();
  const consumer = spawn(async () => {
    await sleep(10); // lets the producers fill the channel first
    let msg;
    while ((msg = await rx.recv()) !== undefined) doneTx.send(\`got \${msg}\`);
  });
  for (let p = 0; p < 2; p++) {
    const mine = tx.clone();
    spawn(async () => { for (let i = 0; i < 3; i++) await mine.send(p * 10 + i); });
  }
  tx.drop();
  await consumer;
  let n = 0;
  while ((await doneRx.recv()) !== undefined) n++;
  console.log(n);
}
`;
    const run = await runProgram(source, { trace: true, seed: 5 });
    expect(run.lines).toEqual(['6']);
    const view = new TraceView(run.outcome.trace);
    const [main, consumer, p0, p1] = view.tasks().map((t) => t.id);
    const [work, done] = view.taskChannels();
    expect(work).toMatchObject({ sends: 6, receives: 6, senderTasks: [p0, p1], receiverTasks: [consumer], mostQueued: 2 });
    // The consumer's channel is drained by main's task once the consumer is done: all six were queued at once.
    expect(done).toMatchObject({ sends: 6, receives: 6, senderTasks: [consumer], receiverTasks: [main], mostQueued: 6 });
    const sendLine = lineOf(source, 'await mine.send');
    expect(run.outcome.trace!.events.filter((e) => e.kind === 'task-send' && e.object === work!.channel).map((e) => e.line)).toEqual(Array(6).fill(sendLine));
  });

  it("counts each task's sleeps that had to wait: ten joined sleeps in one task are ten, a sleep already due is none", async () => {
    const source = `import { spawn, sleep, sleepUntil, join, time } from "weft/task";
async function main() {
  time.pause();
  const start = time.now();
  await join(...Array.from({ length: 10 }, (_, i) => sleep(10 + i)));
  const one = spawn(async () => { await sleep(5); await sleepUntil(start); });
  await one;
}`;
    const result = await runProgram(source, { trace: true, seed: 9 });
    expect(result.errors).toEqual([]);
    const [main, one] = new TraceView(result.outcome.trace).tasks();
    expect(main!.timers).toBe(10);
    expect(one!.timers).toBe(1);
  });

  it('a oneshot send names the sending task, and tells the value sent by its hash (strings, numbers, null)', async () => {
    const source = `import { spawn, oneshot } from "weft/task";
async function main() {
  const [tx1, rx1] = oneshot.channel<string | null>();
  const [tx2, rx2] = oneshot.channel<number[]>();
  const answerer = spawn(async () => { tx1.send("pear"); tx2.send([1, 2]); });
  console.log(await rx1, await rx2);
  await answerer;
}`;
    const result = await runProgram(source, { trace: true, seed: 1 });
    expect(result.errors).toEqual([]);
    const [first, second] = new TraceView(result.outcome.trace).oneshotSends();
    expect(first).toMatchObject({ task: 1, line: lineOf(source, 'tx1.send') });
    expect([first!.is('pear'), first!.is('peach'), first!.is(null), first!.is(0)]).toEqual([true, false, false, false]);
    // An array is not hashed: a check cannot mistake it for anything.
    expect([second!.is([1, 2]), second!.is(1)]).toEqual([false, false]);
  });

  it('reading the clock for the trace does not move where paused time starts', async () => {
    const source = `import { sleep, time } from "weft/task";
async function main() {
  time.pause();
  await sleep(250);
  console.log(time.now());
}
`;
    const run = await runProgram(source, { trace: true });
    expect(run.lines).toEqual(['250']);
    // Paused before anything read the clock, time starts at 0: the task ends at 250. It was spawned before the pause,
    // on the real clock: within a few ms of the runtime's start (more on a loaded machine).
    const [root] = new TraceView(run.outcome.trace).tasks();
    expect(root!.exitedAtMs).toBe(250);
    expect(root!.spawnedAtMs).toBeGreaterThanOrEqual(0);
    expect(root!.spawnedAtMs).toBeLessThan(250);
  });

  it('a blocking call inside a task, and a std Mutex guard held across an await, each at its line', async () => {
    const source = `import { spawn, sleep } from "weft/task";
import { Mutex } from "weft/sync";
import { sleep as blockingSleep } from "weft/thread";

async function main() {
  const m = new Mutex(0);
  const other = new Mutex(0);
  const a = spawn(async () => {
    blockingSleep(5);
  });
  const b = spawn(async () => {
    using g = m.lock();
    await sleep(5);
    g.value += 1;
  });
  const c = spawn(async () => {
    { using g = other.lock(); g.value += 1; } // released before the await: fine
    await sleep(1);
  });
  await a; await b; await c;
}
`;
    const run = await runProgram(source, { trace: true });
    expect(run.outcome.status).toBe('ok');
    const view = new TraceView(run.outcome.trace);
    expect(view.blockingInTasks().map((e) => e.line)).toEqual([lineOf(source, 'blockingSleep(5)')]);
    expect(view.locksHeldAcrossAwait().map((e) => e.line)).toEqual([lineOf(source, 'await sleep(5);\n    g.value')]);
    expect(new Set(view.locksHeldAcrossAwait().map((e) => e.task)).size).toBe(1);
  });

  it('records each poll, with where it began, only when the run asks for polls (a timeline), and a blocking call falls inside one', async () => {
    const source = `import { spawn, sleep } from "weft/task";
import { sleep as blockingSleep } from "weft/thread";

async function main() {
  const a = spawn(async () => {
    for (let i = 0; i < 3; i++) await sleep(2);
  });
  const b = spawn(async () => {
    // Long enough that a loaded machine cannot pause this thread between making the sleep and polling it past its deadline.
    await sleep(30);
    blockingSleep(20);
  });
  await a; await b;
}
`;
    const plain = await runProgram(source, { trace: true });
    expect(plain.outcome.trace!.events.filter((e) => e.kind === 'task-poll')).toEqual([]);
    const run = await runProgram(source, { trace: true, tracePolls: true });
    expect(run.outcome.status).toBe('ok');
    const events = run.outcome.trace!.events;
    const polls = events.filter((e) => e.kind === 'task-poll');
    const exits = events.filter((e) => e.kind === 'task-exit');
    // As many polls recorded as each task's counter says, each beginning before it ended.
    for (const exit of exits) expect(polls.filter((p) => p.object === exit.object)).toHaveLength(exit.task!.polls);
    for (const p of polls) {
      expect(p.poll!.fromSeq).toBeLessThanOrEqual(p.seq);
      expect(p.poll!.from).toBeLessThanOrEqual(p.time);
    }
    // The blocking call happened inside task b's last poll, which took at least the 20 ms it blocked.
    const blocking = events.find((e) => e.kind === 'task-blocking')!;
    const bPolls = polls.filter((p) => p.object === blocking.object);
    const last = bPolls[bPolls.length - 1]!;
    expect(blocking.seq).toBeGreaterThanOrEqual(last.poll!.fromSeq);
    expect(blocking.seq).toBeLessThan(last.seq);
    expect(last.time - last.poll!.from).toBeGreaterThanOrEqual(20_000);
    // A poll that stopped at an await carries its line; the last poll of a task that ended carries none.
    expect(polls.filter((p) => p.object === blocking.object)[0]!.line).toBe(lineOf(source, 'await sleep(30)'));
    expect(last.line).toBeUndefined();
  });

  it('a deadlock of tasks names what each waits on: the async Mutex and the task holding it (and where it took it), or the task it joins', async () => {
    // The same program the timeline's e2e test draws.
    const source = readFileSync(new URL('../../fixtures/timeline/task-deadlock.ts', import.meta.url), 'utf8');
    const run = await runProgram(source, { seed: 3 });
    expect(run.outcome.status).toBe('deadlock');
    const tasks = run.errors.map((e) => ({ line: e.location?.line, ...e.task }));
    expect(tasks).toEqual([
      { line: lineOf(source, 'await t1'), name: "task 'main'", waitsOn: { object: 'task 1', kind: 'join' } },
      { line: lineOf(source, 'const gb = await b.lock()'), name: 'task 1', waitsOn: { object: 'async Mutex 2', kind: 'lock', holder: { task: 'task 2', line: lineOf(source, '  const gb = await b.lock();\n    await sleep(10);\n    const ga') } } },
      { line: lineOf(source, 'const ga = await a.lock();\n    ga.value'), name: 'task 2', waitsOn: { object: 'async Mutex 1', kind: 'lock', holder: { task: 'task 1', line: lineOf(source, 'const ga = await a.lock()') } } },
    ]);
  });
});

