/**
 * The CLI's type check (src/cli/type-check.ts) finds no error in the book's
 * own code, as the page's editor finds none (tests/unit/components/editor/
 * types.test.ts): every runnable chapter example and every exercise's
 * starter, solution and alternatives, checked in one run of the compiler
 * with the options the CLI uses. And it finds a reader's error where it is.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeTypeErrors, parseTscOutput, typeErrorsInFiles } from '../../../src/cli/type-check.ts';
import { listExercises } from '../../../src/exercises/catalog.ts';
import { chapterFiles, readExamples } from '../../support/chapter-examples.ts';
import { tempDir } from '../support/temp-dir.ts';

it('finds no type error in any chapter example or exercise file, and finds a reader\'s where it is', { timeout: 120_000 }, async () => {
  const dir = tempDir('weft-types-');
  const files: { name: string; path: string }[] = [];
  const add = (name: string, source: string) => {
    const path = join(dir, `${files.length}.ts`);
    writeFileSync(path, source);
    files.push({ name, path });
  };
  for (const file of chapterFiles()) for (const example of readExamples(file)) add(`${file} example ${example.index}`, example.source);
  for (const exercise of listExercises()) {
    add(`${exercise.id} starter`, exercise.starter);
    add(`${exercise.id} solution`, exercise.solution);
    for (const alternative of exercise.alternatives) add(`${exercise.id} alternatives/${alternative.name}`, alternative.source);
  }
  add('wrong', 'import { spawn } from "weft/thread";\n\nfunction main() {\n  const h = spawn(() => "text");\n  const n: number = h.join();\n  console.log(n);\n}\n');
  const found = await typeErrorsInFiles(files.map((f) => f.path));
  expect(found).toBeDefined();
  const errors = files.flatMap(({ name, path }) => found!.get(path)!.map((e) => `${name} ${e.line}:${e.column} ${e.message}`));
  expect(errors).toEqual([`wrong 5:9 Type 'string' is not assignable to type 'number'.`]);
  expect(files.length).toBeGreaterThan(200);
});

it('reads tsc\'s lines for the files asked about only, and says at most five', () => {
  const output = [
    "a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
    '../weft/sync/mutex.ts(1,1): error TS2304: Cannot find name \'x\'.',
    "a.ts(9,1): error TS2304: Cannot find name 'y'.",
    '  a continuation line',
  ].join('\n');
  const found = parseTscOutput(output, '/tmp/cfg', ['/tmp/cfg/a.ts']);
  expect(found.get('/tmp/cfg/a.ts')).toEqual([
    { line: 3, column: 7, message: "Type 'string' is not assignable to type 'number'." },
    { line: 9, column: 1, message: "Cannot find name 'y'." },
  ]);
  const seven = Array.from({ length: 7 }, (_, i) => ({ line: i + 1, column: 1, message: 'm' }));
  const lines = describeTypeErrors(seven, 'f.ts', 'then');
  expect(lines[0]).toBe('TypeScript marks 7 errors in this code. Rust would not compile such a program; then.');
  expect(lines.slice(1)).toEqual(['  f.ts:1:1: m', '  f.ts:2:1: m', '  f.ts:3:1: m', '  f.ts:4:1: m', '  f.ts:5:1: m', '  (and 2 more)']);
  expect(describeTypeErrors([], 'f.ts', 'then')).toEqual([]);
});
