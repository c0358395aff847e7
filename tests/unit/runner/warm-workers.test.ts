/**
 * Warm workers (runner/worker-pool.ts): a worker whose part in a run is
 * over serves the next run of the same program. What a reader and a grader
 * rely on: the next run is quicker and otherwise the same (a seed replays
 * the same trace), another program never inherits what this one did to its
 * worker, nothing of one run happens in the next, and a program cannot use
 * an earlier run in its worker to reach the trace ring.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeSupervisor, createNodeWorker } from '../../../src/runner/node-host.ts';
import { MAX_WARM_WORKERS, type Supervisor, type WorkerHandle } from '../../../src/runner/supervisor.ts';
import type { RunEvent, RunOptions, RunOutcome } from '../../../src/runner/events.ts';

const started = { count: 0 };
/** Which worker (by the order it was started) took each run's main, in order: a run's globals are put back after it, so a program cannot tell. */
const mainWorkers: number[] = [];
function countedWorker(): WorkerHandle {
  const id = ++started.count;
  const worker = createNodeWorker();
  return {
    ...worker,
    post(message, transfer) {
      if (message.kind === 'main') mainWorkers.push(id);
      worker.post(message, transfer);
    },
  };
}

const IDLE_TARGET = 2;
const supervisor: Supervisor = createNodeSupervisor(IDLE_TARGET, undefined, countedWorker);
afterAll(() => supervisor.dispose());

async function run(source: string, options: RunOptions = {}): Promise<{ lines: string[]; outcome: RunOutcome }> {
  const events: RunEvent[] = [];
  const outcome = await supervisor.startRun(source, { timeoutMs: 15_000, ...options }, (event) => events.push(event)).done;
  return { lines: events.flatMap((e) => (e.kind === 'output' ? [e.text] : [])), outcome };
}

