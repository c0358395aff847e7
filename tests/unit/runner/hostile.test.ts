/**
 * Hostile and faulty programs in Node (issue 17), run the way the CLI runs
 * them: console floods, memory blow-ups, many threads, programs that reach
 * for the network, the file system or the reader's data, and a few smaller
 * faults. Each case checks what the reader sees: the run ends by its limit
 * with a clear message, the next run works, and every worker the run
 * started has been ended.
 *
 * Timeouts here are the programs' own time limits (behaviour: the run must
 * end by them), kept short so the file stays quick; nothing asserts how fast
 * anything went.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeSupervisor, createNodeWorker } from '../../../src/runner/node-host.ts';
import { MAX_WARM_WORKERS, type Supervisor, type WorkerHandle } from '../../../src/runner/supervisor.ts';
import type { ReaderError, RunEvent, RunOptions, RunOutcome } from '../../../src/runner/events.ts';
import { FORBIDDEN_GLOBALS, FORBIDDEN_NAVIGATOR, FORBIDDEN_PROCESS } from '../../../src/runner/worker/lockdown.ts';
import { MAX_LINE_CHARS } from '../../../src/runner/output-ring.ts';
import { COUNTED as ALLOCATION_COUNTED, LIMIT_MB as ALLOCATION_LIMIT_MB } from '../../../src/runner/worker/allocation-budget.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';

/** Workers this file's supervisor started, and how many of them it has ended. */
const workers = { started: 0, ended: 0 };
/** A low heap limit per thread, so a blow-up reaches it in a moment. */
const HEAP_LIMIT_MB = 96;

function countedWorker(): WorkerHandle {
  const worker = createNodeWorker(HEAP_LIMIT_MB);
  workers.started++;
  let ended = false;
  return {
    ...worker,
    terminate() {
      if (!ended) workers.ended++;
      ended = true;
      worker.terminate();
    },
  };
}

let supervisor: Supervisor;
beforeAll(() => {
  supervisor = createNodeSupervisor(2, HEAP_LIMIT_MB, countedWorker);
});
afterAll(() => supervisor.dispose());

interface Run {
  lines: string[];
  errors: ReaderError[];
  outcome: RunOutcome;
}

async function run(source: string, options: RunOptions = {}): Promise<Run> {
  const events: RunEvent[] = [];
  const outcome = await supervisor.startRun(source, { timeoutMs: 20_000, ...options }, (event) => events.push(event)).done;
  return {
    lines: events.flatMap((e) => (e.kind === 'output' ? [e.text] : [])),
    errors: events.flatMap((e) => (e.kind === 'error' ? [e.error] : [])),
    outcome,
  };
}

/**
 * Every worker started so far has been ended, but those the supervisor keeps
 * for the next run: its standby workers (idleTarget + 1, fresh) and the warm
 * ones of the last program that ran to its end (runner/worker-pool.ts) —
 * never one of a run that was stopped or ran out of time or memory.
 */
async function expectNoWorkerLeft(): Promise<void> {
  expect(workers.started - workers.ended).toBe(supervisor.keptWorkers);
  expect(supervisor.keptByKind.standby).toBeLessThanOrEqual(3);
  expect(supervisor.keptByKind.warm).toBeLessThanOrEqual(MAX_WARM_WORKERS);
}

/** The next run after a hostile one works as usual. */
async function expectNextRunWorks(): Promise<void> {
  const next = await run(`import { spawn } from "weft/thread";
function main() {
  console.log("next run:", spawn(() => 6 * 7).join());
}
`);
  expect(next.outcome.status).toBe('ok');
  expect(next.lines).toEqual(['next run: 42']);
}

describe('console floods', () => {
  it('every line of a 60,000-line flood from two threads arrives, each thread in its own order', async () => {
    const flood = await run(`import { spawn } from "weft/thread";
function main() {
  const h = spawn(() => { for (let i = 0; i < 30000; i++) console.log("t", i); });
  for (let i = 0; i < 30000; i++) console.log("m", i);
  h.join();
  console.log("done");
}
`);
    expect(flood.outcome.status).toBe('ok');
    expect(flood.lines).toHaveLength(60_001);
    expect(flood.lines.at(-1)).toBe('done');
    for (const tag of ['m', 't']) {
      const mine = flood.lines.filter((l) => l.startsWith(`${tag} `));
      expect(mine).toEqual(Array.from({ length: 30_000 }, (_, i) => `${tag} ${i}`));
    }
  });

  it('a program that prints forever ends by its time limit, with what it printed so far', async () => {
    const flood = await run(`function main() {
  for (let i = 0; ; i++) console.log("line", i);
}
`, { timeoutMs: 1500 });
    expect(flood.outcome.status).toBe('timeout');
    expect(flood.outcome.message).toBe('Stopped by the time limit of 1.5 s.');
    expect(flood.lines.length).toBeGreaterThan(0);
    expect(flood.lines.slice(0, 3)).toEqual(['line 0', 'line 1', 'line 2']);
    await expectNextRunWorks();
    await expectNoWorkerLeft();
  });

  it('one 50 MB line is cut to its first characters, saying how many more there were', async () => {
    const huge = await run(`function main() {
  console.log("x".repeat(50_000_000));
  console.log("after");
}
`);
    expect(huge.outcome.status).toBe('ok');
    expect(huge.lines).toHaveLength(2);
    expect(huge.lines[0]).toBe(`${'x'.repeat(MAX_LINE_CHARS)} … (${50_000_000 - MAX_LINE_CHARS} more characters not shown)`);
    expect(huge.lines[1]).toBe('after');
  });

  it('lines printed just before a thread spins forever are shown', async () => {
    const spin = await run(`function main() {
  console.log("one");
  console.log("two");
  for (;;) {}
}
`, { timeoutMs: 1500 });
    expect(spin.outcome.status).toBe('timeout');
    expect(spin.lines).toEqual(['one', 'two']);
  });
});

