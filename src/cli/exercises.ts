/**
 * The exercise commands of the weft CLI, with Rustlings' habits: the
 * learner edits a working copy of each exercise in their own tree, `check`
 * grades it with the same checks and messages as the page, `watch`
 * re-checks on every save and moves on to the next unsolved exercise, and
 * `hint` gives the hints one at a time.
 *
 * The learner's tree is `learn/` at the project's root (WEFT_LEARN_DIR
 * overrides it): `learn/01-threads/02-shared-counter.ts` is the working copy
 * of `exercises/01-threads/02-shared-counter/`, created from the starter
 * the first time it is needed, and `learn/progress.json` records what is
 * solved and how many hints were shown, in the page's own progress format:
 * `export` and `import` carry progress and code between the CLI and the page.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, watch, writeFileSync, type FSWatcher } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getExercise, listExercises, type ExerciseInfo } from '../exercises/catalog.ts';
import { useWorkerEntry } from '../runner/node-host.ts';
import { buildWorkerBundle } from '../runner/node-worker-bundle.ts';
import { startGrade, type CheckResult, type GradeResult } from '../exercises/node-grade.ts';
import { continueWith, emptyProgress, mergeProgress, statusOf, withAttempt, withHintsShown, withResult, type Draft, type ExerciseProgress } from '../progress/schema.ts';
import { ImportError, parseExportFile, toExportFile } from '../progress/export-file.ts';
import { describeTypeErrors, typeCheckIsQuick, typeErrorsIn, writeEditorConfig } from './type-check.ts';

/** The project's root: where `exercises/` and `learn/` live. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export function learnDir(): string {
  return resolve(process.env.WEFT_LEARN_DIR ?? join(ROOT, 'learn'));
}

/** A path as the learner would type it: relative to where they stand, when that is shorter. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') ? rel : path;
}

// ---------------------------------------------------------------- progress
//
// learn/progress.json is the page's progress export file (src/progress/export-file.ts):
// one schema and one reader (parseExportFile) for the page and the CLI, so the page's
// "Import progress" takes it as it is, and `weft import` takes a file the page exported.
// parseExportFile also reads the file an older CLI wrote.

function progressFile(): string {
  return join(learnDir(), 'progress.json');
}

function readProgress(): ExerciseProgress[] {
  const file = progressFile();
  if (!existsSync(file)) return [];
  try {
    return parseExportFile(readFileSync(file, 'utf8')).exercises;
  } catch (error) {
    const why = error instanceof ImportError ? ` (${error.message})` : '';
    process.stderr.write(`weft: ${shown(file)} is not a progress file this version understands${why}; starting from no progress (the file is left as it is)\n`);
    return [];
  }
}

function writeProgress(exercises: ExerciseProgress[]): void {
  mkdirSync(learnDir(), { recursive: true });
  // Write then rename, so a crash never leaves half a file.
  const file = progressFile();
  writeFileSync(`${file}.tmp`, `${JSON.stringify(toExportFile({ exercises, drafts: [] }), null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

function progressOf(id: string): ExerciseProgress | undefined {
  return readProgress().find((p) => p.id === id);
}

function updateProgress(id: string, change: (p: ExerciseProgress) => ExerciseProgress): ExerciseProgress {
  const all = readProgress();
  const mine = change(all.find((p) => p.id === id) ?? emptyProgress(id));
  writeProgress([...all.filter((p) => p.id !== id), mine]);
  return mine;
}

// ---------------------------------------------------------------- exercises

function findExercise(exercises: ExerciseInfo[], id: string): ExerciseInfo {
  const found = exercises.find((e) => e.id === id || `${basename(dirname(e.dir))}/${basename(e.dir)}` === id);
  if (found) return found;
  const near = exercises.filter((e) => e.id.includes(id) || id.includes(e.id)).map((e) => e.id);
  throw new UsageError(
    `there is no exercise '${id}'.${near.length > 0 ? ` Did you mean ${near.join(' or ')}?` : ''}\nThe exercises are: ${exercises.map((e) => e.id).join(', ')}`,
  );
}

/** `id`'s exercise, reading its folder only when the id is an exercise's (every exercise is read for a folder path or a near miss). */
function exerciseNamed(id: string): ExerciseInfo {
  try {
    return getExercise(id);
  } catch {
    return findExercise(listExercises(), id);
  }
}

