/**
 * One message per cause: when a program fails several checks for one reason
 * (it panics, deadlocks or runs out of time), the first check explains it and
 * the others say so in a line, each still with its own seed to replay.
 */
import { expect, it } from 'vitest';
import { startGrade } from '../../../src/exercises/node-grade.ts';
import { gradeExercise, summary } from '../support/grade-exercise.ts';
import { runProgram, supervisorForTests } from '../support/run-program.ts';

/** An answer to two-producers that panics in every check, at line 3. */
const source = `
export function collect(first: string[], second: string[]): string[] {
  throw new Error("not written yet");
}

function main() {
  console.log(collect(["a1"], ["b1"]));
}
`;

it('a program that panics the same way in every check is explained once', { timeout: 240_000 }, async () => {
  const { result } = await gradeExercise('two-producers', source);
  const lines = summary(result);
  // Every check of the exercise, however many it has.
  expect(result.checks.length).toBeGreaterThan(2);
  expect(result.checks.map((c) => c.status), lines.join('\n')).toEqual(result.checks.map(() => 'failed'));
  const [first, ...rest] = result.checks;
  // The first check says what happened and where ...
  expect(first!.message).toMatch(/not written yet/);
  expect(first!.location?.line).toBe(3);
  expect(first!.sameCauseAs).toBeUndefined();
  // ... the others point to it instead of saying it again.
  for (const check of rest) {
    expect(check.sameCauseAs).toBe(first!.id);
    expect(check.message).toContain(`as explained under “${first!.title}”`);
    expect(check.message).not.toMatch(/not written yet/);
  }
});

it("a check that explains a run's panic itself (failEnded) is explained once too, though each run's first panic differs", { timeout: 240_000 }, async () => {
  // poisoned-ledger's starter: each run's transfers crash on purpose (with that run's amounts, the first panic of each
  // run), and then runBank panics with a PoisonError at the same line in every check. Before, all four checks said the
  // same long explanation.
  const { readFileSync } = await import('node:fs');
  const starter = readFileSync(new URL('../../../exercises/09-pitfalls/01-poisoned-ledger/starter.ts', import.meta.url), 'utf8');
  const { result } = await gradeExercise('poisoned-ledger', starter);
  expect(result.checks.length).toBeGreaterThan(2);
  const [first, ...rest] = result.checks;
  expect(first!.status).toBe('failed');
  expect(first!.message).toMatch(/PoisonError/);
  expect(first!.sameCauseAs).toBeUndefined();
  for (const check of rest) {
    expect(check.status, summary(result).join('\n')).toBe('failed');
    expect(check.sameCauseAs).toBe(first!.id);
    expect(check.message).toContain(`as explained under “${first!.title}”`);
    expect(check.location?.line).toBe(first!.location?.line);
  }
});

it('a panic whose message names a different thread in each check (more threads for bigger inputs) is explained once', { timeout: 240_000 }, async () => {
  // fix-the-hang with the wrong Sender dropped: "use of moved value countTx: this Sender was moved into thread 4"
  // under one check and "… thread 7" under the next, which then said the whole message again.
  const { readFileSync } = await import('node:fs');
  const starter = readFileSync(new URL('../../../exercises/04-channels/02-fix-the-hang/starter.ts', import.meta.url), 'utf8');
  const wrongDrop = starter
    .replace('import { mpsc } from "weft/sync";', 'import { mpsc, drop } from "weft/sync";')
    .replace('  let total = 0;', '  drop(countTx);\n  let total = 0;');
  const { result } = await gradeExercise('fix-the-hang', wrongDrop);
  const lines = summary(result);
  const [first, ...rest] = result.checks;
  expect(first!.message, lines.join('\n')).toMatch(/use of moved value `countTx`/);
  for (const check of rest) {
    expect(check.status, lines.join('\n')).toBe('failed');
    expect(check.message, lines.join('\n')).not.toMatch(/use of moved value/);
  }
});

it('grading until the first failure runs no check after it (the tests grade starters so)', { timeout: 240_000 }, async () => {
  const { result } = await gradeExercise('two-producers', source, undefined, true);
  expect(result.checks.length).toBeGreaterThan(2);
  expect(result.checks.map((c) => c.status)).toEqual(result.checks.map((_, i) => (i === 0 ? 'failed' : 'error')));
  for (const check of result.checks.slice(1)) {
    expect(check.message).toBe('not run: an earlier check did not pass');
    expect(check.reason).toBe('not-run');
  }
});

it('a program that does not compile: every check says so, with the reason as a field', { timeout: 240_000 }, async () => {
  const { result, events } = await gradeExercise('two-producers', `${source}\nfunction broken( {\n`);
  expect(result.checks.length).toBeGreaterThan(2);
  expect(result.checks.map((c) => [c.status, c.reason])).toEqual(result.checks.map(() => ['error', 'does-not-compile']));
  expect(result.checks[0]!.message).toMatch(/^Your program does not compile: /);
  expect(new Set(result.checks.map((c) => c.message)).size).toBe(1);
  expect(events.filter((e) => e.kind === 'output')).toEqual([]);
});

it('grading stopped by the reader: the checks say so, and carry it as their reason', { timeout: 240_000 }, async () => {
  const handle = startGrade('two-producers', source, () => {}, { supervisor: supervisorForTests() });
  handle.stop();
  const result = await handle.done;
  expect(result.checks.length).toBeGreaterThan(0);
  for (const check of result.checks) expect([check.status, check.reason]).toEqual(['error', 'stopped']);
});

it("a failing seeded run's outcome carries the seed and the reason as fields: the message's replay note is not parsed out", async () => {
  const { outcome } = await runProgram('function main() {\n  throw new Error("boom");\n}\n', { seed: 7 });
  expect(outcome).toMatchObject({ status: 'panic', seed: 7 });
  expect(outcome.message).toBe(`${outcome.reason} (seed 7: run it again with this seed to replay it)`);
  expect(outcome.reason).not.toMatch(/seed/);
});
