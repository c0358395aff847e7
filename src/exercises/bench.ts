/**
 * The test bench of an exercise: the part of its starter below a line such as
 * `// ---- the test bench: keep it as it is ----`. The checks call the
 * bench's functions (runService, runCrawl…) and judge what they return, so a
 * learner's file whose bench was edited could hand the checks whatever they
 * look for without solving anything. Before the checks run, the grader
 * (grade.ts) compares each declaration of the starter's bench with the one
 * of the same name in the learner's file, token by token once types are
 * stripped: layout, comments, types, quotes, semicolons and trailing commas
 * may differ; names, operators and values may not. `main` is the learner's
 * to play with (no check runs it), and code added anywhere is fine. A
 * declaration above the bench whose comment says to keep it as it is (the
 * slow `work` a check times, the `eat` it counts) is held to the starter's
 * the same way.
 */
import { tokenizer, type Program, type Statement, type ModuleDeclaration } from 'acorn';
import { CompileError } from '../compile/errors.ts';
import { parseStripped } from '../compile/parse.ts';
import { stripTypes } from '../compile/strip-types.ts';

/** The line that starts a starter's test bench: a `// ----` comment that names it. */
const BENCH_LINE = /^[ \t]*\/\/[ \t]*-{3,}.*\btest bench\b.*$/m;

/** What the grader reports when a bench declaration differs: which one, and the learner's line of it (when it is there). */
export interface BenchChange {
  name: string;
  /** The declaration's line in the learner's file; undefined when it is gone. */
  line?: number;
  /** For a declaration of the bench: the bench's first line in the starter, as the learner saw it ("// ---- the test bench: keep it as it is ----"). Absent for one its comment says to keep. */
  benchLine?: string;
}

interface Declared {
  tokens: string;
  line: number;
}

/** The starter's bench declarations (but `main`) that `source` lacks or has changed; [] when it has them all as given, or the starter has no bench. */
export function benchChanges(starter: string, source: string): BenchChange[] {
  const marker = BENCH_LINE.exec(starter);
  const benchStart = marker === null ? Infinity : starter.slice(0, marker.index).split('\n').length;
  const lines = starter.split('\n');
  const given = declarations(starter, (line) => line > benchStart || keptAsItIs(lines, line));
  if (given.size === 0) return [];
  let theirs: Map<string, Declared>;
  try {
    theirs = declarations(source, () => true);
  } catch (error) {
    // A program that does not compile is for the checks to report, with its line.
    if (error instanceof CompileError) return [];
    throw error;
  }
  const changes: BenchChange[] = [];
  for (const [name, declared] of given) {
    if (name === 'main') continue;
    const mine = theirs.get(name);
    const where = declared.line > benchStart ? { benchLine: marker![0].trim() } : {};
    if (mine === undefined) changes.push({ name, ...where });
    else if (mine.tokens !== declared.tokens) changes.push({ name, line: mine.line, ...where });
  }
  return changes;
}

/** The reader's message for bench changes. */
export function describeBenchChanges(changes: readonly BenchChange[]): string {
  // Plain text: the page's list of results and the CLI show messages as they are.
  const named = (list: readonly BenchChange[]) => list.map((c) => `${c.name}${c.line === undefined ? ' (gone)' : ` (line ${c.line})`}`).join(', ');
  const bench = changes.filter((c) => c.benchLine !== undefined);
  const kept = changes.filter((c) => c.benchLine === undefined);
  const parts: string[] = [];
  if (bench.length > 0) parts.push(`the test bench, below the line “${bench[0]!.benchLine}”, was changed: ${named(bench)}`);
  if (kept.length > 0) parts.push(`${named(kept)}, which ${kept.length === 1 ? 'its comment says' : 'their comments say'} to keep as it is, ${kept.length === 1 ? 'was' : 'were'} changed`);
  return (
    `${parts.join('; and ')}. The checks rely on this code as given, so they cannot judge your program with it changed. ` +
    'Put it back as it was (Reset shows the starter; copy it from there) and make your changes elsewhere'
  );
}

/** Whether the comment right above line `line` (1-based) of the starter says to keep what follows as it is. */
function keptAsItIs(lines: readonly string[], line: number): boolean {
  let comment = '';
  for (let i = line - 2; i >= 0; i--) {
    const text = lines[i]!.trim();
    if (!(text.startsWith('//') || text.startsWith('/*') || text.startsWith('*'))) break;
    comment = `${text} ${comment}`;
  }
  return /\bkeep (it|them) as (it is|they are)\b/i.test(comment);
}

/** Top-level runtime declarations of `source` whose first line passes `where`, by name, with their normalized tokens. */
function declarations(source: string, where: (line: number) => boolean): Map<string, Declared> {
  const stripped = stripTypes(source, 'main.ts');
  const program: Program = parseStripped(stripped.code, stripped.map);
  const found = new Map<string, Declared>();
  for (const statement of program.body) {
    const line = statement.loc!.start.line;
    if (!where(line)) continue;
    for (const name of namesOf(statement)) {
      if (!found.has(name)) found.set(name, { tokens: tokensOf(stripped.code.slice(statement.start, statement.end)), line });
    }
  }
  return found;
}

function namesOf(statement: Statement | ModuleDeclaration): string[] {
  const node = statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration' ? statement.declaration : statement;
  if (node == null) return [];
  switch (node.type) {
    case 'FunctionDeclaration':
    case 'ClassDeclaration':
      return node.id ? [node.id.name] : [];
    case 'VariableDeclaration':
      return node.declarations.flatMap((d) => (d.id.type === 'Identifier' ? [d.id.name] : []));
    default:
      return [];
  }
}

/** The code's tokens as one string, without what formatting changes: semicolons and commas before a closing bracket. */
function tokensOf(code: string): string {
  const tokens: string[] = [];
  for (const token of tokenizer(code, { ecmaVersion: 'latest', sourceType: 'module', allowAwaitOutsideFunction: true })) {
    const label = token.type.label;
    if (label === ';') continue;
    if ((label === ')' || label === ']' || label === '}') && tokens.at(-1) === ',') tokens.pop();
    tokens.push(label === 'name' || label === 'string' || label === 'num' || label === 'template' || label === 'regexp' || label === 'bigint' ? `${label}:${String((token as { value?: unknown }).value)}` : label);
  }
  return tokens.join(' ');
}
