/**
 * TypeScript's errors in a reader's file, for the CLI's `run` and `check`:
 * the page says which errors its editor marks before it runs or checks code
 * (runner/type-error-note.ts), and a reader at a terminal
 * gets the same word, since the compile step only strips types and runs
 * what Rust would refuse to compile (`let sum: number = "0"` sums "0123").
 *
 * The project's own TypeScript (the native compiler, well under a second
 * for a file) checks the file alone, with the editor's options
 * (components/editor/editor-typescript.ts) and `weft/*` resolved to the
 * declarations the editor registers (integrations/weft-declarations.ts;
 * against weft's sources, whose private members make its classes nominal,
 * chapter 2's `transfer(a: Mutex<number>)` called with an Arc was an
 * error), through a tsconfig written to a temporary folder. The
 * declarations are emitted once per version of weft's sources, in a process
 * of their own (emit-declarations.ts, seconds), into node_modules/.cache.
 * Without TypeScript installed, or when either step fails, there is nothing
 * to say.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { typeErrorNote, type MarkedError } from '../runner/type-error-note.ts';
import { EDITOR_COMPILER_OPTIONS } from '../components/editor/editor-typescript.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const CACHE = join(ROOT, 'node_modules', '.cache', 'weft-declarations');
const EMITTER = fileURLToPath(new URL('emit-declarations.ts', import.meta.url));

/** Runs `args` with this Node; resolves to its exit error (null when it succeeded) and stdout. */
function node(args: string[], cwd: string): Promise<{ error: (Error & { code?: unknown }) | null; stdout: string }> {
  return new Promise((done) => {
    execFile(process.execPath, args, { cwd, timeout: 120_000, maxBuffer: 8 << 20 }, (error, stdout) => done({ error, stdout }));
  });
}

/** Where weft's declarations for its sources as they are now are (or will be) emitted. */
function declarationsDir(): string {
  const hash = createHash('sha256');
  // The files weft-declarations.ts reads (readWeftSources), without loading the compiler it needs to emit them.
  const weft = join(ROOT, 'src', 'weft');
  for (const file of (readdirSync(weft, { recursive: true }) as string[]).sort()) {
    if (file.endsWith('.ts')) hash.update(file).update('\0').update(readFileSync(join(weft, file))).update('\0');
  }
  for (const file of ['../integrations/weft-declarations.ts', '../components/editor/editor-typescript.ts']) hash.update(readFileSync(new URL(file, import.meta.url)));
  return join(CACHE, hash.digest('hex').slice(0, 16));
}

/**
 * Whether a type check now would be quick: weft's declarations are emitted already. When they are not, the CLI
 * checks types after the exercise's checks rather than beside them: emitting them keeps a core busy for seconds,
 * which the checks' own runs would share on a small machine.
 */
export function typeCheckIsQuick(): boolean {
  try {
    return existsSync(declarationsDir());
  } catch {
    return false;
  }
}

/** The folder of weft's declarations, emitted first if need be; undefined if that failed. */
async function declarations(): Promise<string | undefined> {
  const dir = declarationsDir();
  if (existsSync(dir)) return dir;
  mkdirSync(CACHE, { recursive: true });
  await node([EMITTER, dir], ROOT);
  return existsSync(dir) ? dir : undefined;
}

/** An error tsc found, at its line and column (1-based). */
export interface TypeErrorAt extends MarkedError {
  column: number;
}

/** The values of TypeScript's enums the editor's options use, as tsconfig spells them. */
const SPELLED: Record<string, Record<number, string>> = {
  target: { 99: 'ESNext' },
  module: { 99: 'ESNext' },
  moduleResolution: { 100: 'Bundler' },
  moduleDetection: { 3: 'force' },
};

/**
 * The page's editor's compiler options (components/editor/editor-typescript.ts), as a tsconfig spells them, with
 * `weft/*` at `weft` and no ambient types (a program has no Node). A value this does not know how to spell throws
 * (type-check.test fails): the CLI never checks with options the editor does not use.
 */
