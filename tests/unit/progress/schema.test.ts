/**
 * The progress schema's pure parts (src/progress/schema.ts, export-file.ts):
 * migrations between versions, the updates the page makes, merging an
 * import into what is stored, and reading an export file back, with the
 * sentence a reader sees for each kind of bad file.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  continueWith,
  currentStores,
  emptyProgress,
  mergeProgress,
  mergeSnapshots,
  migrate,
  MIGRATIONS,
  NewerVersionError,
  SCHEMA_VERSION,
  statusOf,
  withAttempt,
  withHintsShown,
  withResult,
  withSolutionRevealed,
  type Migration,
} from '../../../src/progress/schema.ts';
import { ImportError, parseExportFile, toExportFile } from '../../../src/progress/export-file.ts';
import { exportCommand, importCommand, learnDir, workingCopy } from '../../../src/cli/exercises.ts';
import { listExercises } from '../../../src/exercises/catalog.ts';
import { tempDir } from '../support/temp-dir.ts';

describe('migrations', () => {
  it('lead from version 0 (no database) to SCHEMA_VERSION, one step per version', () => {
    expect(MIGRATIONS).toHaveLength(SCHEMA_VERSION);
    MIGRATIONS.forEach((step, i) => expect(step.to).toBe(i + 1));
  });

  it('from every older version, give records in the current stores', () => {
    const names = currentStores().map((s) => s.name).sort();
    expect(names).toEqual(['drafts', 'exercises']);
    for (let from = 0; from < SCHEMA_VERSION; from++) {
      const records = migrate({}, from);
      expect(Object.keys(records).sort()).toEqual(names);
    }
  });

  it('leave current records alone', () => {
    const records = { exercises: [{ id: 'a', attempts: 1, hintsShown: 0 }], drafts: [] };
    expect(migrate(records, SCHEMA_VERSION)).toBe(records);
  });

  it('refuse records from a newer book, saying so', () => {
    expect(() => migrate({}, SCHEMA_VERSION + 1)).toThrow(NewerVersionError);
    expect(() => migrate({}, -1)).toThrow(/whole number/);
  });

  // The chain itself, with steps of the test's own: what a future version's migration will go through.
  const renameAndSplit: Migration[] = [
    { to: 1, stores: [{ name: 'things', keyPath: 'id' }], migrate: () => ({ things: [] }) },
    {
      to: 2,
      stores: [{ name: 'items', keyPath: 'id' }],
      migrate: (r) => ({ items: (r.things as { id: string; n: number }[]).map((t) => ({ id: t.id, count: t.n })) }),
    },
    {
      to: 3,
      stores: [
        { name: 'items', keyPath: 'id' },
        { name: 'notes', keyPath: 'id' },
      ],
      migrate: (r) => ({ items: r.items!, notes: [] }),
    },
  ];

  it('run every step in order, from any version to the newest', () => {
    expect(migrate({ things: [{ id: 'x', n: 2 }] }, 1, 3, renameAndSplit)).toEqual({ items: [{ id: 'x', count: 2 }], notes: [] });
    expect(migrate({ items: [{ id: 'y', count: 5 }] }, 2, 3, renameAndSplit)).toEqual({ items: [{ id: 'y', count: 5 }], notes: [] });
    expect(migrate({}, 0, 3, renameAndSplit)).toEqual({ items: [], notes: [] });
    expect(currentStores(renameAndSplit).map((s) => s.name)).toEqual(['items', 'notes']);
  });

  it('stop at a misnumbered step instead of skipping a version', () => {
    const broken: Migration[] = [renameAndSplit[0]!, { ...renameAndSplit[2]! }];
    expect(() => migrate({}, 0, 2, broken)).toThrow(/must lead to version 2/);
  });
});

describe('updates', () => {
  it('count attempts and remember the first and the last', () => {
    let p = withAttempt(emptyProgress('e'), 100);
    p = withAttempt(p, 250);
    expect(p).toMatchObject({ attempts: 2, firstAttemptAt: 100, lastAttemptAt: 250 });
    expect(statusOf(p)).toBe('attempted');
  });

  it('mark an exercise solved the first time it passes, and keep it solved', () => {
    let p = withResult(withAttempt(emptyProgress('e'), 1), false, 2);
    expect(p).not.toHaveProperty('passedAt');
    expect(statusOf(p)).toBe('attempted');
    p = withResult(p, true, 3);
    p = withResult(p, false, 4);
    expect(p).toMatchObject({ passedAt: 3, lastResult: 'failed' });
    expect(statusOf(p)).toBe('solved');
  });

  it('never un-reveal hints or the solution', () => {
    let p = withHintsShown(emptyProgress('e'), 2);
    p = withHintsShown(p, 1);
    p = withSolutionRevealed(withSolutionRevealed(p, 10), 20);
    expect(p).toMatchObject({ hintsShown: 2, solutionRevealedAt: 10 });
    expect(statusOf(emptyProgress('e'))).toBe('not-started');
    expect(statusOf(undefined)).toBe('not-started');
  });
});

describe('continue with', () => {
  const order = ['a', 'b', 'c', 'd'];
  const solved = (id: string) => ({ id, attempts: 1, hintsShown: 0, passedAt: 1 });
  const tried = (id: string) => ({ id, attempts: 2, hintsShown: 1 });

  it('the first exercise not solved yet, in book order', () => {
    expect(continueWith(order, [])).toBe('a');
    expect(continueWith(order, [solved('a'), tried('b')])).toBe('b');
    expect(continueWith(order, [solved('a'), solved('b')])).toBe('c');
  });

  it('after an exercise, the next unsolved one, wrapping round to the start', () => {
    expect(continueWith(order, [solved('c')], 'c')).toBe('d');
    expect(continueWith(order, [solved('c'), solved('d')], 'c')).toBe('a');
    expect(continueWith(order, [solved('a'), solved('b'), solved('d')], 'd')).toBe('c');
  });

  it('nothing once every exercise is solved', () => {
    expect(continueWith(order, order.map(solved))).toBeUndefined();
    expect(continueWith(order, order.map(solved), 'b')).toBeUndefined();
  });
});

describe('merging an import', () => {
  it('keeps what either side knows', () => {
    const stored = { id: 'e', attempts: 5, firstAttemptAt: 50, lastAttemptAt: 90, lastResult: 'failed' as const, hintsShown: 1 };
    const backup = { id: 'e', attempts: 3, firstAttemptAt: 10, lastAttemptAt: 40, passedAt: 40, lastResult: 'passed' as const, hintsShown: 2, solutionRevealedAt: 30 };
    expect(mergeProgress(stored, backup)).toEqual({
      id: 'e',
      attempts: 5,
      firstAttemptAt: 10,
      lastAttemptAt: 90,
      passedAt: 40,
      lastResult: 'failed',
      hintsShown: 2,
      solutionRevealedAt: 30,
    });
  });

  it('keeps the newer of two drafts, and adds what only one side has', () => {
    const merged = mergeSnapshots(
      { exercises: [], drafts: [{ id: 'a', source: 'new', savedAt: 9 }] },
      { exercises: [emptyProgress('b')], drafts: [{ id: 'a', source: 'old', savedAt: 1 }, { id: 'b', source: 'b', savedAt: 1 }] },
    );
    expect(merged.drafts).toEqual([{ id: 'a', source: 'new', savedAt: 9 }, { id: 'b', source: 'b', savedAt: 1 }]);
    expect(merged.exercises.map((p) => p.id)).toEqual(['b']);
  });
});

describe('export files', () => {
  const snapshot = {
    exercises: [{ id: 'shared-counter', attempts: 2, firstAttemptAt: 1, lastAttemptAt: 2, passedAt: 2, lastResult: 'passed' as const, hintsShown: 1 }],
    drafts: [{ id: 'shared-counter', source: 'function main() {}\n', savedAt: 3 }],
  };

  it('read back exactly what was written', () => {
    const file = JSON.stringify(toExportFile(snapshot, new Date(0)));
    expect(JSON.parse(file)).toMatchObject({ format: 'weft-progress', version: SCHEMA_VERSION, exportedAt: '1970-01-01T00:00:00.000Z' });
    expect(parseExportFile(file)).toEqual(snapshot);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['an empty file', '  ', /^The file is empty\.$/],
    ['a file cut short', '{"format": "weft-progress", "version": 1, "exerc', /^The file is not valid JSON \(.+\)\. Was it changed by hand, or cut short\?$/],
    ['some other JSON', '{"name": "my-package"}', /^This is not a Weft progress file: it has no "format": "weft-progress" field\./],
    ['a list', '[]', /not a Weft progress file/],
    ['a file from a newer book', JSON.stringify({ format: 'weft-progress', version: SCHEMA_VERSION + 1, exercises: [], drafts: [] }), /newer version of the book \(progress format 2; this book reads format 1 and older\)\. Reload the book/],
    ['a version that is not a number', JSON.stringify({ format: 'weft-progress', version: '1', exercises: [], drafts: [] }), /"version" must be a whole number, 1 or more \(it is "1"\)/],
    ['exercises that are not a list', JSON.stringify({ format: 'weft-progress', version: 1, exercises: {}, drafts: [] }), /^In the file, "exercises" must be a list \(it is \{\}\)\.$/],
    ['a negative attempt count', JSON.stringify({ format: 'weft-progress', version: 1, exercises: [{ id: 'a', attempts: -1, hintsShown: 0 }], drafts: [] }), /^In the file, exercises\[0\]\.attempts must be a whole number, 0 or more \(it is -1\)\.$/],
    ['a bad id', JSON.stringify({ format: 'weft-progress', version: 1, exercises: [{ id: 'Shared Counter', attempts: 1, hintsShown: 0 }], drafts: [] }), /exercises\[0\]\.id must be an exercise's id/],
    ['an unknown field', JSON.stringify({ format: 'weft-progress', version: 1, exercises: [{ id: 'a', attempts: 1, hintsShown: 0, score: 9 }], drafts: [] }), /exercises\[0\]\.score is not a field this book knows/],
    ['a draft without code', JSON.stringify({ format: 'weft-progress', version: 1, exercises: [], drafts: [{ id: 'a', savedAt: 1 }] }), /drafts\[0\]\.source must be the code, as a string \(it is missing\)/],
    ['an exercise listed twice', JSON.stringify({ format: 'weft-progress', version: 1, exercises: [{ id: 'a', attempts: 1, hintsShown: 0 }, { id: 'a', attempts: 2, hintsShown: 0 }], drafts: [] }), /"exercises" lists "a" twice/],
  ];
  for (const [what, text, message] of bad) {
    it(`refuse ${what}, saying what is wrong`, () => {
      expect(() => parseExportFile(text)).toThrow(ImportError);
      expect(() => parseExportFile(text)).toThrow(message);
    });
  }
});

/**
 * The page and the CLI keep progress in one format, read by one function
 * (parseExportFile): what either side writes, the other reads. The CLI's
 * commands run here in this process, on a learner's tree and an exercises
 * folder of their own (one real exercise, copied).
 */
