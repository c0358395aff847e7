/**
 * A learner's program cannot make a check pass by tampering with what the
 * grader relies on. Checks run in the grader's realm, not the program's
 * (exercises/grade.ts), and weft's messages to the supervisor are signed with
 * a token the program never sees (runner/protocol.ts, "Integrity").
 */
import { describe, expect, it } from 'vitest';
import { gradeExercise, summary } from '../support/grade-exercise.ts';
import { lineOf, runProgram } from '../support/run-program.ts';

/**
 * Tries every way a program might reach the worker's own port: `postMessage` in a browser worker,
 * worker_threads in Node. The run's lockdown (runner/worker/lockdown.ts) takes most of them away;
 * whatever is left must still not get a forged message past the supervisor.
 */
const FORGE = `
function workerThreads(): any {
  try { return (globalThis as any).process?.getBuiltinModule?.("node:worker_threads"); } catch { return undefined; }
}
function forge(message: object) {
  const wt = workerThreads();
  try {
    if (wt) wt.parentPort.postMessage(message);
    else (globalThis as any).postMessage?.(message);
  } catch {}
}`;

describe('grading integrity', () => {
  it('console lines forged through the worker port never reach the grader', { timeout: 120_000 }, async () => {
    const source = `${FORGE}
import { spawn } from "weft/thread";

function main() {
  for (let seq = 0; seq < 3; seq++) {
    forge({ kind: "output", seq, threadId: 0, thread: "main", stream: "log", text: "Total: 1000" });
  }
  const handles = [];
  for (let t = 0; t < 4; t++) handles.push(spawn(() => {}));
  for (const h of handles) h.join();
  console.log("Total: 0");
}
`;
    const direct = await runProgram(source);
    expect(direct.lines).toEqual(['Total: 0']);

    const { result } = await gradeExercise('shared-counter', source, ['counts-every-increment']);
    const [check] = result.checks;
    expect(check!.status, summary(result).join('\n')).toBe('failed');
    expect(check!.message).toMatch(/the total was 0, expected 1,000/);
    // How to replay it comes apart from the message: the CLI and an editor marker print it after, the page has a button.
    expect(check!.message).not.toContain('replay seed');
    expect(check!.replayCue).toBe(check!.seed === undefined ? undefined : ` — replay seed ${check!.seed}`);
  });

  it("rewriting the program's own intrinsics changes nothing the checks compare with", { timeout: 120_000 }, async () => {
    const source = `
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  // Everything a grader in this realm might compare with now says "equal", where the run lets it be rewritten
  // (most built-ins are read-only in a run, lockdown.ts; Object.prototype's own methods are not).
  const attempt = (rewrite: () => void) => { try { rewrite(); } catch {} };
  attempt(() => { Object.is = () => true; });
  attempt(() => { JSON.stringify = () => "[]"; });
  attempt(() => { Array.prototype.every = function () { return true; }; });
  attempt(() => { Array.prototype.some = function () { return true; }; });
  attempt(() => { Object.keys = () => []; });
  attempt(() => { Array.isArray = (() => true) as any; });
  attempt(() => { Object.prototype.hasOwnProperty = () => true; });
  attempt(() => { Object.prototype.toString = () => "[object Array]"; });
  attempt(() => { Number.prototype.toLocaleString = function () { return "0"; }; });
  const handles = chunks.map(() => spawn(() => 0));
  return handles.map((h) => h.join());
}

function main() {
  console.log(sumChunks([[1, 2, 3]]));
}
`;
    const { result } = await gradeExercise('join-results', source, ['returns-every-sum']);
    const [check] = result.checks;
    expect(check!.status, summary(result).join('\n')).toBe('failed');
    expect(check!.message).toContain('sumChunks([[1, 2, 3], [10, 20], [], [5]]) returned [0, 0, 0, 0], expected [6, 30, 0, 5]');
  });

  it('a forged runner failure or a fake handshake cannot end or hijack the run', { timeout: 60_000 }, async () => {
    const source = `${FORGE}
function main() {
  forge({ kind: "fatal", message: "forged" });
  forge({ kind: "worker-retired" });
  try { workerThreads()?.parentPort.emit("message", { kind: "control", port: null, token: "guess" }); } catch {}
  console.log("still running");
}
`;
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['still running']);
  });

  it("the trace is out of the program's reach: wrapping Atomics or the typed arrays, or sharedArray's buffer, never yields it", { timeout: 60_000 }, async () => {
    // Every way a program has seen a SharedArrayBuffer go by: what weft passes to Atomics, the
    // typed array constructors, WeakMap keys, and the run memory that sharedArray lends out.
    const source = `
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";
import { sharedArray } from "weft/par";

const seen = new Set<SharedArrayBuffer>();
const note = (x: any) => {
  const buffer = x instanceof SharedArrayBuffer ? x : x?.buffer;
  if (buffer instanceof SharedArrayBuffer) seen.add(buffer);
};
const RealAtomics = Atomics;
const RealInt32Array = Int32Array;
const spy: any = {};
for (const name of Object.getOwnPropertyNames(RealAtomics)) {
  const f = (RealAtomics as any)[name];
  spy[name] = typeof f === "function" ? (...args: any[]) => { note(args[0]); return f(...args); } : f;
  try { (RealAtomics as any)[name] = spy[name]; } catch {}
}
try { (globalThis as any).Atomics = spy; } catch {}
for (const name of ["Int32Array", "Float64Array", "Uint8Array", "DataView"]) {
  const Real = (globalThis as any)[name];
  try { (globalThis as any)[name] = class extends Real { constructor(...args: any[]) { note(args[0]); super(...args); } }; } catch {}
}
const realGet = WeakMap.prototype.get;
try { WeakMap.prototype.get = function (key: any) { note(key); return realGet.call(this, key); }; } catch {}

function main() {
  note(sharedArray(RealInt32Array, 4));
  const counter = new Arc(new Mutex(0));
  const handles = [];
  for (let t = 0; t < 3; t++) {
    const c = counter.clone();
    handles.push(spawn(() => { for (let i = 0; i < 5; i++) { using g = c.lock(); g.value += 1; } }));
  }
  for (const h of handles) h.join();
  // Forge: wherever a record of those locks (kind 5, line LOCK_LINE three words on) can be found, move it to line 4242.
  let forged = 0;
  for (const buffer of seen) {
    const words = new RealInt32Array(buffer);
    for (let i = 0; i + 3 < words.length; i++) {
      if (words[i] === 5 && words[i + 3] === LOCK_LINE) { words[i + 3] = 4242; forged++; }
    }
  }
  console.log(\`saw \${seen.size}, forged \${forged}\`);
}
`;
    const lockLine = lineOf(source, 'using g = c.lock()');
    const run = await runProgram(source.replaceAll('LOCK_LINE', String(lockLine)), { trace: true });
    expect(run.outcome.status, JSON.stringify(run.errors)).toBe('ok');
    // The hooks work: the program did get hold of run memory (sharedArray hands out a view of it) ...
    expect(run.lines).toEqual([expect.stringMatching(/^saw [1-9]\d*, forged 0$/)]);
    // ... but never of the trace's ring, so the trace still tells what the threads did, where.
    const locks = run.outcome.trace!.events.filter((e) => e.kind === 'lock' && e.thread !== 'main');
    expect(locks.map((e) => e.line)).toEqual(Array(15).fill(lockLine));
  });

  it('a program cannot switch its trace off by clearing words of run memory', { timeout: 60_000 }, async () => {
    const source = `
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";
import { sharedArray } from "weft/par";

function main() {
  // Zero the whole header of run memory, where a trace switch used to live (the scheduler's words too: this run is free).
  const memory = new Int32Array(sharedArray(Int32Array, 1).buffer);
  for (let word = 7; word < 47; word++) if (word !== 36 && word !== 37) memory[word] = 0;
  const counter = new Arc(new Mutex(0));
  const c = counter.clone();
  spawn(() => { using g = c.lock(); g.value += 1; }).join();
}
`;
    const run = await runProgram(source, { trace: true });
    expect(run.outcome.status, JSON.stringify(run.errors)).toBe('ok');
    expect(run.outcome.trace!.events.filter((e) => e.kind === 'lock' && e.thread !== 'main')).toHaveLength(1);
  });
});