/** Until the workers of the last run have come to rest (or been ended), so the next run finds them warm. */
async function settled(): Promise<void> {
  for (let i = 0; i < 100 && supervisor.keptByKind.settling > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}

const FOUR_THREADS = `import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";
function main() {
  const total = new Arc(new Mutex(0));
  const handles = [1, 2, 3, 4].map((i) => { const t = total.clone(); return spawn(() => { using g = t.lock(); g.value += i; }); });
  for (const h of handles) h.join();
  using g = total.lock();
  console.log("total", g.value);
}`;

describe('warm workers', () => {
  it('the next run of the same program takes the workers of the last one instead of starting new ones', async () => {
    const first = started.count;
    expect((await run(FOUR_THREADS)).lines).toEqual(['total 10']);
    const fresh = started.count - first;
    await settled();
    const before = started.count;
    for (let i = 0; i < 4; i++) {
      expect((await run(FOUR_THREADS)).lines).toEqual(['total 10']);
      await settled();
    }
    // The first run started its main, its idle workers and the standby ones behind them; the next four together,
    // only the few a run needed beyond those that came to rest in time.
    expect(fresh).toBeGreaterThanOrEqual(5);
    expect(started.count - before).toBeLessThan(fresh);
    const kept = supervisor.keptByKind;
    expect(kept.standby).toBeLessThanOrEqual(IDLE_TARGET + 1);
    expect(kept.warm).toBeLessThanOrEqual(MAX_WARM_WORKERS);
  });

  it('a run started the moment the last run of the same program ended (as a grading runs them) waits the few ms its worker takes to come to rest, and takes it', async () => {
    // Which worker took each run's main tells whether a run had the worker of the run before it. (What the program
    // leaves in its worker's globals no longer does: they are put back after each run, lockdown.ts restoreGlobals,
    // so it prints the same every time.)
    const counter = `function main() {
  const g = globalThis as { runsHere?: number };
  g.runsHere = (g.runsHere ?? 0) + 1;
  console.log("runs in this worker:", g.runsHere);
}`;
    expect((await run(counter)).lines).toEqual(['runs in this worker: 1']);
    const first = mainWorkers.at(-1);
    await settled();
    // No pause between runs: each starts as soon as the last one's outcome is known, its worker still coming to rest.
    const seen: string[] = [];
    const took: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      seen.push(...(await run(counter)).lines);
      took.push(mainWorkers.at(-1));
    }
    expect(took).toEqual(Array(5).fill(first));
    expect(seen).toEqual(Array(5).fill('runs in this worker: 1'));
  });

  it('back to back, a spawn that waits for a worker while the last run\'s workers come to rest is served, however the idle ones came back', async () => {
    // A grading's runs: threads spawned at once, each returning its part, on a fresh supervisor. A spawn left waiting
    // in the supervisor while idle workers had come back from running threads (which they do not announce) once
    // waited for the time limit in about half of such gradings.
    const fresh = createNodeSupervisor(2);
    try {
      const source = `import { spawn } from "weft/thread";
function main() {
  const handles = [1, 2, 3, 4, 5].map((n) => spawn(() => { let s = 0; for (let i = 0; i < 20_000 * n; i++) s += i % 7; return s; }));
  console.log(handles.map((h) => h.join()).join(" "));
}`;
      const outcomes: string[] = [];
      for (let i = 0; i < 25; i++) {
        const outcome = await fresh.startRun(source, { timeoutMs: 4_000 }, () => {}).done;
        outcomes.push(outcome.status);
      }
      expect(outcomes).toEqual(Array(25).fill('ok'));
    } finally {
      fresh.dispose();
    }
  });

  it('another program never gets a worker this one used: what it did to globals and prototypes stays with it', async () => {
    const changer = `import { spawn } from "weft/thread";
// Built-ins weft uses are read-only in a run (lockdown.ts): these are the ones a program may still change.
function mark() { globalThis.leftBehind = "yes"; Math.sum = function () { return 42; }; Error.prototype.extra = 1; }
function main() {
  mark();
  for (const h of [spawn(mark), spawn(mark), spawn(mark)]) h.join();
  console.log("marked");
}`;
    const looker = `import { spawn } from "weft/thread";
function look() { return [typeof globalThis.leftBehind, typeof Math.sum, typeof new Error().extra].join(" "); }
function main() {
  const seen = [look(), ...[spawn(look), spawn(look), spawn(look)].map((h) => h.join())];
  console.log(seen.join(", "));
}`;
    for (let i = 0; i < 3; i++) {
      expect((await run(changer)).lines).toEqual(['marked']);
      await settled();
    }
    const seen = await run(looker);
    expect(seen.lines).toEqual(['undefined undefined undefined, undefined undefined undefined, undefined undefined undefined, undefined undefined undefined']);
  });

  it("a timer or a message loop one run left behind does not call the program back in its next run", async () => {
    // Every run starts, in main and in two threads, a timer that prints every millisecond and two ports that send
    // each other messages without end, printing each with the run's number, and returns at once. The same source
    // every time (called with the run's number), so its workers serve the next run: a line there with another
    // run's number came from an earlier run. (Its own timers may print in its own run: main's event loop turns twice
    // after it returns.)
    const source = `import { spawn } from "weft/thread";
function body(run: number) {
  setInterval(() => console.log("left over: a timer of run", run), 1);
  // Every way a program can reach a MessageChannel constructor: the global, the constructor of a channel, the
  // global's prototype (where a subclass would hand out the untracked original), and a subclass of its own.
  const Up = Object.getPrototypeOf(MessageChannel);
  const makers = [
    () => new MessageChannel(),
    () => new (new MessageChannel().constructor)(),
    () => (typeof Up === "function" && Up !== Function.prototype ? new Up() : new MessageChannel()),
    () => new (class Mine extends MessageChannel {})(),
  ];
  for (const make of makers) {
    const { port1, port2 } = make();
    port1.onmessage = () => { console.log("left over: a message of run", run); port2.postMessage(0); };
    port2.onmessage = () => port1.postMessage(0);
    port2.postMessage(0);
  }
  // A program that replaces a port's close cannot keep its channels open either.
  Object.getPrototypeOf(new MessageChannel().port1).close = () => {};
}
export function go(run: number) {
  body(run);
  for (const h of [spawn(() => body(run)), spawn(() => body(run))]) h.join();
  return run;
}
function main() {}`;
    const mainsSeen = new Set<number>();
    let laterRuns = 0;
    for (let i = 1; i <= 6 && laterRuns < 2; i++) {
      const { lines, outcome } = await run(source, { call: { name: 'go', args: [i] } });
      expect(outcome.status).toBe('ok');
      const main = mainWorkers.at(-1)!;
      if (mainsSeen.has(main)) laterRuns++;
      mainsSeen.add(main);
      expect(lines.filter((line) => !line.endsWith(` of run ${i}`))).toEqual([]);
      await settled();
    }
    expect(laterRuns).toBeGreaterThan(0);
  });

  it('a seed replays the same trace and output in warm workers as in fresh ones', async () => {
    const programs = [
      FOUR_THREADS,
      // weft/task numbers its channels and async Mutexes per thread; a warm worker must start again from 1.
      `import { spawn, mpsc, Mutex } from "weft/task";
async function main() {
  const [tx, rx] = mpsc.channel(2);
  const m = new Mutex(0);
  const tasks = [1, 2, 3].map((i) => { const mine = tx.clone(); return spawn(async () => { { using g = await m.lock(); g.value += i; } await mine.send(i); }); });
  tx.drop();
  let sum = 0;
  for (let v = await rx.recv(); v !== undefined; v = await rx.recv()) sum += v;
  for (const t of tasks) await t;
  { using g = await m.lock(); console.log("sum", sum, g.value); }
}`,
      // Under a seed, how a parallel iterator is split varies from one call to the next on a thread.
      `import { parIter } from "weft/par";
function main() {
  for (let i = 0; i < 3; i++) console.log(parIter(Array.from({ length: 40 }, (_, k) => k)).map((x) => x * 2).reduce(() => 0, (a, b) => a - b));
}`,
    ];
    for (const source of programs) {
      // A supervisor of its own, so the first run is in fresh workers.
      const own = createNodeSupervisor(IDLE_TARGET);
      try {
        const transcripts: string[] = [];
        for (let i = 0; i < 3; i++) {
          const events: RunEvent[] = [];
          const outcome = await own.startRun(source, { seed: 11, trace: true }, (event) => events.push(event)).done;
          expect(outcome.status, outcome.message).toBe('ok');
          const lines = events.flatMap((e) => (e.kind === 'output' ? [`${e.thread}: ${e.text}`] : []));
          const trace = outcome.trace!.events.map((e) => JSON.stringify(e));
          transcripts.push([...lines, ...trace].join('\n'));
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        expect(transcripts[1]).toBe(transcripts[0]);
        expect(transcripts[2]).toBe(transcripts[0]);
      } finally {
        own.dispose();
      }
    }
  });

  it('a program cannot reach the trace ring through hooks it left in its worker in an earlier run', async () => {
    // Every hook a program could leave for weft's code of the next run to call: SharedArrayBuffer's
    // instanceof, getters for any field of a message on Object.prototype, the typed array constructors.
    // It keeps every buffer it is shown that is not run memory (run memory is growable; the ring is not),
    // and writes a forged event over the whole of each.
    const source = `import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";
function hook() {
  if (globalThis.hooked) return;
  globalThis.hooked = true;
  const seen = (globalThis.seen = []);
  // Each hook goes in if the run lets it (it no longer does: built-ins are read-only, lockdown.ts); refused ones are counted.
  globalThis.refused = 0;
  const attempt = (install) => { try { install(); } catch { globalThis.refused++; } };
  const isBuffer = (x) => typeof x === "object" && x !== null && Object.getPrototypeOf(x) === SharedArrayBuffer.prototype;
  const keep = (x) => { if (isBuffer(x) && !x.growable && !seen.includes(x)) seen.push(x); };
  attempt(() => Object.defineProperty(SharedArrayBuffer, Symbol.hasInstance, { value: (x) => { keep(x); return isBuffer(x); } }));
  for (const name of ["trace", "memory", "compiled", "call", "program", "source", "worker", "idleWorkers", "runs"]) {
    attempt(() => Object.defineProperty(Object.prototype, name, { get() { for (const v of Object.values(this)) keep(v); return undefined; }, configurable: true }));
  }
  for (const name of ["Int32Array", "Float64Array", "Uint8Array", "DataView"]) {
    const Real = globalThis[name];
    attempt(() => { globalThis[name] = new Proxy(Real, { construct(target, args) { keep(args[0]); return Reflect.construct(target, args); } }); });
  }
}
function forge() {
  hook();
  let forged = 0;
  for (const buffer of globalThis.seen) {
    const words = new Int32Array(buffer);
    for (let i = 0; i < words.length; i++) words[i] = 5;
    forged++;
  }
  return forged;
}
function main() {
  const lock = new Arc(new Mutex(0));
  const forged = [forge(), ...[0, 1].map(() => { const l = lock.clone(); return spawn(() => { using g = l.lock(); g.value++; return forge(); }); }).map((h) => h.join())];
  console.log("forged", forged.reduce((a, b) => a + b, 0), "refused", globalThis.refused);
}`;
    const kinds = new Set(['spawn', 'exit', 'block', 'wake', 'lock', 'unlock', 'join', 'send', 'recv']);
    for (let i = 0; i < 5; i++) {
      const { lines, outcome } = await run(source, { trace: true });
      expect(outcome.status, outcome.message).toBe('ok');
      expect(lines).toEqual(['forged 0 refused 14']);
      const events = outcome.trace!.events;
      // What the program did, and nothing written over it: two spawns, locks and unlocks in pairs, two joins.
      expect(events.filter((e) => e.kind === 'spawn')).toHaveLength(2);
      expect(events.filter((e) => e.kind === 'lock')).toHaveLength(events.filter((e) => e.kind === 'unlock').length);
      expect(events.every((e) => kinds.has(e.kind))).toBe(true);
      await settled();
    }
  });

  it('a run that was stopped or ran out of time leaves no warm worker', async () => {
    const spinning = `import { spawn } from "weft/thread";
function main() { for (const h of [spawn(() => { for (;;) {} }), spawn(() => { for (;;) {} })]) h.join(); }`;
    const { outcome } = await run(spinning, { timeoutMs: 400 });
    expect(outcome.status).toBe('timeout');
    await settled();
    // Only the standby workers, fresh ones no run has had.
    expect(supervisor.keptByKind).toMatchObject({ warm: 0, settling: 0 });
    const handle = supervisor.startRun(spinning, { timeoutMs: 15_000 }, () => {});
    setTimeout(() => handle.stop(), 300);
    expect((await handle.done).status).toBe('stopped');
    await settled();
    expect(supervisor.keptByKind).toMatchObject({ warm: 0, settling: 0 });
  });
});
