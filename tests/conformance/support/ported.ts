/**
 * The conformance suite's harness: tests ported from Rust's std, Tokio and
 * Rayon, written as weft programs, run the way a reader's program runs
 * (same compile step, runner and workers: tests/unit/support/run-program.ts),
 * free-running and under two seeds of the seeded scheduler.
 *
 * Several ported tests share one program (a worker start costs more than
 * most of them): each case is a function the program's `main` calls in
 * turn between markers, catching what it throws, so one case's panic is
 * reported against that case alone. Only `main` prints; each `it` compares
 * the lines its case printed, in each of the three runs, with what the
 * upstream test asserts. A case whose upstream test expects a deadlock, or
 * that may hang today, gets a program of its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunOptions } from '../../../src/runner/events.ts';
import { runProgram, type ProgramRun } from '../../unit/support/run-program.ts';

export interface PortedCase {
  /** The upstream test function's name (the file is the group's). */
  test: string;
  /** The body of the case's function: it runs the ported test and prints what it found. */
  body: string;
  /** The lines the case prints, in order. */
  expect: string[];
  /** Panic reports the case's threads or tasks print on the way (the runner reports each). */
  panics?: number;
}

export interface PortedProgram {
  /** Import lines of the program. */
  imports: string;
  /** Module-level declarations the cases share (helpers, classes). */
  helpers?: string;
  /** Whether `main` and the cases are `async` (weft/task). */
  async?: boolean;
  cases: PortedCase[];
  /**
   * Code run after each case, to undo what upstream's per-test runtime would
   * have dropped (a case's `time.pause()`: each #[tokio::test] has a runtime
   * of its own, and pausing paused time panics).
   */
  afterEach?: string;
  /**
   * The time limit of each run (default 60 s). A program holding a case that
   * hangs today (an open item of issue 10) gets a short one, so the suite
   * stays quick while it does.
   */
  timeoutMs?: number;
}

/**
 * `afterEach` for Tokio programs whose cases pause time: each #[tokio::test] has a runtime of its own, and
 * pausing paused time panics, so a case's `time.pause()` is undone after it (the program imports `time`).
 */
export const RESUME_TIME = 'try { time.resume(); } catch { /* time was not paused */ }';

/** Each program runs free and under these seeds. */
export const MODES: { label: string; options: RunOptions }[] = [
  { label: 'free', options: {} },
  { label: 'seed 1', options: { seed: 1 } },
  { label: 'seed 2', options: { seed: 2 } },
];

/** Helpers every program has: Rust's assert!/assert_eq!, panicking with the values. */
const ASSERTS = `
function assert(cond: boolean, what = "assertion failed"): void {
  if (!cond) throw new Error(what);
}
function assertEq(actual: unknown, expected: unknown, what = "assert_eq"): void {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(what + ": left " + a + ", right " + e);
}
`;

export function programSource(program: PortedProgram): string {
  const word = program.async ? 'async ' : '';
  const wait = program.async ? 'await ' : '';
  const cases = program.cases.map((c, i) => `${word}function case${i}() {\n${c.body}\n}\n`).join('\n');
  const calls = program.cases
    .map(
      (_, i) => `  console.log("<<< ${i}");
  try {
    ${wait}case${i}();
  } catch (e) {
    console.log("panicked: " + (e instanceof Error ? e.name + ": " + e.message : String(e)));
  }${program.afterEach === undefined ? '' : `\n  ${program.afterEach}`}
  console.log(">>> ${i}");`,
    )
    .join('\n');
  return `${program.imports}\n${ASSERTS}\n${program.helpers ?? ''}\n${cases}\n${word}function main() {\n${calls}\n}\n`;
}

/** The lines `main` printed for case `i`. */
function caseLines(run: ProgramRun, i: number): string[] | undefined {
  const main = run.labelled.filter((l) => l.startsWith('[main] ')).map((l) => l.slice('[main] '.length));
  const from = main.indexOf(`<<< ${i}`);
  const to = main.indexOf(`>>> ${i}`);
  if (from < 0 || to < 0) return undefined;
  return main.slice(from + 1, to);
}

function describeRun(run: ProgramRun): string {
  return `outcome ${JSON.stringify(run.outcome)}; errors ${JSON.stringify(run.errors.map((e) => e.message))}`;
}

/**
 * Registers one `it` per case, named `${upstream}: ${test}`, checking the
 * case in the program's free run and in each seeded run.
 */
export function ported(upstream: string, program: PortedProgram): void {
  const source = programSource(program);
  const runs: ProgramRun[] = [];
  describe(upstream, () => {
    beforeAll(async () => {
      for (const mode of MODES) runs.push(await runProgram(source, { timeoutMs: program.timeoutMs ?? 60_000, ...mode.options }));
    }, 240_000);

    program.cases.forEach((c, i) => {
      it(`${upstream}: ${c.test}`, () => {
        expect(runs.length).toBe(MODES.length);
        MODES.forEach((mode, m) => {
          const run = runs[m]!;
          const lines = caseLines(run, i);
          expect(lines, `${mode.label}: the case did not finish; ${describeRun(run)}`).toBeDefined();
          expect(lines, `${mode.label}: ${describeRun(run)}`).toEqual(c.expect);
        });
      });
    });

    it(`${upstream}: the program ends well, with only the panic reports its cases expect`, () => {
      const panics = program.cases.reduce((n, c) => n + (c.panics ?? 0), 0);
      MODES.forEach((mode, m) => {
        const run = runs[m]!;
        expect(run.outcome.status, `${mode.label}: ${describeRun(run)}`).toBe('ok');
        expect(run.errors.length, `${mode.label}: ${describeRun(run)}`).toBe(panics);
      });
    });
  });
}
