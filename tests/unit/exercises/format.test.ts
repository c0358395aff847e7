import { cpSync, readFileSync, rmSync, writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExerciseFormatError, listExercises } from '../../../src/exercises/catalog.ts';
import { declaredChecks } from '../../../src/exercises/format.ts';
import { tempDir } from '../support/temp-dir.ts';

const REAL = join(import.meta.dirname, '../../../exercises/01-threads/01-join-results');

/** A fresh `exercises/` holding a copy of one real exercise, at exercises/01-threads/01-join-results. */
function fixture(): { root: string; dir: string } {
  const base = tempDir('weft-exercises-');
  const root = join(base, 'exercises');
  const dir = join(root, '01-threads', '01-join-results');
  cpSync(REAL, dir, { recursive: true });
  return { root, dir };
}

function formatError(root: string): ExerciseFormatError {
  try {
    listExercises(root);
  } catch (error) {
    expect(error).toBeInstanceOf(ExerciseFormatError);
    return error as ExerciseFormatError;
  }
  throw new Error('the malformed exercise was accepted');
}

const editJson = (dir: string, edit: (meta: Record<string, unknown>) => void) => {
  const file = join(dir, 'exercise.json');
  const meta = JSON.parse(readFileSync(file, 'utf8'));
  edit(meta);
  writeFileSync(file, JSON.stringify(meta));
};

