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
 * No Node API here, so the page's code may import the types. exercise.json
 * is checked with the schema library the content collections use (Astro's
 * zod, which plain Node imports too); checks.ts is read with the compile
 * step's parser (acorn, after its type stripping), never run.
 */
import { z } from 'astro/zod';
import type { AnyNode, CallExpression } from 'acorn';
import { CompileError } from '../compile/errors.ts';
import { parseStripped } from '../compile/parse.ts';
import { childNodes } from '../compile/scope.ts';
import { stripTypes } from '../compile/strip-types.ts';
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

/** What a value was, in an error message: `"medum"`, `0`, `nothing`. */
const got = (value: unknown) => JSON.stringify(value) ?? 'nothing';

const nonEmpty = (text: string) => text.trim() !== '';

const CONCEPTS = 'must be a non-empty array of strings (what the exercise practises)';

/**
 * exercise.json's schema. Every issue's message is the sentence an author
 * reads after "<file>: <field>: "; the field is the issue's first path key.
 */
export const EXERCISE_META = z.strictObject(
  {
    title: z.string({ error: 'must be a non-empty string' }).refine(nonEmpty, { error: 'must be a non-empty string' }),
    difficulty: z.enum(DIFFICULTIES, { error: (issue) => `must be ${DIFFICULTIES.map((d) => `"${d}"`).join(', ')} (got ${got(issue.input)})` }),
    concepts: z.array(z.string({ error: CONCEPTS }).refine(nonEmpty, { error: CONCEPTS }), { error: CONCEPTS }).min(1, { error: CONCEPTS }),
    timeBudgetMinutes: z.number({ error: (issue) => `must be a positive number of minutes (got ${got(issue.input)})` }).positive({
      error: (issue) => `must be a positive number of minutes (got ${got(issue.input)})`,
    }),
    chapter: z
      .string({ error: (issue) => `must be a chapter's slug, like "threads" (got ${got(issue.input)})` })
      .regex(SLUG, { error: (issue) => `must be a chapter's slug, like "threads" (got ${got(issue.input)})` })
      .optional(),
  },
  {
    error: (issue): string =>
      issue.code === 'unrecognized_keys' ? `is not a field of exercise.json (fields: ${metaFields().join(', ')})` : 'must hold a JSON object',
  },
) satisfies z.ZodType<ExerciseMeta>;

/** exercise.json's fields, in the schema's order. */
function metaFields(): string[] {
  return Object.keys(EXERCISE_META.shape);
}

/** Checks exercise.json's parsed value against EXERCISE_META; `file` names it in errors, with the first field at fault. */
export function parseMeta(file: string, value: unknown): ExerciseMeta {
  const parsed = EXERCISE_META.safeParse(value);
  if (parsed.success) return parsed.data;
  // An unknown field first (it may be a misspelt known one), then the fields in the schema's order.
  const rank = (issue: z.core.$ZodIssue) => (issue.code === 'unrecognized_keys' ? -1 : metaFields().indexOf(String(issue.path[0])));
  const [first] = [...parsed.error.issues].sort((a, b) => rank(a) - rank(b));
  const field = first!.code === 'unrecognized_keys' ? first!.keys[0] : first!.path[0];
  throw new ExerciseFormatError(file, field === undefined ? undefined : String(field), first!.message);
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
 * (the build must not run exercise code): every call `check('id', 'title', …)`
 * of the checks API's `check` (under any name it is imported as), found
 * with the compile step's parser. The tests load each checks.ts too and
 * compare.
 */
export function declaredChecks(file: string, source: string): { id: string; title: string }[] {
  let program: AnyNode;
  try {
    const stripped = stripTypes(source, 'checks.ts');
    program = parseStripped(stripped.code, stripped.map);
  } catch (error) {
    if (error instanceof CompileError) throw new ExerciseFormatError(file, `line ${error.line}, column ${error.column}`, error.message);
    throw error;
  }
  const names = new Set(['check', ...checkImports(program)]);
  const calls: CallExpression[] = [];
  const visit = (node: AnyNode) => {
    if (node.type === 'CallExpression' && node.callee.type === 'Identifier' && names.has(node.callee.name)) calls.push(node);
    for (const child of childNodes(node)) visit(child);
  };
  visit(program);
  const found: { id: string; title: string }[] = [];
  for (const call of calls.sort((a, b) => a.start - b.start)) {
    const id = stringOf(call.arguments[0]);
    if (id === undefined) throw new ExerciseFormatError(file, `line ${call.loc!.start.line}`, "a check's id must be written out as a string: check('counts-every-increment', …)");
    if (!SLUG.test(id)) throw new ExerciseFormatError(file, `check '${id}'`, 'a check id must be kebab-case, like counts-every-increment');
    if (found.some((c) => c.id === id)) throw new ExerciseFormatError(file, `check '${id}'`, 'is declared twice');
    const title = stringOf(call.arguments[1]) ?? '';
    if (title.trim() === '') throw new ExerciseFormatError(file, `check '${id}'`, 'needs a title (the second argument of check)');
    found.push({ id, title });
  }
  if (found.length === 0) throw new ExerciseFormatError(file, 'checks', "declares no check: write check('some-id', 'What it checks', async (t) => …)");
  return found;
}

/** The local names `check` is imported under from the checks API (`import { check as c } from '#weft/checks'`). */
function checkImports(program: AnyNode): string[] {
  if (program.type !== 'Program') return [];
  return program.body.flatMap((statement) =>
    statement.type === 'ImportDeclaration' && statement.source.value === '#weft/checks'
      ? statement.specifiers.flatMap((s) => (s.type === 'ImportSpecifier' && s.imported.type === 'Identifier' && s.imported.name === 'check' ? [s.local.name] : []))
      : [],
  );
}

/** A string written out in the source: a string literal, or a template literal without `${…}`. */
function stringOf(node: AnyNode | undefined): string | undefined {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0) return node.quasis[0]!.value.cooked ?? undefined;
  return undefined;
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
