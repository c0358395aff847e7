/**
 * Hostile and careless answers to an exercise: whatever a program returns is
 * the program's doing, so the checks' helpers must render and compare it
 * without themselves failing, and the grader must not call it "a bug in the
 * exercise". And what a careless reader types as a seed.
 */
import { describe, expect, it } from 'vitest';
import { multisetDiff, sameData, show } from '../../../src/exercises/checks-api.ts';
import { gradeExercise, summary } from '../support/grade-exercise.ts';
import { runCli } from '../support/cli.ts';
import { tempDir } from '../support/temp-dir.ts';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

describe('the checks API takes any data a program returns', () => {
  const cyclic: unknown[] = [1];
  cyclic.push(cyclic);
  const cyclicObject: Record<string, unknown> = { a: 1 };
  cyclicObject.self = cyclicObject;

  it('show renders a cycle, a BigInt, a Map, a Set, a typed array and a SharedArrayBuffer', () => {
    expect(show(cyclic)).toBe('[1, [Circular]]');
    expect(show(cyclicObject)).toBe('{ a: 1, self: [Circular] }');
    expect(show([5n])).toBe('[5n]');
    expect(show(new Map([['a', 1]]))).toBe('Map { "a" => 1 }');
    expect(show(new Set([1, 2]))).toBe('Set { 1, 2 }');
    expect(show(new Int32Array([1, 2]))).toBe('Int32Array [1, 2]');
    expect(show([new SharedArrayBuffer(8)])).toBe('[SharedArrayBuffer (8 bytes)]');
    // A value seen twice, not inside itself, is shown twice.
    const shared = { x: 1 };
    expect(show([shared, shared])).toBe('[{ x: 1 }, { x: 1 }]');
  });

  it('multisetDiff counts items that contain themselves or hold BigInts', () => {
    expect(multisetDiff([cyclic, 'a'], ['a', 'b'])).toEqual({ missing: ['b'], extra: [cyclic] });
    expect(multisetDiff([1n, 2n], [1n, 2n])).toEqual({ missing: [], extra: [] });
    expect(multisetDiff([1n], [2n])).toEqual({ missing: [2n], extra: [1n] });
  });

  it('sameData ends on values that contain themselves', () => {
    const other: unknown[] = [1];
    other.push(other);
    expect(sameData(cyclic, other)).toBe(false);
    expect(sameData(cyclic, cyclic)).toBe(true);
    expect(sameData({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toBe(true);
  });
});

it('an answer that returns an array containing itself fails its checks as the program\'s fault, not as a bug in the exercise', { timeout: 240_000 }, async () => {
  const { result } = await gradeExercise(
    'two-producers',
    `export function collect(first: string[], second: string[]): string[] {
  const all: any[] = [...first, ...second];
  all.push(all);
  return all;
}

function main() {
  console.log("Channel closed");
}
`,
    undefined,
    true,
  );
  const lines = summary(result);
  expect(result.checks[0]!.status, lines.join('\n')).toBe('failed');
  expect(result.checks[0]!.message).toContain('[Circular]');
  for (const check of result.checks) expect(check.reason, lines.join('\n')).not.toBe('check-threw');
});

describe('seeds a careless reader types', () => {
  // Number('') is 0: `--seed ""` (an empty shell variable) ran under seed 0 without a word; '0x10' and '1e3' ran too.
  for (const seed of ['', '0x10', '1e3', '-1']) {
    it(`weft run --seed=${JSON.stringify(seed)} is refused, naming what a seed is`, () => {
      const dir = tempDir('weft-seed-');
      const file = join(dir, 'p.ts');
      writeFileSync(file, 'function main() {\n  console.log("ran");\n}\n');
      const result = runCli(['run', file, `--seed=${seed}`]);
      expect(result.code).toBe(64);
      expect(result.stdout).not.toContain('ran');
      expect(result.stderr).toContain('--seed needs a whole number from 0 to 4294967295');
    });
  }
});

it("an answer that runs out of time is told which thread was looping or waiting, and where", { timeout: 240_000 }, async () => {
  // Before: "the program did not finish within 10 s: a thread is still waiting or looping", whatever the run's
  // time limit report said.
  const { result } = await gradeExercise(
    'join-results',
    `import { spawn } from "weft/thread";
export function sumChunks(chunks: number[][]): number[] {
  const h = spawn(() => { while (true) {} });
  h.join();
  return [];
}

function main() {}
`,
    ['returns-every-sum'],
    true,
  );
  const lines = summary(result);
  expect(result.checks[0]!.status, lines.join('\n')).toBe('failed');
  expect(result.checks[0]!.message).toMatch(/did not finish within 10 s: 'main' was still waiting to join thread 2 \(line 4\)/);
});

