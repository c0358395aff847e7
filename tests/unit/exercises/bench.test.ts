/**
 * An exercise's test bench (src/exercises/bench.ts): the checks call it and
 * judge what it returns, so a learner's file whose bench was edited fails
 * every check, with where and what to do; formatting, types, comments, an
 * edited `main` and code added anywhere are fine.
 */
import { describe, expect, it } from 'vitest';
import { getExercise } from '../../../src/exercises/catalog.ts';
import { benchChanges, describeBenchChanges } from '../../../src/exercises/bench.ts';
import { gradeExercise, summary } from '../support/grade-exercise.ts';

const STARTER = `import { spawn } from "weft/task";

export async function work(n: number): Promise<number> {
  return n; // TODO
}

// ---- the test bench: keep it as it is ----

/** Runs every job. */
export async function runJobs(jobs: number[]): Promise<{ total: number; log: string[] }> {
  const log: string[] = [];
  let total = 0;
  for (const job of jobs) {
    total += await work(job);
    log.push(\`job \${job}\`);
  }
  return { total, log };
}

const LIMIT = 3;

async function main() {
  console.log(await runJobs([1, 2, LIMIT]));
}
`;

describe('the test bench', () => {
  it('a file with the bench as given, reformatted, retyped, commented, with main changed and helpers added anywhere, is intact', () => {
    const mine = STARTER.replace('return n; // TODO', 'return helper(n);')
      .replace('export async function runJobs(jobs: number[]): Promise<{ total: number; log: string[] }> {', "export async function runJobs(jobs: readonly number[]): Promise<{ total: number; log: Array<string>, }>\n{ // reformatted")
      .replace('const log: string[] = [];', "const log: string[] = []  // no semicolon")
      .replace('console.log(await runJobs([1, 2, LIMIT]));', 'console.log("mine", await runJobs([5]));')
      .concat('\nfunction helper(n: number) { return n * 2; }\n');
    expect(benchChanges(STARTER, mine)).toEqual([]);
    expect(benchChanges(STARTER, STARTER)).toEqual([]);
  });

  it('a changed operator, value or name in a bench declaration is a change, at its line; a removed one is named as gone', () => {
    const edited = STARTER.replace('total += await work(job);', 'total += job * 2;');
    expect(benchChanges(STARTER, edited)).toEqual([{ name: 'runJobs', line: 10, benchLine: '// ---- the test bench: keep it as it is ----' }]);
    const relimited = STARTER.replace('const LIMIT = 3;', 'const LIMIT = 4;');
    expect(benchChanges(STARTER, relimited).map((c) => c.name)).toEqual(['LIMIT']);
    const gone = STARTER.replace(/\/\*\* Runs every job[\s\S]*?\n}\n/, '');
    expect(benchChanges(STARTER, gone)).toEqual([{ name: 'runJobs', benchLine: '// ---- the test bench: keep it as it is ----' }]);
  });

  it('a declaration whose comment says to keep it as it is is held to the starter too, bench or no bench', () => {
    const starter = `/** One job's work: slow. Keep it as it is. */
export function work(ms: number): number {
  const end = Date.now() + ms;
  while (Date.now() < end);
  return ms;
}

/** Runs the jobs. */
export function runAll(jobs: number[]): number[] {
  return jobs.map(work); // TODO: on threads
}
`;
    const solved = starter.replace('return jobs.map(work); // TODO: on threads', 'return jobs.map((ms) => work(ms));');
    expect(benchChanges(starter, solved)).toEqual([]);
    const quick = starter.replace('while (Date.now() < end);', '');
    expect(benchChanges(starter, quick)).toEqual([{ name: 'work', line: 2 }]);
    expect(describeBenchChanges(benchChanges(starter, quick))).toMatch(/^work \(line 2\), which its comment says to keep as it is, was changed\. /);
  });

  it('a starter without a bench or a kept declaration, or a file that does not compile, is left to the checks', () => {
    expect(benchChanges('export function f() { return 1; }\n', 'export function f() { return 2; }\n')).toEqual([]);
    expect(benchChanges(STARTER, STARTER.replace('let total = 0;', 'let total = ;'))).toEqual([]);
  });

  it("grading a file whose bench was edited fails every check without running it: the first says what changed and where, the rest point there", { timeout: 120_000 }, async () => {
    // graceful-shutdown: the bench's runService made to return the log of a correct shutdown, whatever the service does.
    const exercise = getExercise('graceful-shutdown');
    const gamed = exercise.starter.replace(
      '  const service = startService(inboxes, log);',
      '  const service = startService(inboxes, log);\n  log.length = 0; // a forged log',
    );
    expect(gamed).not.toBe(exercise.starter);
    const { result, events } = await gradeExercise('graceful-shutdown', gamed);
    expect(result.passed).toBe(false);
    const [first, ...rest] = result.checks;
    expect(first!.status).toBe('failed');
    expect(first!.message).toMatch(/^The test bench, below the line “\/\/ ---- the test bench: keep it as it is ----”, was changed: runService \(line \d+\)\. /);
    expect(first!.location?.line).toBeGreaterThan(0);
    for (const check of rest) expect(check).toMatchObject({ status: 'failed', sameCauseAs: first!.id });
    expect(events.filter((e) => e.kind === 'output')).toEqual([]); // nothing ran
    // The starter itself is judged as usual: its bench is as given.
    const starter = await gradeExercise('graceful-shutdown', exercise.starter, undefined, true);
    expect(summary(starter.result).join('\n')).not.toMatch(/test bench/);
  });
});
