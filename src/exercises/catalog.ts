/**
 * The book's exercises, read and validated from `exercises/` (Node: the
 * Astro build, the CLI, the tests). The folder format is in format.ts.
 *
 * Contract with the exercise page (unchanged from the shared brief):
 * `listExercises(root?)`, `getExercise(id, root?)`, `ExerciseInfo` with the
 * fields below, and `ExerciseFormatError` for a malformed folder. Additions:
 * `checks` (ids with titles, in order) and `wrong` (the wrong answers).
 *
 * Validation reads every file and compiles the starter, the solution and
 * every wrong answer with the book's compile step, but runs nothing: that
 * the solution passes and the rest fail is the tests' job
 * (tests/unit/exercises/catalog.test.ts).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compile, CompileError } from '../compile/index.ts';
import { declaredChecks, EXERCISE_FILES, ExerciseFormatError, parseHints, parseMeta, parseWrongHeader, type Difficulty } from './format.ts';
import { ORDERED_FOLDER, slugOf } from './ids.ts';

export { ExerciseFormatError } from './format.ts';
export type { Difficulty, ExerciseMeta } from './format.ts';

export interface WrongAnswer {
  /** Absolute path of the file. */
  file: string;
  /** Its name in `wrong/`, without `.ts`. */
  name: string;
  /** The check that must catch it. */
  fails: string;
  /** What the mistake is, from its second line. */
  mistake: string;
  source: string;
}

export interface ExerciseInfo {
  /** The folder's slug without its numeric prefix: `shared-counter`. Unique across the book. */
  id: string;
  /** Absolute path of the exercise's folder. */
  dir: string;
  /** The chapter's slug: exercise.json's `chapter`, else the chapter folder's slug. */
  chapter: string;
  /** 1-based position in the whole book (chapter folders, then exercise folders, by their numeric prefixes). */
  order: number;
  title: string;
  difficulty: Difficulty;
  concepts: string[];
  timeBudgetMinutes: number;
  /** README.md: the statement, Markdown. */
  statement: string;
  /** starter.ts */
  starter: string;
  /** solution.ts */
  solution: string;
  /** hints.md, split into ordered hints (Markdown each). */
  hints: string[];
  /** The ids of the checks in checks.ts, in order. */
  checkIds: string[];
  /** The checks with their titles, in order. */
  checks: { id: string; title: string }[];
  wrong: WrongAnswer[];
  /** alternatives/*.ts: correct solutions written another way, which must pass like solution.ts. */
  alternatives: Alternative[];
}

export interface Alternative {
  /** Absolute path of the file. */
  file: string;
  /** Its name in `alternatives/`, without `.ts`. */
  name: string;
  source: string;
}

/** The `exercises/` folder: WEFT_EXERCISES_DIR, else the repository's (found from this file, or from the working directory once bundled). */
export function defaultExercisesRoot(): string {
  if (process.env.WEFT_EXERCISES_DIR) return resolve(process.env.WEFT_EXERCISES_DIR);
  const beside = fileURLToPath(new URL('../../exercises', import.meta.url));
  // Bundled by Astro, this module no longer sits in src/exercises: then the build's working directory is the project.
  return existsSync(beside) ? beside : resolve(process.cwd(), 'exercises');
}

/** Where each exercise's folder is, in the book's order: folder names only, nothing read (throws for a misnamed folder or a repeated id). */
function exerciseFolders(root: string): { dir: string; id: string; chapterSlug: string; order: number }[] {
  const shown = (path: string) => relative(dirname(root), path) || path;
  if (!existsSync(root)) return [];
  const found: { dir: string; id: string; chapterSlug: string; order: number }[] = [];
  const ids = new Map<string, string>();
  for (const chapterFolder of folders(root)) {
    const chapterDir = join(root, chapterFolder);
    const chapterSlug = slugOf(chapterFolder);
    if (chapterSlug === undefined) throw new ExerciseFormatError(shown(chapterDir), 'folder name', 'a chapter folder is named NN-slug, like 01-threads');
    for (const exerciseFolder of folders(chapterDir)) {
      const dir = join(chapterDir, exerciseFolder);
      const id = slugOf(exerciseFolder);
      if (id === undefined) throw new ExerciseFormatError(shown(dir), 'folder name', 'an exercise folder is named NN-slug, like 02-shared-counter');
      const other = ids.get(id);
      if (other !== undefined) throw new ExerciseFormatError(shown(dir), 'id', `'${id}' is already the id of ${other}: exercise ids are unique across the book`);
      ids.set(id, shown(dir));
      found.push({ dir, id, chapterSlug, order: found.length + 1 });
    }
  }
  return found;
}