export class UsageError extends Error {}

/** The learner's working copy of an exercise: `learn/NN-chapter/NN-slug.ts`. */
export function workingCopy(exercise: ExerciseInfo): string {
  return join(learnDir(), basename(dirname(exercise.dir)), `${basename(exercise.dir)}.ts`);
}

/** Creates the working copy from the starter when there is none; says so. */
function ensureWorkingCopy(exercise: ExerciseInfo, out: (line: string) => void): string {
  const file = workingCopy(exercise);
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, exercise.starter);
    writeEditorConfig(learnDir());
    out(`Created ${shown(file)} from the starter: edit it, then check it again.`);
  }
  return file;
}

// ---------------------------------------------------------------- output

const useColor = process.stdout.isTTY && process.env.NO_COLOR === undefined;
const paint = (code: number) => (text: string) => (useColor ? `\u001b[${code}m${text}\u001b[0m` : text);
const green = paint(32);
const red = paint(31);
const yellow = paint(33);
const dim = paint(2);
const bold = paint(1);

function mark(result: CheckResult): string {
  if (result.status === 'passed') return green('✓');
  if (result.status === 'failed') return red('✗');
  return yellow('!');
}

/** A check's result as lines, with where it failed and how to replay it. */
function describe(result: CheckResult, file: string): string[] {
  const lines = [`  ${mark(result)} ${result.title}`];
  if (result.status === 'passed') return lines;
  if (result.message) lines.push(...`${result.message}${result.replayCue ?? ''}`.split('\n').map((l) => `      ${l}`));
  if (result.location) lines.push(dim(`      at ${shown(file)}:${result.location.line}:${result.location.column}`));
  if (result.seed !== undefined) {
    const call = result.call ? ` --call ${result.call.name} --args ${shellQuote(JSON.stringify(result.call.args))}` : '';
    const limit = result.timeoutMs !== undefined ? ` --timeout ${result.timeoutMs}` : '';
    lines.push(dim(`      replay it: npm run weft -- run ${shown(file)} --seed ${result.seed}${call}${limit}`));
  }
  return lines;
}

/** A word the shell passes through unchanged: single-quoted, with single quotes escaped. */
function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

function verdict(result: GradeResult): string {
  const passed = result.checks.filter((c) => c.status === 'passed').length;
  const seconds = (result.durationMs / 1000).toFixed(1);
  return result.passed
    ? green(bold(`All ${result.checks.length} checks passed`)) + dim(` (${seconds} s).`)
    : `${passed} of ${result.checks.length} checks passed` + dim(` (${seconds} s).`);
}

// ---------------------------------------------------------------- commands