describe('memory blow-ups', () => {
  // Many separate objects: the allocation pattern Node's per-worker limit always catches in time.
  it("a thread that allocates without end stops the run as 'out of memory', naming the thread", async () => {
    const hog = await run(`import { builder } from "weft/thread";
function main() {
  console.log("before");
  const h = builder().name("hog").spawn(() => {
    let list: unknown = null;
    for (let i = 0; ; i++) list = { next: list, text: "item ".repeat(200) + i };
  });
  h.join();
}
`, { timeoutMs: 60_000 });
    expect(hog.outcome.status).toBe('out-of-memory');
    expect(hog.outcome.message).toBe(`Out of memory: thread 'hog' used more than ${HEAP_LIMIT_MB} MB, the most a thread may use here, and was stopped.`);
    expect(hog.lines).toEqual(['before']);
    await expectNextRunWorks();
    await expectNoWorkerLeft();
  });

  it("main itself running out of memory is named 'main'", async () => {
    const hog = await run(`function main() {
  let list: unknown = null;
  for (let i = 0; ; i++) list = { next: list, text: "item ".repeat(200) + i };
}
`, { timeoutMs: 60_000 });
    expect(hog.outcome.status).toBe('out-of-memory');
    expect(hog.outcome.message).toContain("thread 'main' used more than");
    await expectNextRunWorks();
  });

  // Large arrays and strings made in one call each: counted before they are made (worker/allocation-budget.ts), as a
  // browser worker has no heap limit of its own and a tab whose worker runs out of heap crashes. These blocks cost
  // the machine little (V8 keeps a repeated string as a few joined pieces), so what stops the run is the count, not
  // Node's limit.
  it("a thread that makes large strings without end is stopped at the run's allocation budget, and named", async () => {
    const hog = await run(`import { builder } from "weft/thread";
function main() {
  console.log("before");
  const h = builder().name("hog").spawn(() => {
    const keep: string[] = [];
    for (;;) keep.push("x".repeat(1 << 20));
  });
  h.join();
}
`);
    expect(hog.outcome.status).toBe('out-of-memory');
    expect(hog.outcome.message).toBe(
      `Out of memory: thread 'hog' made more than ${ALLOCATION_LIMIT_MB} MB of large arrays and strings in this run, the most a run may make here, and was stopped (${ALLOCATION_COUNTED}, even once it is dropped: reuse a large array rather than make a new one each time round a loop).`,
    );
    expect(hog.lines).toEqual(['before']);
    await expectNextRunWorks();
    await expectNoWorkerLeft();
  });

  // One request past the limit goes over before anything is made (V8 would make these arrays sparse, and cheap).
  it('the Array constructor, Array.from, concat and padEnd count; a catch in the program does not keep it going', async () => {
    for (const make of ['new Array(300_000_000)', 'Array(300_000_000)', 'Array.from({ length: 300_000_000 })', 'new Array(200_000_000).concat(new Array(200_000_000))', '"".padEnd(3e9)']) {
      const hog = await run(`function main() {
  const keep: unknown[] = [];
  for (;;) {
    try {
      keep.push(${make});
    } catch {
      keep.length = 0;
    }
  }
}
`);
      expect(hog.outcome.status, make).toBe('out-of-memory');
      expect(hog.outcome.message, make).toMatch(/^Out of memory: thread 'main' made more than /);
    }
    await expectNextRunWorks();
  });

  it('everyday arrays are not counted, and the Array a program sees behaves as Array', async () => {
    const ok = await run(`function main() {
  let total = 0;
  for (let i = 0; i < 300_000; i++) total += new Array(1000).fill(1).length; // 2.4 GB at 8 bytes an element, in small arrays
  class Stack extends Array<number> {}
  const s = new Stack();
  s.push(1, 2);
  console.log(total, Array(3).length, Array(2, 3), Array.of(7), Array.from(new Set([1, 2])), Array.from("ab", (c) => c + c));
  console.log([] instanceof Array, Array.isArray(new Array(2)), s instanceof Stack, s instanceof Array, s.length, Array.name, Array.length);
  console.log([1].concat([2, [3]], 4), Array.prototype.concat.call(1, 2).length, "ab".repeat(2), "7".padStart(3, "0"));
}
`);
    expect(ok.outcome.status).toBe('ok');
    expect(ok.lines).toEqual([
      '300000000 3 [2, 3] [7] [1, 2] ["aa", "bb"]',
      'true true true true 2 Array 1',
      '[1, 2, [3], 4] 2 abab 007',
    ]);
  });

  it('the CLI ends a blow-up V8 itself aborts on (push onto one array) with a weft message, not a V8 fatal error', () => {
    const dir = tempDir('weft-hostile-');
    const file = join(dir, 'blow-up.ts');
    writeFileSync(file, `function main() {
  console.log("start");
  const keep: number[] = [];
  for (let i = 0; ; i++) keep.push(i + 0.5);
}
`);
    const cli = runCli(['run', file, '--timeout', '120000'], { env: { WEFT_THREAD_HEAP_MB: '64' } });
    expect(cli.stdout).toBe('start\n');
    expect(cli.stderr).not.toContain('FATAL ERROR');
    expect(cli.stderr).toMatch(/^weft: Out of memory: /m);
    expect(cli.code).toBe(2);
  });
});

