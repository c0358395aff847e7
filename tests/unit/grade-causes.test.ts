/**
 * One message per cause: when a program fails several checks for one reason
 * (it panics, deadlocks or runs out of time), the first check explains it and
 * the others say so in a line, each still with its own seed to replay.
 */
import { expect, it } from 'vitest';
import { gradeExercise, summary } from './support/grade-exercise.ts';

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
  expect(result.checks.map((c) => c.status), lines.join('\n')).toEqual(['failed', 'failed', 'failed']);
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

it('grading until the first failure runs no check after it (the tests grade starters so)', { timeout: 240_000 }, async () => {
  const { result } = await gradeExercise('two-producers', source, undefined, true);
  expect(result.checks.map((c) => c.status)).toEqual(['failed', 'error', 'error']);
  for (const check of result.checks.slice(1)) expect(check.message).toBe('not run: an earlier check did not pass');
});