/** Grades `file` as `exercise`, printing each check as it ends; records the attempt. */
async function grade(exercise: ExerciseInfo, file: string, out: (line: string) => void): Promise<GradeResult> {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${shown(file)}: ${(error as Error).message}`);
  }
  out(bold(`Checking ${exercise.id}: ${exercise.title}`) + dim(` (${shown(file)})`));
  // A grading starts a worker per thread of each of its runs: one bundled file starts ~3x faster than the sources.
  useWorkerEntry(await buildWorkerBundle().catch(() => undefined));
  // TypeScript looks at the file while the checks run (under a second), or after them the first time (typeCheckIsQuick);
  // what it finds is said before the verdict.
  const typeCheck = () => typeErrorsIn(file).catch(() => undefined);
  const types = typeCheckIsQuick() ? typeCheck() : undefined;
  const handle = startGrade(exercise.id, source, (event) => {
    if (event.kind === 'check-end') for (const line of describe(event.result, file)) out(line);
  });
  const result = await handle.done;
  if (types === undefined) out(dim('TypeScript is looking at your code (the first time after weft changed takes a few seconds)…'));
  for (const line of describeTypeErrors((await (types ?? typeCheck())) ?? [], shown(file), 'the checks run it anyway, so what they report may come from it')) out(yellow(line));
  out(verdict(result));
  updateProgress(exercise.id, (p) => {
    const now = Date.now();
    return withResult(withAttempt(p, now), result.passed, now);
  });
  return result;
}

/** `check <exercise> [--file F]`: exit code 0 when every check passes, 1 when one fails, 2 when one could not run. */
export async function checkCommand(id: string, file: string | undefined, out: (line: string) => void): Promise<number> {
  const exercise = exerciseNamed(id);
  const target = file === undefined ? ensureWorkingCopy(exercise, out) : resolve(file);
  const result = await grade(exercise, target, out);
  if (result.passed) {
    const next = nextUnsolved(listExercises(), exercise);
    if (next) out(dim(`Next: npm run weft -- check ${next.id}   (${next.title})`));
    return 0;
  }
  return result.checks.some((c) => c.status === 'failed') ? 1 : 2;
}

/** `hint <exercise> [--all]`: the next hint not yet shown (all of them with --all, or once every hint has been shown). */
export function hintCommand(id: string, all: boolean, out: (line: string) => void): number {
  const exercise = exerciseNamed(id);
  const total = exercise.hints.length;
  const shownBefore = progressOf(exercise.id)?.hintsShown ?? 0;
  const upTo = all || shownBefore >= total ? total : shownBefore + 1;
  updateProgress(exercise.id, (p) => {
    return withHintsShown(p, upTo);
  });
  const from = all || shownBefore >= total ? 0 : upTo - 1;
  for (let i = from; i < upTo; i++) {
    out(bold(`Hint ${i + 1} of ${total}`) + dim(` (${exercise.id})`));
    out(exercise.hints[i]!);
    out('');
  }
  if (upTo < total) out(dim(`Run the same command again for hint ${upTo + 1}.`));
  else if (!all && shownBefore < total) out(dim('That was the last hint. The statement is in ' + shown(join(exercise.dir, 'README.md')) + '.'));
  return 0;
}

/** `list`: every exercise, in order, with its status. */
export function listCommand(out: (line: string) => void): number {
  const exercises = listExercises();
  const progress = new Map(readProgress().map((p) => [p.id, p]));
  let chapter = '';
  for (const e of exercises) {
    if (e.chapter !== chapter) {
      chapter = e.chapter;
      out(bold(chapter));
    }
    const status = { solved: green('solved '), attempted: yellow('started'), 'not-started': dim('not yet') }[statusOf(progress.get(e.id))];
    out(`  ${status}  ${e.id.padEnd(22)} ${e.title} ${dim(`(${e.difficulty}, ~${e.timeBudgetMinutes} min)`)}`);
  }
  const solved = exercises.filter((e) => statusOf(progress.get(e.id)) === 'solved').length;
  out(`${solved} of ${exercises.length} solved.`);
  const next = nextUnsolved(exercises);
  if (next) out(`Continue with ${bold(next.id)}: ${next.title} (npm run weft -- check ${next.id}).`);
  return 0;
}

/** `export <file>`: progress and working copies as the page's progress file, for its "Import progress". */
export function exportCommand(file: string, out: (line: string) => void): number {
  const drafts: Draft[] = [];
  for (const exercise of listExercises()) {
    const copy = workingCopy(exercise);
    if (existsSync(copy)) drafts.push({ id: exercise.id, source: readFileSync(copy, 'utf8'), savedAt: Math.round(statSync(copy).mtimeMs) });
  }
  const exercises = readProgress();
  writeFileSync(file, `${JSON.stringify(toExportFile({ exercises, drafts }), null, 2)}\n`);
  out(`Wrote ${shown(resolve(file))}: ${exercises.length} exercises' progress and ${drafts.length} working copies. On the book's progress page, use "Import progress".`);
  return 0;
}

/**
 * `import <file>`: a progress file the page exported (or another CLI's), merged into
 * learn/: progress as the page merges it (nothing solved is lost), and each draft written
 * to its working copy when it is newer than the copy there.
 */
export function importCommand(file: string, out: (line: string) => void): number {
  let snapshot;
  try {
    snapshot = parseExportFile(readFileSync(file, 'utf8'));
  } catch (error) {
    if (error instanceof ImportError) throw new UsageError(`${shown(resolve(file))}: ${error.message}`);
    throw error;
  }
  const exercises = listExercises();
  const mine = new Map(readProgress().map((p) => [p.id, p]));
  for (const theirs of snapshot.exercises) {
    const current = mine.get(theirs.id);
    mine.set(theirs.id, current ? mergeProgress(current, theirs) : theirs);
  }
  writeProgress([...mine.values()]);
  let written = 0;
  for (const draft of snapshot.drafts) {
    const exercise = exercises.find((e) => e.id === draft.id);
    if (!exercise) continue;
    const copy = workingCopy(exercise);
    if (existsSync(copy) && statSync(copy).mtimeMs >= draft.savedAt) continue;
    mkdirSync(dirname(copy), { recursive: true });
    writeFileSync(copy, draft.source);
    writeEditorConfig(learnDir());
    written++;
  }
  out(`Imported ${shown(resolve(file))}: ${snapshot.exercises.length} exercises' progress, ${written} working ${written === 1 ? 'copy' : 'copies'} updated.`);
  const next = nextUnsolved(exercises);
  if (next) out(`Continue with ${bold(next.id)}: ${next.title}.`);
  return 0;
}

