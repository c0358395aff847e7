/**
 * Reads the runnable examples of a chapter straight from its MDX: each
 * ```ts run block and the ```text output block that follows it (the output
 * the reader is told to expect). Unit tests run them in Node; end-to-end
 * tests run them on the page; both compare with the same expectation.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ChapterExample {
  /** 1-based position among the chapter's runnable examples. */
  index: number;
  /** 1-based line of the fence in the MDX file. */
  line: number;
  source: string;
  timeoutMs: number | undefined;
  /** Expected output lines, or undefined when the example has no output block. */
  expected: string[] | undefined;
  /** true when the output block says `unordered`: compare as multisets. */
  unordered: boolean;
  /**
   * true when the output block says `shape`: a program that measures, whose
   * numbers differ on every run. Its block is a sample; the run must print as
   * many lines, each the sample's line with any number in place of each
   * number (and any run of spaces for a run of spaces, since padding follows
   * the numbers' widths).
   */
  shape: boolean;
  /**
   * The ```` ```text report ```` block after the output block, if any: what
   * weft reports when the run ends (a deadlock, a panic). Each line must be
   * part of one of the errors the run reports, as the output panel shows them.
   */
  report: string[] | undefined;
  /** ```` ```ts run seed=7 ````: run under the seeded scheduler with this seed. */
  seed: number | undefined;
  /**
   * How the run must end: 'ok' unless the fence says otherwise, e.g.
   * ```` ```ts run expect=deadlock ```` for an example that shows a deadlock report,
   * ```` expect=compile-error ```` for one that shows a mistake the compile step refuses.
   */
  status: 'ok' | 'deadlock' | 'panic' | 'compile-error';
  /**
   * Panics of spawned threads the run reports although it ends as `status`
   * says (```` ```ts run panics=1 ````: an example whose thread panics and
   * whose `main` handles it through `join()`).
   */
  threadPanics: number;
  /**
   * The Rust program the example mirrors: the ```` ```rust ```` block right
   * before it (nothing but blank lines between), or undefined when there is none.
   */
  rust: string | undefined;
}

const FENCE = /^```([^\n]*)\n([\s\S]*?)^```\s*$/gm;

export function chapterFiles(contentDir = join(import.meta.dirname, '../../content')): string[] {
  return readdirSync(contentDir)
    .filter((f) => f.endsWith('.mdx'))
    .sort()
    .map((f) => join(contentDir, f));
}

export function readExamples(file: string): ChapterExample[] {
  return parseExamples(readFileSync(file, 'utf8'), file);
}

/** The examples of a chapter's text; `file` names it in errors. */
export function parseExamples(text: string, file = 'chapter'): ChapterExample[] {
  const fences = [...text.matchAll(FENCE)].map((m) => ({
    info: m[1]!.trim().split(/\s+/),
    body: m[2]!,
    line: text.slice(0, m.index).split('\n').length,
    start: m.index,
    end: m.index + m[0].length,
  }));
  const examples: ChapterExample[] = [];
  fences.forEach((fence, i) => {
    if (fence.info[0] !== 'ts' || fence.info[1] !== 'run') return;
    const timeout = fence.info.find((word) => word.startsWith('timeout='));
    const expect = fence.info.find((word) => word.startsWith('expect='))?.slice('expect='.length);
    if (expect !== undefined && expect !== 'deadlock' && expect !== 'panic' && expect !== 'compile-error') {
      throw new Error(`${file}:${fence.line}: expect= must be deadlock, panic or compile-error, not '${expect}'`);
    }
    const panics = fence.info.find((word) => word.startsWith('panics='))?.slice('panics='.length);
    if (panics !== undefined && !/^\d+$/.test(panics)) throw new Error(`${file}:${fence.line}: panics= must be a count, not '${panics}'`);
    const seed = fence.info.find((word) => word.startsWith('seed='))?.slice('seed='.length);
    if (seed !== undefined && !/^\d+$/.test(seed)) throw new Error(`${file}:${fence.line}: seed= must be a whole number, not '${seed}'`);
    const next = fences[i + 1];
    const previous = fences[i - 1];
    const rust =
      previous !== undefined && previous.info[0] === 'rust' && text.slice(previous.end, fence.start).trim() === ''
        ? previous.body
        : undefined;
    const hasOutput = next !== undefined && next.info[0] === 'text' && next.info[1] === 'output';
    const after = hasOutput ? fences[i + 2] : next;
    const hasReport = after !== undefined && after.info[0] === 'text' && after.info[1] === 'report';
    const shape = hasOutput && next.info.includes('shape');
    if (shape && next.info.includes('unordered')) throw new Error(`${file}:${next.line}: an output block is either shape or unordered, not both`);
    examples.push({
      index: examples.length + 1,
      line: fence.line,
      source: fence.body,
      timeoutMs: timeout ? Number(timeout.slice('timeout='.length)) : undefined,
      expected: hasOutput ? next.body.replace(/\n$/, '').split('\n') : undefined,
      unordered: hasOutput && next.info.includes('unordered'),
      shape,
      report: hasReport ? after.body.replace(/\n$/, '').split('\n') : undefined,
      seed: seed === undefined ? undefined : Number(seed),
      status: expect ?? 'ok',
      threadPanics: Number(panics ?? 0),
      rust,
    });
  });
  return examples;
}

/** Compares run output with an example's expectation, as the reader would. */
export function matchesExpectation(example: ChapterExample, lines: string[]): boolean {
  if (example.expected === undefined) return true;
  if (example.shape) return lines.length === example.expected.length && lines.every((line, i) => shapeOf(example.expected![i]!).test(line));
  if (!example.unordered) return JSON.stringify(lines) === JSON.stringify(example.expected);
  return JSON.stringify([...lines].sort()) === JSON.stringify([...example.expected].sort());
}

const NUMBER = /\d+(?:[.,]\d+)*/g;

/** A sample line as a pattern: each number stands for any number, each run of spaces for any run of spaces. */
export function shapeOf(sample: string): RegExp {
  const parts = sample.trim().split(NUMBER).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ +/g, ' +'));
  return new RegExp(`^ *${parts.join('\\d+(?:[.,]\\d+)*')} *$`);
}

/** The lines of an example's report block that none of the run's errors (as the panel shows them) contains. */
export function missingFromReport(example: ChapterExample, errors: string[]): string[] {
  return (example.report ?? []).filter((line) => line.trim() !== '' && !errors.some((error) => error.includes(line.trim())));
}