describe('many threads', () => {
  it('spawning and joining 2,000 threads one at a time runs (the limit counts live threads, as Rust has none)', async () => {
    const many = await run(`import { spawn, current } from "weft/thread";
function main() {
  let sum = 0;
  let lastId = 0;
  for (let i = 0; i < 2000; i++) {
    const [value, id] = spawn(() => [i, current().id().asU64()]).join();
    sum += value;
    lastId = id;
  }
  console.log(sum);
}
`, { timeoutMs: 120_000 });
    expect(many.errors).toEqual([]);
    expect(many.outcome.status).toBe('ok');
    expect(many.lines).toEqual([String((1999 * 2000) / 2)]);
  });

  it('a program that keeps 1,024 threads alive at once panics at the 1,024th, saying no thread is left that could give a place back', async () => {
    // The threads end at once, so few workers are needed; none of them is joined, so all count, and main, the only
    // thread still running, would wait for ever for a place.
    const many = await run(`import { spawn } from "weft/thread";
function main() {
  const handles = [];
  for (let i = 0; i < 1024; i++) handles.push(spawn(() => i));
  console.log("spawned them all");
}
`, { timeoutMs: 60_000 });
    expect(many.outcome.status).toBe('panic');
    expect(many.errors[0]!.message).toContain('at most 1023 threads at once in one run (running, or finished and not yet joined), and all 1023 places are taken');
    expect(many.errors[0]!.message).toMatch(/no other thread is running, so none ever will \(1022 have finished and wait to be joined\)/);
    expect(many.lines).toEqual([]);
  });

  it('dropping handles faster than their threads finish makes the spawn wait for a place, not panic', async () => {
    const flood = await run(`import { spawn, sleep } from "weft/thread";
import { drop } from "weft/sync";
function main() {
  for (let i = 0; i < 1100; i++) drop(spawn(() => sleep(200)));
  console.log("spawned them all");
}
`, { timeoutMs: 60_000 });
    expect(flood.errors).toEqual([]);
    expect(flood.outcome.status).toBe('ok');
    expect(flood.lines).toEqual(['spawned them all']);
    await expectNextRunWorks();
  });

  it("threads still waiting for a worker at the time limit are said to be so, in one line, not each 'a loop that never ends'", async () => {
    // Before: 'thread 187 was still running, not waiting for anything in weft: a loop that never ends, or work that
    // needs more time', for each of 800 threads whose closure (`() => i`) had not even begun.
    const many = await run(`import { spawn } from "weft/thread";
function main() {
  const handles = [];
  for (let i = 0; i < 1000; i++) handles.push(spawn(() => i));
  for (const h of handles) h.join();
}
`, { timeoutMs: 1000 });
    expect(many.outcome.status).toBe('timeout');
    const waiting = many.errors.find((e) => e.message.includes('not started yet'));
    expect(waiting?.message).toMatch(/^\d+ threads \(\d+ to 1001\) had not started yet, waiting for a worker to run on/);
    for (const error of many.errors) expect(error.message).not.toContain('a loop that never ends');
    await expectNoWorkerLeft();
  });

  it('a program that spawns threads without end still stops at its time limit, and leaves no worker', async () => {
    const spawner = await run(`import { spawn, sleep } from "weft/thread";
function main() {
  for (let i = 0; ; i++) spawn(() => sleep(1_000_000));
}
`, { timeoutMs: 2000 });
    expect(['timeout', 'panic']).toContain(spawner.outcome.status);
    if (spawner.outcome.status === 'timeout') expect(spawner.outcome.message).toBe('Stopped by the time limit of 2 s.');
    await expectNextRunWorks();
    await expectNoWorkerLeft();
  });
});