describe('progress between the page and the CLI', () => {
  const saved = { learn: process.env.WEFT_LEARN_DIR, exercises: process.env.WEFT_EXERCISES_DIR };
  let base = '';
  const quiet = () => {};

  const setUp = () => {
    base = tempDir('weft-progress-');
    cpSync(join(import.meta.dirname, '../../../exercises/01-threads/01-join-results'), join(base, 'exercises', '01-threads', '01-join-results'), { recursive: true });
    process.env.WEFT_EXERCISES_DIR = join(base, 'exercises');
    process.env.WEFT_LEARN_DIR = join(base, 'learn');
    return listExercises()[0]!;
  };

  afterEach(() => {
    for (const [name, value] of [['WEFT_LEARN_DIR', saved.learn], ['WEFT_EXERCISES_DIR', saved.exercises]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  it("the page's export file imports into the CLI, and the CLI's export parses in the page's reader as the same records", () => {
    const exercise = setUp();
    const fromPage = {
      exercises: [{ id: exercise.id, attempts: 3, firstAttemptAt: 10, lastAttemptAt: 20, passedAt: 20, lastResult: 'passed' as const, hintsShown: 1, solutionRevealedAt: 15 }],
      drafts: [{ id: exercise.id, source: '// from the page\n', savedAt: Date.now() + 60_000 }],
    };
    const pageFile = join(base, 'from-page.json');
    writeFileSync(pageFile, JSON.stringify(toExportFile(fromPage)));
    expect(importCommand(pageFile, quiet)).toBe(0);
    expect(readFileSync(workingCopy(exercise), 'utf8')).toBe('// from the page\n');
    // learn/progress.json is itself a file the page can import.
    expect(parseExportFile(readFileSync(join(learnDir(), 'progress.json'), 'utf8')).exercises).toEqual(fromPage.exercises);

    const cliFile = join(base, 'from-cli.json');
    expect(exportCommand(cliFile, quiet)).toBe(0);
    const back = parseExportFile(readFileSync(cliFile, 'utf8'));
    expect(back.exercises).toEqual(fromPage.exercises);
    expect(back.drafts).toEqual([{ id: exercise.id, source: '// from the page\n', savedAt: expect.any(Number) }]);
  });

  it('the file an older CLI wrote parses in the same reader, on the page as in the CLI', () => {
    const exercise = setUp();
    const old = { version: 1, exercises: { [exercise.id]: { passed: '2025-06-01T00:00:00.000Z', attempts: 4, hintsShown: 2 }, 'not-yet': { attempts: 1, hintsShown: 0 } } };
    expect(parseExportFile(JSON.stringify(old))).toEqual({
      exercises: [
        { id: exercise.id, attempts: 4, hintsShown: 2, passedAt: Date.parse('2025-06-01T00:00:00.000Z'), lastResult: 'passed' },
        { id: 'not-yet', attempts: 1, hintsShown: 0 },
      ],
      drafts: [],
    });
    // The CLI reads it as its own learn/progress.json, and exports it in the current format.
    writeFileSync(join(base, 'old.json'), JSON.stringify(old));
    expect(importCommand(join(base, 'old.json'), quiet)).toBe(0);
    expect(exportCommand(join(base, 'out.json'), quiet)).toBe(0);
    expect(JSON.parse(readFileSync(join(base, 'out.json'), 'utf8'))).toMatchObject({ format: 'weft-progress', exercises: [{ id: exercise.id, attempts: 4 }, { id: 'not-yet' }] });
    expect(() => parseExportFile(JSON.stringify({ version: 1, exercises: { a: { attempts: -1, hintsShown: 0 } } }))).toThrow(/exercises\.a\.attempts must be a whole number/);
  });
});
