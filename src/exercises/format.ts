/**
 * The exercise folder format, and the errors that name what is wrong with one.
 *
 *   exercises/NN-chapter/NN-slug/
 *     exercise.json   metadata (ExerciseMeta below)
 *     README.md       the statement the learner reads (Markdown)
 *     starter.ts      what the learner starts from and edits; must fail the checks
 *     solution.ts     the reference solution; must pass them
 *     checks.ts       the checks, against '#weft/checks' (checks-api.ts)
 *     hints.md        ordered hints, separated by lines holding only `---`
 *     wrong/*.ts      common wrong answers; line 1 `// fails: <check-id>`,
 *                     line 2 a comment saying what the mistake is
 *
 * No Node API here, so the page's code may import the types.
 */
import { SLUG } from './ids.ts';

/** exercise.json: what the book shows about an exercise before it is opened. */
export interface ExerciseMeta {
  /** The exercise's heading, on its page and in the progress list. */
  title: string;
  /** How hard it is, shown as a badge, so a learner can pick their next exercise. */
  difficulty: Difficulty;
  /** What it practises ("Arc", "Mutex", "lock order"): shown as tags, and lets progress be grouped by concept. */
  concepts: string[];
  /** About how many minutes a learner should expect to spend; shown on the page, so an exercise's size is no surprise. */
  timeBudgetMinutes: number;
  /** The chapter (its content slug, e.g. "threads") that teaches what the exercise needs, when it is not the folder's slug. */
  chapter?: string;
}

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

/** The files every exercise folder holds (besides `wrong/`). */
export const EXERCISE_FILES = ['exercise.json', 'README.md', 'starter.ts', 'solution.ts', 'checks.ts', 'hints.md'] as const;

/** A malformed exercise. The message names the file and the field: "exercises/01-threads/02-shared-counter/exercise.json: difficulty: …". */
export class ExerciseFormatError extends Error {
  /** The file (or folder) at fault, relative to the folder that holds `exercises/`. */
  readonly file: string;
  /** The field, line or part of the file at fault, when there is one. */
  readonly field: string | undefined;

  constructor(file: string, field: string | undefined, problem: string) {
    super(`${file}: ${field === undefined ? '' : `${field}: `}${problem}`);
    this.name = 'ExerciseFormatError';
    this.file = file;
    this.field = field;
  }
}

/** Checks exercise.json's parsed value field by field; `file` names it in errors. */
export function parseMeta(file: string, value: unknown): ExerciseMeta {
  const fail = (field: string | undefined, problem: string): never => {
    throw new ExerciseFormatError(file, field, problem);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) fail(undefined, 'must hold a JSON object');
  const meta = value as Record<string, unknown>;
  const known = ['title', 'difficulty', 'concepts', 'timeBudgetMinutes', 'chapter'];
  for (const key of Object.keys(meta)) {
    if (!known.includes(key)) fail(key, `is not a field of exercise.json (fields: ${known.join(', ')})`);
  }
  if (typeof meta.title !== 'string' || meta.title.trim() === '') fail('title', 'must be a non-empty string');
  if (!DIFFICULTIES.includes(meta.difficulty as Difficulty)) {
    fail('difficulty', `must be ${DIFFICULTIES.map((d) => `"${d}"`).join(', ')} (got ${JSON.stringify(meta.difficulty) ?? 'nothing'})`);
  }
  if (!Array.isArray(meta.concepts) || meta.concepts.length === 0 || !meta.concepts.every((c) => typeof c === 'string' && c.trim() !== '')) {
    fail('concepts', 'must be a non-empty array of strings (what the exercise practises)');
  }
  const minutes = meta.timeBudgetMinutes;
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes <= 0) fail('timeBudgetMinutes', `must be a positive number of minutes (got ${JSON.stringify(minutes) ?? 'nothing'})`);
  if (meta.chapter !== undefined && (typeof meta.chapter !== 'string' || !SLUG.test(meta.chapter))) {
    fail('chapter', `must be a chapter's slug, like "threads" (got ${JSON.stringify(meta.chapter)})`);
  }
  return {
    title: meta.title as string,
    difficulty: meta.difficulty as Difficulty,
    concepts: meta.concepts as string[],
    timeBudgetMinutes: minutes as number,
    ...(meta.chapter !== undefined ? { chapter: meta.chapter as string } : {}),
  };
}

/** hints.md: hints separated by lines holding only `---`, in the order they are given. */
export function parseHints(file: string, text: string): string[] {
  const hints = text.split(/^[ \t]*---[ \t]*$/m).map((hint) => hint.trim());
  hints.forEach((hint, i) => {
    if (hint === '') throw new ExerciseFormatError(file, `hint ${i + 1}`, 'is empty (hints are separated by lines holding only ---)');
  });
  return hints;
}

/**
 * The checks a checks.ts declares, read from its source without running it
 * (the build must not run exercise code): every `check('id', 'title', …)`.
 * The tests load each checks.ts too and compare.
 */
export function declaredChecks(file: string, source: string): { id: string; title: string }[] {
  const found: { id: string; title: string }[] = [];
  const call = /\bcheck\(\s*(['"])([^'"\n]*)\1\s*,\s*(?:'((?:[^'\\\n]|\\.)*)'|"((?:[^"\\\n]|\\.)*)"|`([^`$]*)`)/g;
  for (const match of source.matchAll(call)) {
    const id = match[2]!;
    if (!SLUG.test(id)) throw new ExerciseFormatError(file, `check '${id}'`, 'a check id must be kebab-case, like counts-every-increment');
    if (found.some((c) => c.id === id)) throw new ExerciseFormatError(file, `check '${id}'`, 'is declared twice');
    const title = (match[3] ?? match[4] ?? match[5] ?? '').replace(/\\(.)/g, '$1');
    if (title.trim() === '') throw new ExerciseFormatError(file, `check '${id}'`, 'needs a title (the second argument of check)');
    found.push({ id, title });
  }
  if (found.length === 0) throw new ExerciseFormatError(file, 'checks', "declares no check: write check('some-id', 'What it checks', async (t) => …)");
  return found;
}

/** A wrong answer's header: `// fails: <check-id>` then a comment line saying what the mistake is. */
export function parseWrongHeader(file: string, source: string, checkIds: readonly string[]): { fails: string; mistake: string } {
  const [first = '', second = ''] = source.split('\n');
  const fails = /^\/\/\s*fails:\s*([a-z0-9-]+)\s*$/.exec(first.trim())?.[1];
  if (fails === undefined) throw new ExerciseFormatError(file, 'fails', 'line 1 must be `// fails: <check-id>`, naming the check that catches this mistake');
  if (!checkIds.includes(fails)) throw new ExerciseFormatError(file, 'fails', `names the check '${fails}', which checks.ts does not declare (it declares ${checkIds.join(', ')})`);
  const mistake = /^\/\/\s*(.*\S)\s*$/.exec(second.trim())?.[1];
  if (mistake === undefined) throw new ExerciseFormatError(file, 'mistake', 'line 2 must be a comment saying what the mistake is');
  return { fails, mistake };
}
