/**
 * Every runnable example in the book, run in Node through the same compile
 * step, runner and weft as the page, must print what its chapter says.
 */
import { basename } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chapterFiles, matchesExpectation, missingFromReport, readExamples } from '../../support/chapter-examples.ts';
import { runProgram } from '../support/run-program.ts';

for (const file of chapterFiles()) {
  describe(basename(file), () => {
    const examples = readExamples(file);
    it('has runnable examples, each with the output it prints', () => {
      expect(examples.length).toBeGreaterThan(0);
    });
    // Chapter 1 promises the Rust program beside every example: a whole program (with its `fn main`), right before it.
    it('puts the Rust program it mirrors right before every runnable example', () => {
      const missing = examples.filter((example) => example.rust === undefined || !/\bfn main\s*\(/.test(example.rust));
      expect(missing.map((example) => `example ${example.index} (line ${example.line})`)).toEqual([]);
    });
    for (const example of examples) {
      it(`example ${example.index} (line ${example.line}) prints what the chapter says`, async () => {
        const run = await runProgram(example.source, {
          ...(example.timeoutMs ? { timeoutMs: example.timeoutMs } : {}),
          ...(example.seed !== undefined ? { seed: example.seed } : {}),
        });
        expect(run.outcome.status, `the run reported:\n${run.errors.map((error) => `${error.name}: ${error.message}`).join('\n')}`).toBe(example.status);
        // An example that ends in a deadlock or a panic reports it as errors; any other example reports only the thread panics it declares.
        if (example.status === 'ok') {
          expect(run.errors.length, JSON.stringify(run.errors)).toBe(example.threadPanics);
          for (const error of run.errors) expect(error.message).toMatch(/^thread '.+' panicked: /);
        }
        else expect(run.errors.length).toBeGreaterThan(0);
        const errors = run.errors.map((error) => `${error.name}: ${error.message}`);
        expect(missingFromReport(example, errors), `not reported; the run reported:\n${errors.join('\n')}`).toEqual([]);
        // An example without an output block prints nothing (its lesson is the report that ends it).
        if (example.expected === undefined) {
          expect(run.lines).toEqual([]);
          return;
        }
        if (example.shape) expect(matchesExpectation(example, run.lines), `the sample:\n${example.expected.join('\n')}\nthe run:\n${run.lines.join('\n')}`).toBe(true);
        else if (example.unordered) expect([...run.lines].sort()).toEqual([...example.expected].sort());
        else expect(run.lines).toEqual(example.expected);
      });
    }
  });
}