describe('the network, the file system and the process are out of reach', () => {
  /** What `expression` is in main and in a spawned thread: "undefined" when it is out of reach. */
  const probes: Record<string, string> = {};
  for (const name of FORBIDDEN_GLOBALS) probes[`globalThis.${name}`] = `(globalThis as any)[${JSON.stringify(name)}]`;
  for (const name of FORBIDDEN_PROCESS) probes[`process.${name}`] = `(globalThis as any).process[${JSON.stringify(name)}]`;
  for (const name of FORBIDDEN_NAVIGATOR) probes[`navigator.${name}`] = `(globalThis as any).navigator?.[${JSON.stringify(name)}]`;
  // Looking further up the global object's prototype chain finds nothing either.
  probes['fetch up the prototype chain'] =
    '(() => { for (let o = Object.getPrototypeOf(globalThis); o; o = Object.getPrototypeOf(o)) if (Object.getOwnPropertyDescriptor(o, "fetch")) return "found"; return undefined; })()';
  probes['getBuiltinModule on process\'s prototypes'] =
    '(() => { for (let o = Object.getPrototypeOf((globalThis as any).process); o; o = Object.getPrototypeOf(o)) if (Object.getOwnPropertyDescriptor(o, "getBuiltinModule")) return "found"; return undefined; })()';

  /** Ways to build code from a string (which could then `import("node:fs")`): each must throw. */
  const builders: Record<string, string> = {
    'Function(…)': 'Function("return 1")()',
    'new Function(…)': 'new Function("return 1")()',
    'a function\'s .constructor': '(() => 1).constructor("return 1")()',
    'an async function\'s .constructor': '(async () => 1).constructor("return 1")',
    'a generator\'s .constructor': '(function* () {}).constructor("yield 1")',
    'eval': 'eval("1 + 1")',
    'indirect eval': '(0, (globalThis as any).eval)("1 + 1")',
    'setTimeout with a string': '(setTimeout as any)("1 + 1", 0)',
    'setInterval with a string': '(setInterval as any)("1 + 1", 1000)',
  };

  let result: Run;
  beforeAll(async () => {
    const check = (expr: string) => `(() => { try { const v = ${expr}; return v === undefined ? "undefined" : typeof v; } catch (e) { return "threw"; } })()`;
    const tries = (expr: string) => `(() => { try { ${expr}; return "ran"; } catch (e) { return "threw " + (e as Error).name; } })()`;
    const table = [
      ...Object.entries(probes).map(([label, expr]) => `[${JSON.stringify(label)}, ${check(expr)}]`),
      ...Object.entries(builders).map(([label, expr]) => `[${JSON.stringify(label)}, ${tries(expr)}]`),
      `["process.env keys", String(Object.keys((globalThis as any).process.env).length)]`,
      `["Function.prototype intact", String((() => 1) instanceof Function)]`,
    ].join(',\n    ');
    result = await run(`import { spawn } from "weft/thread";
function probe(): string {
  return JSON.stringify([
    ${table}
  ]);
}
function main() {
  console.log(probe());
  console.log(spawn(() => probe()).join());
}
`);
  });

  it('the probe program runs, in main and in a spawned thread', () => {
    expect(result.errors).toEqual([]);
    expect(result.outcome.status).toBe('ok');
  });

  const seen = (where: 0 | 1) => new Map(JSON.parse(result.lines[where]!) as [string, string][]);

  for (const [where, index] of [['main', 0], ['a spawned thread', 1]] as const) {
    for (const label of Object.keys(probes)) {
      it(`${label} is undefined in ${where}`, () => {
        expect(result.outcome.status).toBe('ok');
        expect(seen(index).get(label)).toBe('undefined');
      });
    }
    for (const label of Object.keys(builders)) {
      it(`${label} cannot build code in ${where}`, () => {
        expect(seen(index).get(label)).toMatch(/^threw (EvalError|TypeError)$/);
      });
    }
    it(`process.env is empty in ${where}, and functions are still Functions`, () => {
      expect(seen(index).get('process.env keys')).toBe('0');
      expect(seen(index).get('Function.prototype intact')).toBe('true');
    });
  }

  it('calling fetch or new WebSocket says the book\'s programs have no network, in main and in a thread', async () => {
    // Before: "fetch is not a function", and nothing more.
    const called = await run(`import { spawn } from "weft/thread";
function main() {
  try { spawn(() => { new WebSocket("ws://example.com"); }).join(); } catch {}
  fetch("https://example.com");
}
`);
    expect(called.outcome.status).toBe('panic');
    expect(called.errors.map((e) => e.message)).toEqual([
      "thread 'thread 2' panicked: WebSocket is not a constructor (WebSocket is not available to a program in this book: it runs with no network, no storage and no files)",
      "thread 'main' panicked: fetch is not a function (fetch is not available to a program in this book: it runs with no network, no storage and no files)",
    ]);
  });

  it('import() of a node: module is a compile error at its line', async () => {
    const dynamic = await run(`function main() {
  return import("node:fs");
}
`);
    expect(dynamic.outcome.status).toBe('compile-error');
    expect(dynamic.errors[0]!.message).toContain('`import(…)` is not available here');
    expect(dynamic.errors[0]!.location?.line).toBe(2);
  });

  it('an import of a node: module is refused, naming the modules there are', async () => {
    const fs = await run(`import { readFileSync } from "node:fs";
function main() {
  console.log(readFileSync("/etc/passwd", "utf8"));
}
`);
    expect(['compile-error', 'panic']).toContain(fs.outcome.status);
    expect(fs.lines).toEqual([]);
    expect(fs.errors[0]!.message).toMatch(/only weft modules can be imported/);
  });
});

describe('a program that ends its own worker', () => {
  // process.exit() in a worker_thread ends the worker with no 'error' event: the run used to wait for the
  // thread until its time limit ("Stopped by the time limit"), saying nothing of the exit.
  for (const [where, body] of [
    ['main', 'console.log("bye");\n  (globalThis as any).process.exit(3);\n  console.log("not printed");'],
    ['a spawned thread', 'spawn(() => { console.log("bye"); (globalThis as any).process.exit(3); }).join();\n  console.log("not printed");'],
    ['main, through process.reallyExit', 'console.log("bye");\n  (globalThis as any).process.reallyExit(3);'],
  ] as const) {
    it(`process.exit in ${where} ends the run at once, saying so, and the next run works`, async () => {
      const exited = await run(`import { spawn } from "weft/thread";
function main() {
  ${body}
}
`);
      expect(exited.outcome.status).toBe('panic');
      expect(exited.outcome.message).toMatch(/^(thread 'main'|thread 2) ended the program with process\.exit\(3\)/);
      expect(exited.lines).toEqual(['bye']);
      await expectNextRunWorks();
      await expectNoWorkerLeft();
    });
  }
});

