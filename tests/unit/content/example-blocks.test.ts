/**
 * The fence words a chapter uses to say how an example runs and what it
 * prints (README, "Writing a chapter"), read as the example tests read them.
 */
import { describe, expect, it } from 'vitest';
import { matchesExpectation, missingFromReport, parseExamples, shapeOf } from '../../support/chapter-examples.ts';

const chapter = (...blocks: string[]) => blocks.join('\n\n') + '\n';
const fence = (info: string, body: string) => `\`\`\`${info}\n${body}\n\`\`\``;
const MAIN = 'function main() {}';

describe('seed=N', () => {
  it('runs the example under that seed', () => {
    const [example] = parseExamples(chapter(fence('ts run seed=42', MAIN), fence('text output', 'x')));
    expect(example!.seed).toBe(42);
  });
  it('is absent unless written', () => {
    expect(parseExamples(chapter(fence('ts run', MAIN)))[0]!.seed).toBeUndefined();
  });
  it('must be a whole number', () => {
    expect(() => parseExamples(chapter(fence('ts run seed=abc', MAIN)), 'ch.mdx')).toThrow(/ch\.mdx:1: seed= must be a whole number/);
  });
});

describe('an output block marked shape', () => {
  const sample = ['threads: 2', 'spawn+join    57.9 µs', 'speedup  1.88x at 100,000 items'];
  const [example] = parseExamples(chapter(fence('ts run', MAIN), fence('text output shape', sample.join('\n'))));

  it('accepts other numbers, padded to other widths', () => {
    expect(example!.shape).toBe(true);
    expect(matchesExpectation(example!, ['threads: 8', 'spawn+join   231 µs', 'speedup  0.6x at 1,000,000 items'])).toBe(true);
  });
  it('rejects a changed word, a missing number, or a missing line', () => {
    expect(matchesExpectation(example!, ['threads: 8', 'spawn+join 231 ms', 'speedup 0.6x at 1 items'])).toBe(false);
    expect(matchesExpectation(example!, ['threads: ', 'spawn+join 231 µs', 'speedup 0.6x at 1 items'])).toBe(false);
    expect(matchesExpectation(example!, ['threads: 8', 'spawn+join 231 µs'])).toBe(false);
  });
  it('matches a number only where the sample has one', () => {
    expect(shapeOf('a 1 b').test('a 22 b')).toBe(true);
    expect(shapeOf('a 1 b').test('a x b')).toBe(false);
    expect(shapeOf('a (1) b').test('a (3.5) b')).toBe(true);
  });
  it('cannot also be unordered', () => {
    expect(() => parseExamples(chapter(fence('ts run', MAIN), fence('text output shape unordered', 'x')))).toThrow(/either shape or unordered/);
  });
});

describe('a report block', () => {
  it('follows the output block and lists what weft reports', () => {
    const [example] = parseExamples(chapter(fence('ts run expect=deadlock', MAIN), fence('text output', 'waiting'), fence('text report', "Deadlock: 'main' is blocked")));
    expect(example!.report).toEqual(["Deadlock: 'main' is blocked"]);
    expect(missingFromReport(example!, ["main line 6: Deadlock: 'main' is blocked waiting to receive"])).toEqual([]);
    expect(missingFromReport(example!, ['PoisonError: poisoned'])).toEqual(["Deadlock: 'main' is blocked"]);
  });
  it('may follow the example directly when it prints nothing', () => {
    const [example] = parseExamples(chapter(fence('ts run expect=panic', MAIN), fence('text report', 'Error: boom')));
    expect(example!.expected).toBeUndefined();
    expect(example!.report).toEqual(['Error: boom']);
  });
});