/** Every exercise of the book, in order; throws ExerciseFormatError at the first malformed one. */
export function listExercises(root: string = defaultExercisesRoot()): ExerciseInfo[] {
  const shown = (path: string) => relative(dirname(root), path) || path;
  return exerciseFolders(root).map(({ dir, id, chapterSlug, order }) => readExercise(dir, id, chapterSlug, order, shown));
}

/**
 * One exercise by id; throws when there is none. Reads that exercise's
 * folder only (reading all of them took about a second, and a grading asks
 * for its exercise each time).
 */
export function getExercise(id: string, root: string = defaultExercisesRoot()): ExerciseInfo {
  const folders = exerciseFolders(root);
  const found = folders.find((e) => e.id === id);
  if (found === undefined) {
    throw new Error(`there is no exercise '${id}'; the exercises are: ${folders.map((e) => e.id).join(', ') || '(none)'}`);
  }
  const shown = (path: string) => relative(dirname(root), path) || path;
  return readExercise(found.dir, found.id, found.chapterSlug, found.order, shown);
}

function folders(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => !name.startsWith('.') && statSync(join(dir, name)).isDirectory())
    .sort();
}

function readExercise(dir: string, id: string, chapterSlug: string, order: number, shown: (path: string) => string): ExerciseInfo {
  const file = (name: string) => join(dir, name);
  for (const name of EXERCISE_FILES) {
    if (!existsSync(file(name))) throw new ExerciseFormatError(shown(file(name)), undefined, 'is missing (every exercise folder holds ' + EXERCISE_FILES.join(', ') + ' and wrong/)');
  }
  const text = (name: string) => readFileSync(file(name), 'utf8');

  let json: unknown;
  try {
    json = JSON.parse(text('exercise.json'));
  } catch (error) {
    throw new ExerciseFormatError(shown(file('exercise.json')), undefined, `is not valid JSON: ${(error as Error).message}`);
  }
  const meta = parseMeta(shown(file('exercise.json')), json);

  const statement = text('README.md');
  if (statement.trim() === '') throw new ExerciseFormatError(shown(file('README.md')), 'statement', 'is empty');
  const starter = compiled(shown(file('starter.ts')), text('starter.ts'));
  const solution = compiled(shown(file('solution.ts')), text('solution.ts'));
  if (starter === solution) throw new ExerciseFormatError(shown(file('starter.ts')), undefined, 'is the same as solution.ts: the starter must leave the work to the learner');
  const checks = declaredChecks(shown(file('checks.ts')), text('checks.ts'));
  const checkIds = checks.map((c) => c.id);
  const hints = parseHints(shown(file('hints.md')), text('hints.md'));

  const wrongDir = file('wrong');
  const wrongFiles = existsSync(wrongDir) ? readdirSync(wrongDir).filter((name) => name.endsWith('.ts')).sort() : [];
  if (wrongFiles.length === 0) throw new ExerciseFormatError(shown(wrongDir), undefined, 'needs at least one common wrong answer (wrong/<name>.ts)');
  const wrong = wrongFiles.map((name): WrongAnswer => {
    const path = join(wrongDir, name);
    const source = compiled(shown(path), readFileSync(path, 'utf8'));
    return { file: path, name: basename(name, '.ts'), ...parseWrongHeader(shown(path), source, checkIds), source };
  });

  const alternativesDir = file('alternatives');
  const alternatives = (existsSync(alternativesDir) ? readdirSync(alternativesDir).filter((name) => name.endsWith('.ts')).sort() : []).map(
    (name): Alternative => {
      const path = join(alternativesDir, name);
      return { file: path, name: basename(name, '.ts'), source: compiled(shown(path), readFileSync(path, 'utf8')) };
    },
  );

  return {
    id,
    dir,
    chapter: meta.chapter ?? chapterSlug,
    order,
    title: meta.title,
    difficulty: meta.difficulty,
    concepts: meta.concepts,
    timeBudgetMinutes: meta.timeBudgetMinutes,
    statement,
    starter,
    solution,
    hints,
    checkIds,
    checks,
    wrong,
    alternatives,
  };
}

/** The source, once the book's compile step accepts it (a program with a `main`, valid TypeScript). */
function compiled(shownFile: string, source: string): string {
  try {
    compile(source, { filename: basename(shownFile) });
  } catch (error) {
    if (error instanceof CompileError) throw new ExerciseFormatError(shownFile, `line ${error.line}, column ${error.column}`, error.message);
    throw error;
  }
  return source;
}