describe('an async task that never stops yielding', () => {
  // The executor ran its queue until empty: a task that always yields again kept it going for good, so an
  // async main that had returned (and printed its last line) ran on until the time limit.
  it('the program ends when async main returns, as a Tokio runtime does, and the spinning task is dropped', async () => {
    const spun = await run(`import { spawn, sleep, yieldNow } from "weft/task";
async function main() {
  spawn(async () => { while (true) { await yieldNow(); } });
  await sleep(5);
  console.log("end of main");
}
`);
    expect(spun.outcome.status).toBe('ok');
    expect(spun.lines).toEqual(['end of main']);
    await expectNextRunWorks();
  });

  it('a task awaiting spawnBlocking is woken while another spins (finished blocking threads are looked at between polls)', async () => {
    const spun = await run(`import { spawn, spawnBlocking, yieldNow } from "weft/task";
import { sleep } from "weft/thread";
async function main() {
  spawn(async () => { while (true) { await yieldNow(); } });
  // The blocking thread finishes after the spinner started.
  const v = await spawnBlocking(() => { sleep(50); return 6 * 7; });
  console.log("blocking gave", v);
}
`);
    expect(spun.outcome.status).toBe('ok');
    expect(spun.lines).toEqual(['blocking gave 42']);
  });
});

describe("callbacks that keep main's event loop busy after main returned", () => {
  // main's result was sent after two turns of its thread's event loop, which a looping Promise or timer callback
  // never gives: the run printed main's last line and went on until its time limit.
  for (const [what, line] of [
    ['a Promise callback that queues itself', 'const spin = () => { Promise.resolve().then(spin); };\n  spin();'],
    ['a microtask that queues itself', 'queueMicrotask(function again() { queueMicrotask(again); });'],
    ['a timer callback that loops', 'setTimeout(() => { while (true) {} }, 0);'],
  ] as const) {
    it(`${what}: the program ends with main, as a Rust process does, and the next run works`, async () => {
      const spun = await run(`function main() {
  ${line}
  console.log("end of main");
}
`);
      expect(spun.outcome.status).toBe('ok');
      expect(spun.lines).toEqual(['end of main']);
      await expectNextRunWorks();
    });
  }

  it("a panic in main is still reported as main's, with its line", async () => {
    const spun = await run(`function main() {
  queueMicrotask(function again() { queueMicrotask(again); });
  throw new Error("main gave up");
}
`);
    expect(spun.outcome.status).toBe('panic');
    expect(spun.errors[0]!.message).toContain('main gave up');
    expect(spun.errors[0]!.location?.line).toBe(3);
  });
});

describe("a run's changes to globals and to weft's classes do not reach the program's next run", () => {
  // A worker serves the program's next run (worker-pool.ts): a global the program set, a Math.random it replaced and
  // a wrapper it put on Mutex.prototype.lock were still there, so each run of the same program printed something else.
  it('the same program prints the same thing on every run, in main and in a thread', async () => {
    const source = `import { Mutex, mpsc } from "weft/sync";
import { spawn } from "weft/thread";
function bump(): string {
  const g = globalThis as any;
  g.leftover = (g.leftover ?? 0) + 1;
  const lock = Mutex.prototype.lock;
  (Mutex.prototype as any).lock = function (this: any) { g.locks = (g.locks ?? 0) + 1; return lock.call(this); };
  (mpsc as any).extra = ((mpsc as any).extra ?? 0) + 1;
  Math.random = () => 0.5;
  new Mutex(0).lock();
  return \`leftover \${g.leftover}, locks \${g.locks}, mpsc.extra \${(mpsc as any).extra}\`;
}
function main() {
  console.log("main:", bump());
  console.log("thread:", spawn(() => bump()).join());
}
`;
    const outputs: string[][] = [];
    for (let i = 0; i < 3; i++) {
      const again = await run(source);
      expect(again.outcome.status).toBe('ok');
      outputs.push(again.lines);
    }
    expect(outputs).toEqual(Array(3).fill(['main: leftover 1, locks 1, mpsc.extra 1', 'thread: leftover 1, locks 1, mpsc.extra 1']));
    const random = await run(`function main() {
  console.log(Math.random() === 0.5 ? "replaced" : "fresh");
}
`);
    expect(random.lines).toEqual(['fresh']);
  });
});

