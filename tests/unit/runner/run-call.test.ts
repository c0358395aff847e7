import { describe, expect, it } from 'vitest';
import { runProgram } from '../support/run-program.ts';

const SOURCE = `import { spawn } from "weft/thread";

export function squares(numbers: number[]): number[] {
  const handles = numbers.map((n) => spawn(() => n * n));
  return handles.map((h) => h.join());
}

export const notAFunction = 3;

export function handle() {
  return { f: () => 1 };
}

function main() {
  console.log("main ran");
}
`;

describe('RunOptions.call: a run that calls an exported function instead of main', () => {
  it('passes the arguments in and returns the value in the outcome; main does not run', async () => {
    const run = await runProgram(SOURCE, { call: { name: 'squares', args: [[1, 2, 3]] } });
    expect(run.outcome.status).toBe('ok');
    expect(run.outcome.value).toEqual([1, 4, 9]);
    expect(run.lines).toEqual([]);
  });

  it('a missing export is a panic that names it', async () => {
    for (const name of ['cubes', 'notAFunction']) {
      const run = await runProgram(SOURCE, { call: { name, args: [] } });
      expect(run.outcome.status).toBe('panic');
      expect(run.errors[0]!.message).toContain(`no exported function \`${name}\``);
    }
  });

  it('a value that cannot leave the thread is a panic that says so', async () => {
    const run = await runProgram(SOURCE, { call: { name: 'handle', args: [] } });
    expect(run.outcome.status).toBe('panic');
    expect(run.errors[0]!.message).toContain('cannot be copied out of its thread');
  });

  it('main runs as before without call, and the outcome has no value', async () => {
    const run = await runProgram(SOURCE);
    expect(run.lines).toEqual(['main ran']);
    expect('value' in run.outcome).toBe(false);
  });
});