function nextUnsolved(exercises: ExerciseInfo[], after?: ExerciseInfo): ExerciseInfo | undefined {
  const id = continueWith(exercises.map((e) => e.id), readProgress(), after?.id);
  return exercises.find((e) => e.id === id);
}

/**
 * `watch`: checks the first unsolved exercise, then again on every save of
 * its working copy; once it passes, moves on to the next unsolved one.
 * Keys (in a terminal): h a hint, c check now, l list, q quit.
 */
export function watchCommand(out: (line: string) => void, signal?: AbortSignal): Promise<number> {
  const exercises = listExercises();
  return new Promise((resolveWatch) => {
    let current: ExerciseInfo | undefined;
    let file = '';
    let watcher: FSWatcher | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let grading: Promise<void> = Promise.resolve();
    let again = false;
    let over = false;

    const finish = (code: number) => {
      if (over) return;
      over = true;
      watcher?.close();
      clearTimeout(timer);
      if (process.stdin.isTTY) {
        process.stdin.setRawMode(false);
        process.stdin.pause();
      }
      resolveWatch(code);
    };

    const open = (exercise: ExerciseInfo | undefined) => {
      watcher?.close();
      current = exercise;
      if (exercise === undefined) {
        out(green(bold(`Every exercise is solved: ${exercises.length} of ${exercises.length}.`)));
        finish(0);
        return;
      }
      file = ensureWorkingCopy(exercise, out);
      out('');
      out(bold(`Exercise ${exercise.order} of ${exercises.length}: ${exercise.title}`) + dim(` (${exercise.id}, ${exercise.difficulty}, ~${exercise.timeBudgetMinutes} min)`));
      out(`The statement: ${shown(join(exercise.dir, 'README.md'))}`);
      out(`Edit ${shown(file)}; it is checked every time you save.`);
      // Watch the folder, not the file: editors often save by replacing the file.
      watcher = watch(dirname(file), (_event, name) => {
        if (name === null || name === basename(file)) schedule();
      });
      schedule(0);
    };

    const schedule = (delay = 150) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        again = true;
        grading = grading.then(runOnce);
      }, delay);
    };

    const runOnce = async () => {
      if (!again || over || current === undefined) return;
      again = false;
      const exercise = current;
      out('');
      const result = await grade(exercise, file, out);
      if (over || current !== exercise) return;
      if (result.passed) {
        out(green(`Solved ${exercise.id}.`));
        open(nextUnsolved(exercises, exercise));
      } else {
        out(dim('Save the file to check again. Keys: h hint, c check, l list, q quit.'));
      }
    };

    if (process.stdin.isTTY) {
      process.stdin.setRawMode(true);
      process.stdin.resume();
      process.stdin.setEncoding('utf8');
      process.stdin.on('data', (key: string) => {
        if (key === 'q' || key === '\u0003') finish(0);
        else if (key === 'h' && current) hintCommand(current.id, false, out);
        else if (key === 'c') schedule(0);
        else if (key === 'l') listCommand(out);
      });
    }
    signal?.addEventListener('abort', () => finish(0));
    process.once('SIGINT', () => finish(130));
    open(nextUnsolved(exercises));
  });
}