describe('smaller faults', () => {
  it('throwing an object whose toString throws is the program\'s panic, not a crash of weft', async () => {
    const odd = await run(`function main() {
  throw { toString() { throw new Error("no text for you"); } };
}
`);
    expect(odd.outcome.status).toBe('panic');
    expect(odd.errors[0]!.message).toBe(
    "thread 'main' panicked: (a thrown value whose text could not be read: reading it threw Error: no text for you)",
    );
  });

  it('an Error whose message getter throws is a panic too', async () => {
    const odd = await run(`import { spawn } from "weft/thread";
class Odd extends Error { get message(): string { throw new Error("nope"); } }
function main() {
  spawn(() => { throw new Odd(); }).join();
}
`);
    expect(odd.outcome.status).toBe('panic');
    expect(odd.errors.map((e) => e.message).join('\n')).toContain('reading it threw Error: nope');
  });

  it('a thrown Proxy whose traps throw is a panic at the throw, in main and in a thread, not a failure of the runner', async () => {
    const odd = await run(`import { spawn } from "weft/thread";
const hostile = () => new Proxy({}, { get() { throw new Error("get trap"); }, getPrototypeOf() { throw new Error("proto trap"); } });
function main() {
  const h = spawn(() => { throw hostile(); });
  try { h.join(); } catch (e) { console.log("joined:", (e as Error).message); }
  throw hostile();
}
`);
    expect(odd.outcome.status).toBe('panic');
    expect(odd.lines).toEqual(["joined: (a thrown value whose text could not be read: reading it threw Error: proto trap)"]);
    const mains = odd.errors.filter((e) => e.thread === 'main');
    expect(mains.map((e) => [e.message, e.location?.line])).toEqual([
      ["thread 'main' panicked: (a thrown value whose text could not be read: reading it threw Error: proto trap)", 6],
    ]);
    await expectNextRunWorks();
  });

  it("an Error whose name getter throws is a panic with its own message, named Error", async () => {
    const odd = await run(`class Odd extends Error { get name(): string { throw new Error("no name"); } }
function main() {
  throw new Odd("the real message");
}
`);
    expect(odd.outcome.status).toBe('panic');
    expect(odd.errors[0]!.name).toBe('Error');
    expect(odd.errors[0]!.message).toBe("thread 'main' panicked: the real message");
  });

  it('a thread that is sent its own JoinHandle and joins it panics at once, as Rust\'s join fails with EDEADLK', async () => {
    const self = await run(`import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<any>();
  const [dtx, drx] = mpsc.channel<string>();
  const h = spawn(() => { const me = rx.recv(); try { me.join(); dtx.send("joined itself"); } catch (e) { dtx.send((e as Error).message); } });
  tx.send(h);
  console.log(drx.recv());
}
`);
    expect(self.outcome.status).toBe('ok');
    expect(self.lines).toEqual(['thread 2 tried to join itself, and would wait for its own end for ever (Rust\'s join() fails here with "Resource deadlock avoided")']);
  });

  it('a panic with a 5 MB message is cut like a console line, in a thread and in main, and a catch still has all of it', async () => {
    const huge = await run(`import { spawn, ThreadPanic } from "weft/thread";
function main() {
  const h = spawn(() => { throw new Error("t".repeat(5_000_000)); });
  try { h.join(); } catch (e) { console.log("caught a payload of", String((e as ThreadPanic).payload).length); }
  throw new Error("m".repeat(5_000_000));
}
`);
    expect(huge.outcome.status).toBe('panic');
    expect(huge.lines).toEqual(['caught a payload of 5000000']);
    expect(huge.errors.map((e) => e.thread)).toEqual(['thread 2', 'main']);
    for (const error of huge.errors) {
      expect(error.message.length).toBeLessThan(MAX_LINE_CHARS + 200);
      expect(error.message).toMatch(/ … \(4996000 more characters not shown\)$/);
    }
    expect(huge.errors[1]!.location?.line).toBe(5);
  });

  it("console's format specifiers are applied, as in browsers and Node (console.timeEnd writes through them)", async () => {
    const formatted = await run(`function main() {
  console.log("%d of %s done (%i%%)", 3, "them", 42.9);
  console.log("%o and %c styled", { a: [1, "x"] }, "color: red");
  console.log("no args %d");
  console.log("extra %s", "a", "b", 5);
  console.log("100%", "sure");
  console.time("t");
  console.timeEnd("t");
}
`);
    expect(formatted.outcome.status).toBe('ok');
    expect(formatted.lines.slice(0, 5)).toEqual(['3 of them done (42%)', '{ a: [1, "x"] } and  styled', 'no args %d', 'extra a b 5', '100% sure']);
    expect(formatted.lines[5]).toMatch(/^t: [\d.]+m?s$/);
  });

  it("console.trace shows the program's own frames at the reader's lines, not weft's or the runner's", async () => {
    const traced = await run(`import { spawn } from "weft/thread";
function inner() {
  console.trace("here", 5);
}
function main() {
  inner();
  spawn(() => inner()).join();
}
`);
    expect(traced.outcome.status).toBe('ok');
    expect(traced.lines).toEqual([
      'Trace: here 5\n    at inner (line 3, column 11)\n    at main (line 6, column 3)',
      'Trace: here 5\n    at inner (line 3, column 11)\n    at (line 7, column 15)',
    ]);
  });

  it('a time limit past what a timer can wait (1e11 ms) is the longest one, not an end at once', async () => {
    const long = await run(`function main() {
  console.log("ran");
}
`, { timeoutMs: 1e11 });
    expect(long.outcome.status).toBe('ok');
    expect(long.lines).toEqual(['ran']);
  });

  it('an unhandled rejection reaches the output, with its line, and the run goes on', async () => {
    const rejected = await run(`import { sleep } from "weft/thread";
function main() {
  Promise.reject(new Error("nobody caught me"));
  sleep(20);
  console.log("still running");
}
`);
    expect(rejected.outcome.status).toBe('ok');
    expect(rejected.lines).toContain('still running');
    expect(rejected.lines).toContain('Unhandled promise rejection: Error: nobody caught me (line 3, column 18)');
  });
});

