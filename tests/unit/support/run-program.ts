/**
 * Runs a reader program the way the page and the CLI do (same compile step,
 * supervisor and workers, over worker_threads) and collects what a reader
 * would see.
 */
import { afterAll, expect } from 'vitest';
import { createNodeSupervisor } from '../../../src/runner/node-host.ts';
import type { ReaderError, RunEvent, RunOptions, RunOutcome } from '../../../src/runner/events.ts';
import type { Supervisor } from '../../../src/runner/supervisor.ts';

export interface ProgramRun {
  /** Output lines as text, in order. */
  lines: string[];
  /** Output lines with their thread's name: "[main] Result: 10". */
  labelled: string[];
  errors: ReaderError[];
  outcome: RunOutcome;
  events: RunEvent[];
}

let supervisor: Supervisor | undefined;

afterAll(() => {
  supervisor?.dispose();
  supervisor = undefined;
});

export function supervisorForTests(): Supervisor {
  supervisor ??= createNodeSupervisor(2);
  return supervisor;
}

export async function runProgram(source: string, options: RunOptions = {}): Promise<ProgramRun> {
  const events: RunEvent[] = [];
  const handle = supervisorForTests().startRun(source, { timeoutMs: 15_000, ...options }, (event) => events.push(event));
  const outcome = await handle.done;
  const outputs = events.filter((e): e is Extract<RunEvent, { kind: 'output' }> => e.kind === 'output');
  return {
    lines: outputs.map((e) => e.text),
    labelled: outputs.map((e) => `[${e.thread}] ${e.text}`),
    errors: events.filter((e): e is Extract<RunEvent, { kind: 'error' }> => e.kind === 'error').map((e) => e.error),
    outcome,
    events,
  };
}

/** A program whose main is `body` (imports of weft/thread and weft/sync included). */
export function program(body: string, preamble = ''): string {
  return `import { spawn, builder, current, sleep, scope, park, ThreadPanic } from "weft/thread";
import { Arc, Mutex, mpsc, drop, PoisonError, RecvError, SendError, TryRecvError } from "weft/sync";
${preamble}
function main() {
${body}
}
`;
}

/**
 * `run` and `ok` for programs that begin with `imports` (a test file's
 * import line): `run` returns the run with its whole source, `ok` also
 * expects it to end well, with no error.
 */
export function programsWith(imports: string) {
  const run = async (body: string, options: RunOptions = {}) => {
    const source = `${imports}${body}`;
    return { ...(await runProgram(source, options)), source };
  };
  const ok = async (body: string, options: RunOptions = {}) => {
    const result = await run(body, options);
    expect(result.errors, JSON.stringify(result.errors)).toEqual([]);
    expect(result.outcome.status).toBe('ok');
    return result;
  };
  return { run, ok };
}

/** The 1-based line of the first line of `needle` in `source`. */
export function lineOf(source: string, needle: string): number {
  const index = source.indexOf(needle);
  if (index < 0) throw new Error(`'${needle}' is not in the program`);
  return source.slice(0, index).split('\n').length;
}
