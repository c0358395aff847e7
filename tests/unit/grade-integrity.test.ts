/**
 * A learner's program cannot make a check pass by tampering with what the
 * grader relies on. Checks run in the grader's realm, not the program's
 * (runner/grade.ts), and weft's messages to the supervisor are signed with
 * a token the program never sees (runner/protocol.ts, "Integrity").
 */
import { describe, expect, it } from 'vitest';
import { gradeExercise, summary } from './support/grade-exercise.ts';
import { runProgram } from './support/run-program.ts';

/** Reaches the worker's own port the way a program can: `postMessage` in a browser worker, worker_threads in Node. */
const FORGE = `
function forge(message: object) {
  const wt = (globalThis as any).process?.getBuiltinModule?.("node:worker_threads");
  if (wt) wt.parentPort.postMessage(message);
  else (globalThis as any).postMessage(message);
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
  });

  it("rewriting the program's own intrinsics changes nothing the checks compare with", { timeout: 120_000 }, async () => {
    const source = `
import { spawn } from "weft/thread";

export function sumChunks(chunks: number[][]): number[] {
  // Everything a grader in this realm might compare with now says "equal".
  Object.is = () => true;
  JSON.stringify = () => "[]";
  Array.prototype.every = function () { return true; };
  Array.prototype.some = function () { return true; };
  Object.keys = () => [];
  Array.isArray = () => true;
  Object.prototype.hasOwnProperty = () => true;
  Number.prototype.toLocaleString = function () { return "0"; };
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
  const wt = (globalThis as any).process?.getBuiltinModule?.("node:worker_threads");
  wt?.parentPort.emit("message", { kind: "control", port: null, token: "guess" });
  console.log("still running");
}
`;
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['still running']);
  });
});