describe("a program that rewrites JavaScript's built-ins", () => {
  const cases: [string, string, string][] = [
    ['replaces Array.prototype.push', '(Array.prototype as any).push = function () { throw new Error("hijacked"); };', "Cannot assign to read only property 'push'"],
    ['makes every object a thenable', '(Object.prototype as any).then = (resolve: (v: number) => void) => resolve(1);', 'Cannot add property then, object is not extensible'],
    ['replaces Function.prototype.call', '(Function.prototype as any).call = () => 0;', "Cannot assign to read only property 'call'"],
    ['replaces Atomics.wait', '(Atomics as any).wait = () => "ok";', "Cannot assign to read only property 'wait'"],
    ['replaces the global Map', '(globalThis as any).Map = class {};', "Cannot assign to read only property 'Map'"],
  ];
  for (const [what, statement, message] of cases) {
    it(`${what}: a TypeError at its own line, and weft goes on working in the next run`, async () => {
      const source = `import { spawn } from "weft/thread";
import { mpsc } from "weft/sync";
function main() {
  ${statement}
  const [tx, rx] = mpsc.channel<number>();
  spawn(() => tx.send(5)).join();
  console.log("received", rx.recv());
}
`;
      const hostile = await run(source);
      expect(hostile.outcome.status).toBe('panic');
      expect(hostile.lines).toEqual([]);
      expect(hostile.errors[0]!.message).toContain(message);
      expect(hostile.errors[0]!.message).toContain("if it is one of JavaScript's built-ins, such as Array.prototype, Atomics or Object.prototype: those are read-only while a program runs in this book");
      expect(hostile.errors[0]!.location?.line).toBe(4);
      // The same program again (a warm worker of its last run may serve it) fails the same way, at the same place.
      const again = await run(source);
      expect(again.errors[0]!.location?.line).toBe(4);
      await expectNextRunWorks();
    });
  }

  it('everyday code that sets properties still runs: Error names, own toString, Math.random, console.log, subclasses of built-ins', async () => {
    const everyday = await run(`import { spawn } from "weft/thread";
class Timeout extends Error { constructor(what: string) { super(what + " timed out"); this.name = "Timeout"; } }
class Counts extends Map<string, number> { bump(key: string) { this.set(key, (this.get(key) ?? 0) + 1); } }
class Stack<T> extends Array<T> { peek() { return this[this.length - 1]; } }
function main() {
  const point = { x: 1, y: 2 } as { x: number; y: number; toString?: () => string };
  point.toString = () => "(1, 2)";
  Math.random = () => 0.25;
  const seen: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => { seen.push(args.join(" ")); };
  console.log("captured");
  console.log = log;
  const counts = new Counts();
  counts.bump("a"); counts.bump("a");
  const stack = new Stack<number>(); stack.push(1, 2);
  const error = new Timeout("fetch");
  console.log(String(point), Math.random(), seen.join(), counts.get("a"), stack.peek(), error.name, error.message);
  console.log(spawn(() => [1, 2, 3].map((x) => x * 2).join("+")).join());
}
`);
    expect(everyday.errors).toEqual([]);
    expect(everyday.lines).toEqual(['(1, 2) 0.25 captured 2 2 Timeout fetch timed out', '2+4+6']);
  });
});

describe('a weft method called apart from its object', () => {
  it("names the mistake at the reader's line, not weft's internals alone; the reader's own read of undefined gets no such note", async () => {
    // Before: "Cannot read properties of undefined (reading 'Sender')", and "(reading 'assertUsable')", and nothing else.
    const detached = [
      ['[1, 2].forEach(tx.send);', 'const [tx, rx] = mpsc.channel<number>();'],
      ['const g = lock();', 'const m = new Mutex(1);\n  const lock = m.lock;'],
    ];
    for (const [call, setup] of detached) {
      const result = await run(`import { mpsc, Mutex } from "weft/sync";
function main() {
  ${setup}
  ${call}
}
`);
      expect(result.outcome.status).toBe('panic');
      expect(result.errors[0]!.message).toContain('a weft method called apart from its object');
      expect(result.errors[0]!.location?.line).toBe(setup.split('\n').length + 3);
    }
    const own = await run(`function main() {
  const o: { x: number } | undefined = undefined;
  console.log(o!.x);
}
`);
    expect(own.errors[0]!.message).toMatch(/^thread 'main' panicked: Cannot read properties of undefined \(reading 'x'\)$/);
    await expectNextRunWorks();
  });
});

describe("a thread's ThreadId, one object per id that a reused worker keeps", () => {
  it('refuses what a program adds to it, so the next run on the same worker never sees it', async () => {
    // Before: `(current().id() as any).mark = 1` succeeded, and the next run's ThreadId(1), the same object, had `mark`.
    const marked = await run(`import { current } from "weft/thread";
function main() {
  (current().id() as any).mark = "left by the last run";
}
`);
    expect(marked.outcome.status).toBe('panic');
    expect(marked.errors[0]!.message).toContain('Cannot add property mark');
    const next = await run(`import { current } from "weft/thread";
function main() {
  console.log(String((current().id() as any).mark), current().id() === current().id());
}
`);
    expect(next.lines).toEqual(['undefined true']);
  });
});

describe("a program that writes over weft's records in run memory", () => {
  it("through a sharedArray's .buffer: the run ends as the program's fault, saying so (the CLI crashed with a stack trace), and the next run works", async () => {
    // Before: the supervisor's look at the console ring threw "Invalid atomic access index" in a timer: the CLI
    // printed a Node stack trace and exited, and a run on the page (or here) never ended.
    const scribbled = await run(`import { sharedArray } from "weft/par";
function main() {
  const all = new Int32Array(sharedArray(Int32Array, 4).buffer);
  all.fill(-1);
  console.log("after");
}
`);
    // The program's doing, as a Rust program's write through a bad pointer is: a Check says so, not "the runner failed".
    expect(scribbled.outcome.status).toBe('panic');
    expect(scribbled.outcome.message).toContain('written over');
    expect(scribbled.errors.at(-1)!.message).toContain('could not read its own records');
    expect(scribbled.errors.at(-1)!.message).toContain('sharedArray');
    await expectNextRunWorks();
    await expectNoWorkerLeft();
  });

  it("a thread name of megabytes is cut in the deadlock report, as one the program wrote over the table with would be", async () => {
    // Before: each line of the report held the whole 2 MB name, three times over.
    const named = await run(`import { builder } from "weft/thread";
import { Mutex, Arc } from "weft/sync";
function main() {
  const m = new Arc(new Mutex(0));
  const c = m.clone();
  using g = m.lock();
  builder().name("w".repeat(2_000_000)).spawn(() => { using g2 = c.lock(); }).join();
}
`);
    expect(named.outcome.status).toBe('deadlock');
    expect(named.errors.length).toBeGreaterThan(0);
    for (const error of named.errors) expect(error.message.length).toBeLessThan(2_000);
    expect(named.outcome.message.length).toBeLessThan(2_000);
    expect(named.errors[0]!.message).toContain('w'.repeat(200) + '…');
  });
});