function editorOptions(weft: string): object {
  const { target, module, moduleResolution, moduleDetection, lib, allowNonTsExtensions: _monacoOnly, ...flags } = EDITOR_COMPILER_OPTIONS;
  const spell = (option: string, value: number): string => {
    const name = SPELLED[option]?.[value];
    if (name === undefined) throw new Error(`cli/type-check.ts cannot spell the editor's ${option} (${value}) for tsconfig`);
    return name;
  };
  return {
    ...flags,
    target: spell('target', target),
    module: spell('module', module),
    moduleResolution: spell('moduleResolution', moduleResolution),
    moduleDetection: spell('moduleDetection', moduleDetection),
    // 'lib.esnext.d.ts' -> 'esnext'
    lib: lib.map((file) => file.replace(/^lib\.|\.d\.ts$/g, '')),
    types: [],
    paths: { 'weft/*': [weft] },
  };
}

function config(files: readonly string[], weft: string): object {
  return { compilerOptions: editorOptions(join(weft, '*')), files };
}

/**
 * `learn/tsconfig.json`, written with the first working copy (when there is none): the learner's own editor then
 * resolves `weft/thread` and checks their files with the page's options, where it had no module and every weft
 * value was `any`. It points at weft's sources, which stay where they are (the declarations' folder changes with
 * them); a class's private members then show in hovers, and an `Arc<Mutex<T>>` passed where a `Mutex<T>` is taken
 * is marked, which `check` and `run` (declarations) do not mark.
 */
export function writeEditorConfig(learn: string): void {
  const file = join(learn, 'tsconfig.json');
  if (existsSync(file)) return;
  const text = JSON.stringify({ compilerOptions: editorOptions(join(ROOT, 'src', 'weft', '*.ts')), include: ['**/*.ts'] }, null, 2);
  writeFileSync(file, `// Written by \`npm run weft\`: your editor checks these files as the book's page does. Yours to change.\n${text}\n`);
}

/**
 * `file(12,5): error TS2322: Type …` lines of tsc's plain output (paths relative to `from`), by file, for `files`
 * only: weft's own sources are not the reader's.
 */
export function parseTscOutput(output: string, from: string, files: readonly string[]): Map<string, TypeErrorAt[]> {
  const byFile = new Map<string, TypeErrorAt[]>(files.map((file) => [file, []]));
  for (const text of output.split('\n')) {
    const match = /^(.+)\((\d+),(\d+)\): error TS\d+: (.*)$/.exec(text.trimEnd());
    if (match === null) continue;
    byFile.get(resolve(from, match[1]!))?.push({ line: Number(match[2]), column: Number(match[3]), message: match[4]! });
  }
  return byFile;
}

/** The errors TypeScript finds in `file`, or undefined when it could not look (no TypeScript, or it failed to start). */
export async function typeErrorsIn(file: string): Promise<TypeErrorAt[] | undefined> {
  const path = resolve(file);
  return (await typeErrorsInFiles([path]))?.get(path);
}

/** typeErrorsIn for several files in one run of the compiler (each its own module), by resolved path. */
export async function typeErrorsInFiles(files: readonly string[]): Promise<Map<string, TypeErrorAt[]> | undefined> {
  const paths = files.map((file) => resolve(file));
  if (!existsSync(TSC)) return undefined;
  const weft = await declarations();
  if (weft === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'weft-types-'));
  try {
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(config(paths, weft)));
    // tsc reports from the config's folder: file paths come back relative to it.
    const { error, stdout } = await node([TSC, '--noEmit', '--pretty', 'false', '-p', join(dir, 'tsconfig.json')], dir);
    // Exit code 1 or 2 is "errors found"; anything else (killed, not started) says nothing about the files.
    if (error && error.code !== 1 && error.code !== 2) return undefined;
    return parseTscOutput(stdout, dir, paths);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the CLI prints of them: the page's note (runner/type-error-note.ts), then each error at `file:line:column` (at most `max`). */
export function describeTypeErrors(errors: readonly TypeErrorAt[], shownFile: string, then: string, max = 5): string[] {
  const note = typeErrorNote(errors, then, false);
  if (note === undefined) return [];
  const lines = [note, ...errors.slice(0, max).map((e) => `  ${shownFile}:${e.line}:${e.column}: ${e.message}`)];
  if (errors.length > max) lines.push(`  (and ${errors.length - max} more)`);
  return lines;
}