describe('the exercise format', () => {
  it('reads a well-formed folder: id from the slug, chapter from the chapter folder, hints split on ---', () => {
    const { root, dir } = fixture();
    const [exercise, ...rest] = listExercises(root);
    expect(rest).toEqual([]);
    expect(exercise).toMatchObject({ id: 'join-results', dir, chapter: 'threads', order: 1, difficulty: 'easy' });
    expect(exercise!.hints.length).toBeGreaterThan(1);
    expect(exercise!.hints.every((h) => h.length > 0 && !h.includes('\n---\n'))).toBe(true);
    expect(exercise!.checkIds).toEqual(['returns-every-sum', 'sums-come-through-join', 'threads-do-the-adding', 'one-thread-per-chunk', 'threads-overlap']);
    expect(exercise!.wrong.map((w) => w.fails)).toContain('threads-overlap');
  });

  it('exercise.json: a bad value names the file and the field', () => {
    const { root, dir } = fixture();
    editJson(dir, (meta) => (meta.difficulty = 'medum'));
    const error = formatError(root);
    expect(error.message).toMatch(/^exercises\/01-threads\/01-join-results\/exercise\.json: difficulty: must be "easy", "medium", "hard" \(got "medum"\)$/);
    expect(error).toMatchObject({ file: 'exercises/01-threads/01-join-results/exercise.json', field: 'difficulty' });
  });

  it('exercise.json: a missing field, an unknown field, a bad chapter, or broken JSON are each named', () => {
    const cases: [(meta: Record<string, unknown>) => void, RegExp][] = [
      [(meta) => delete meta.title, /exercise\.json: title: must be a non-empty string/],
      [(meta) => (meta.timeBudget = 10), /exercise\.json: timeBudget: is not a field of exercise\.json/],
      [(meta) => (meta.timeBudgetMinutes = 0), /exercise\.json: timeBudgetMinutes: must be a positive number/],
      [(meta) => (meta.concepts = []), /exercise\.json: concepts: must be a non-empty array/],
      [(meta) => (meta.chapter = 'Threads!'), /exercise\.json: chapter: must be a chapter's slug/],
    ];
    for (const [edit, message] of cases) {
      const { root, dir } = fixture();
      editJson(dir, edit);
      expect(formatError(root).message).toMatch(message);
    }
    const { root, dir } = fixture();
    writeFileSync(join(dir, 'exercise.json'), '{ "title": ');
    expect(formatError(root).message).toMatch(/exercise\.json: is not valid JSON/);
  });

  it('a missing file is named', () => {
    const { root, dir } = fixture();
    rmSync(join(dir, 'hints.md'));
    expect(formatError(root).message).toMatch(/01-join-results\/hints\.md: is missing/);
  });

  it('hints.md: an empty hint names its number', () => {
    const { root, dir } = fixture();
    writeFileSync(join(dir, 'hints.md'), 'First hint.\n\n---\n\n---\nThird.\n');
    const error = formatError(root);
    expect(error.message).toMatch(/hints\.md: hint 2: is empty/);
    expect(error.field).toBe('hint 2');
  });

  it('a starter that does not compile names the file, line and column', () => {
    const { root, dir } = fixture();
    writeFileSync(join(dir, 'starter.ts'), 'function main() {\n  const x = ;\n}\n');
    const error = formatError(root);
    expect(error.file).toBe('exercises/01-threads/01-join-results/starter.ts');
    expect(error.field).toMatch(/^line 2, column \d+$/);
  });

  it('checks.ts must declare checks, with kebab-case ids', () => {
    const { root, dir } = fixture();
    writeFileSync(join(dir, 'checks.ts'), 'export default [];\n');
    expect(formatError(root).message).toMatch(/checks\.ts: checks: declares no check/);
    writeFileSync(join(dir, 'checks.ts'), "import { check } from '#weft/checks';\nexport default [check('Bad_Id', 'Title', () => {})];\n");
    expect(formatError(root).message).toMatch(/checks\.ts: check 'Bad_Id': a check id must be kebab-case/);
  });

  it("checks.ts is read with the compile step's parser: calls of the API's check only, under any import name, never a comment or a string", () => {
    const source = [
      "import { check as c, type CheckContext } from '#weft/checks';",
      "// check('in-a-comment', 'Not a check')",
      "const note: string = \"check('in-a-string', 'Not a check either')\";",
      'const body = async (t: CheckContext): Promise<void> => {};',
      "export default [c('first', 'The \\'first\\' check', body), c('second', `The second`, body)];",
      '',
    ].join('\n');
    expect(declaredChecks('checks.ts', source)).toEqual([
      { id: 'first', title: "The 'first' check" },
      { id: 'second', title: 'The second' },
    ]);
    expect(() => declaredChecks('checks.ts', "import { check } from '#weft/checks';\nconst id = 'x';\nexport default [check(id, 'T', () => {})];\n")).toThrow(
      /^checks\.ts: line 3: a check's id must be written out as a string/,
    );
    expect(() => declaredChecks('checks.ts', 'export default [check(;\n')).toThrow(/^checks\.ts: line 1, column \d+: syntax error/);
  });

  it('a wrong answer names the check that catches it, on its first line, and says what the mistake is on its second', () => {
    const { root, dir } = fixture();
    const file = join(dir, 'wrong', 'no-threads.ts');
    const source = readFileSync(file, 'utf8');
    writeFileSync(file, source.replace('// fails: one-thread-per-chunk', '// fails: no-such-check'));
    expect(formatError(root).message).toMatch(/wrong\/no-threads\.ts: fails: names the check 'no-such-check', which checks\.ts does not declare/);
    writeFileSync(file, source.split('\n').slice(1).join('\n'));
    expect(formatError(root).message).toMatch(/wrong\/no-threads\.ts: fails: line 1 must be `\/\/ fails: <check-id>`/);
    writeFileSync(file, source.replace(/^(.*)\n.*\n/, '$1\n\n'));
    expect(formatError(root).message).toMatch(/wrong\/no-threads\.ts: mistake: line 2 must be a comment/);
  });

  it('an exercise needs at least one wrong answer', () => {
    const { root, dir } = fixture();
    rmSync(join(dir, 'wrong'), { recursive: true });
    expect(formatError(root).message).toMatch(/01-join-results\/wrong: needs at least one common wrong answer/);
  });

  it('folder names are NN-slug, and ids are unique across the book', () => {
    const { root, dir } = fixture();
    renameSync(dir, join(root, '01-threads', 'join-results'));
    expect(formatError(root).message).toMatch(/01-threads\/join-results: folder name: an exercise folder is named NN-slug/);

    const again = fixture();
    mkdirSync(join(again.root, '02-more'));
    cpSync(again.dir, join(again.root, '02-more', '01-join-results'), { recursive: true });
    expect(formatError(again.root).message).toMatch(/02-more\/01-join-results: id: 'join-results' is already the id of exercises\/01-threads\/01-join-results/);
  });

  it('the chapter can be set in exercise.json when it is not the folder\'s', () => {
    const { root, dir } = fixture();
    editJson(dir, (meta) => (meta.chapter = 'channels'));
    expect(listExercises(root)[0]!.chapter).toBe('channels');
  });
});