describe('an exception a timer or microtask callback throws', () => {
  // Before: "A worker failed: timer threw", the run ended as a crash, with no thread and no line.
  for (const [what, line] of [
    ['setTimeout', 'setTimeout(() => { throw new Error("callback threw"); }, 0);'],
    ['queueMicrotask', 'queueMicrotask(() => { throw new Error("callback threw"); });'],
  ] as const) {
    it(`in a ${what} callback of main: main's panic at the throw's line, and the next run works`, async () => {
      const result = await run(`import { sleep } from "weft/thread";
function main() {
  ${line}
  sleep(20);
  console.log("main done");
}
`);
      expect(result.outcome.status).not.toBe('crashed');
      expect(result.lines).toEqual(['main done']);
      expect(result.errors[0]!.message).toBe("thread 'main' panicked: callback threw");
      expect(result.errors[0]!.location?.line).toBe(3);
      await expectNextRunWorks();
    });
  }

  it("in a spawned thread's callback, after its closure returned: that thread's panic, and main's join still has the value", async () => {
    const result = await run(`import { spawn, sleep } from "weft/thread";
function main() {
  const h = spawn(() => {
    queueMicrotask(() => { throw new Error("late"); });
    return 1;
  });
  sleep(50);
  console.log("joined", h.join());
}
`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['joined 1']);
    expect(result.errors[0]!.message).toBe("thread 'thread 2' panicked: late");
    expect(result.errors[0]!.location?.line).toBe(4);
  });
});

describe('a drop that panics while its thread unwinds from a panic', () => {
  it("says both panics, at the first one's line (it said \"An error was suppressed during disposal.\" only)", async () => {
    const result = await run(`import { scope } from "weft/thread";
import { Mutex } from "weft/sync";
class Bomb { [Symbol.dispose]() { throw new Error("drop panicked"); } }
function main() {
  const m = new Mutex(0);
  try {
    scope((s) => {
      s.spawn(() => {
        using g = m.lock();
        using b = new Bomb();
        throw new Error("first panic");
      });
    });
  } catch (e) { console.log((e as Error).message); }
  using b = new Bomb();
  throw new Error("main's panic");
}
`);
    expect(result.lines).toEqual(['a scoped thread panicked: first panic (and while it unwound, a drop panicked too at line 3: drop panicked)']);
    expect(result.errors[0]!.message).toBe("thread 'thread 2' panicked: first panic (and while it unwound, a drop panicked too at line 3: drop panicked)");
    expect(result.errors[0]!.location?.line).toBe(11);
    expect(result.outcome.status).toBe('panic');
    const main = result.errors.at(-1)!;
    expect(main.message).toBe("thread 'main' panicked: main's panic (and while it unwound, a drop panicked too at line 3: drop panicked)");
    expect(main.location?.line).toBe(16);
  });
});

describe('calling an export by name (RunOptions.call, the CLI\'s --call)', () => {
  it("finds only the program's own exports, not what every object inherits (constructor, toString, hasOwnProperty)", async () => {
    // Before: --call constructor printed "constructor returned {  }", --call toString '"[object Undefined]"', and
    // --call hasOwnProperty panicked with "Cannot convert undefined or null to object".
    for (const name of ['constructor', 'toString', 'hasOwnProperty']) {
      const called = await run(`export function double(x: number) { return x * 2; }
function main() {}
`, { call: { name, args: [] } });
      expect(called.outcome.status).toBe('panic');
      expect(called.errors[0]!.message).toContain(`the program has no exported function \`${name}\``);
    }
  });
});

describe('a scoped JoinHandle taken out of its scope', () => {
  it("joined after the scope says its scope joined it (it said 'a JoinHandle joins once', as if joined twice)", async () => {
    const escaped = await run(`import { scope } from "weft/thread";
function main() {
  const h = scope((s) => s.spawn(() => 5));
  console.log(h.join());
}
`);
    expect(escaped.outcome.status).toBe('panic');
    expect(escaped.errors[0]!.message).toContain('its scope joined it when the scope ended');
    expect(escaped.errors[0]!.location?.line).toBe(4);
  });
});

describe("the CLI's terminal is written only through the console", () => {
  it("process.stdout, stderr and _rawDebug are out of reach, so a program cannot print past the line limit or among a Check's results", () => {
    // Before: process.stdout.write("  ✓ … All checks passed!") printed among `weft check`'s own lines, raw, with
    // no thread and no line limit.
    const dir = tempDir('weft-hostile-');
    const file = join(dir, 'raw.ts');
    writeFileSync(file, `import { spawn } from "weft/thread";
function raw(where: string) {
  const p = (globalThis as any).process;
  for (const write of [() => p.stdout.write("forged\\n"), () => p.stderr.write("forged\\n"), () => p._rawDebug("forged")]) {
    try { write(); } catch { console.log(where, "refused"); }
  }
}
function main() {
  raw("main");
  spawn(() => raw("thread")).join();
}
`);
    const cli = runCli(['run', file]);
    expect(cli.stdout + cli.stderr).not.toContain('forged');
    expect(cli.stdout).toBe('main refused\n'.repeat(3) + 'thread refused\n'.repeat(3));
    expect(cli.code).toBe(0);
  });
});
