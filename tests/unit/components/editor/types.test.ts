/**
 * The editor shows no false errors on the book's own code: every runnable
 * chapter example and every exercise's starter, solution and alternatives
 * type-check with zero errors in exactly the editor's configuration — the
 * editor's TypeScript worker class (WeftTypeScriptWorker, Monaco's worker with
 * the `main` rule), Monaco's TypeScript 5.9 and lib files, the compiler options
 * of editor-typescript.ts and the weft declarations the page registers
 * (weft-declarations.ts) at the same paths. A top-level `main` is never
 * reported unused, and the declarations name no private member.
 */
import { describe, expect, it } from 'vitest';
import type { WorkerDiagnostic } from 'monaco-editor/languages/features/typescript/tsWorker.js';
import { typescript as ts } from 'monaco-editor/languages/features/typescript/lib/typescriptServices.js';
import { DECLARED_BUT_NEVER_READ } from '../../../../src/components/editor/editor-typescript.ts';
import { emitWeftDeclarations } from '../../../../src/integrations/weft-declarations.ts';
import { listExercises } from '../../../../src/exercises/catalog.ts';
import { chapterFiles, readExamples } from '../../../support/chapter-examples.ts';
import { editorWorker as editorWorkerOver } from '../../support/editor-worker.ts';
import { basename } from 'node:path';

// Emitting weft's declarations type-checks all of weft: seconds, more on a loaded machine.
const declarations = emitWeftDeclarations();

/** Monaco's worker over the given models (uri -> text), with weft's declarations, as the page sets it up. */
const editorWorker = (models: Record<string, string>) => editorWorkerOver(models, declarations);

interface Program {
  name: string;
  source: string;
}

const programs: Program[] = [
  ...chapterFiles().flatMap((file) => readExamples(file).map((example) => ({ name: `${basename(file, '.mdx')} example ${example.index} (line ${example.line})`, source: example.source }))),
  ...listExercises().flatMap((exercise) => [
    { name: `${exercise.id} starter.ts`, source: exercise.starter },
    { name: `${exercise.id} solution.ts`, source: exercise.solution },
    ...exercise.alternatives.map((alternative) => ({ name: `${exercise.id} alternatives/${alternative.name}.ts`, source: alternative.source })),
  ]),
];

// One worker for all, as on a page with many examples (each model is its own module: moduleDetection Force).
const uri = (index: number) => `file:///example-${index + 1}.ts`;
const worker = editorWorker(Object.fromEntries(programs.map((program, index) => [uri(index), program.source])));

function describeDiagnostic(source: string, d: WorkerDiagnostic): string {
  const before = source.slice(0, d.start ?? 0).split('\n');
  const message = typeof d.messageText === 'string' ? d.messageText : ts.flattenDiagnosticMessageText(d.messageText, '\n');
  return `${before.length}:${before.at(-1)!.length + 1} TS${d.code} ${message}`;
}

it('reads the book: examples of every chapter and every exercise', () => {
  expect(programs.filter((p) => p.name.includes('example')).length).toBeGreaterThanOrEqual(40);
  expect(programs.filter((p) => p.name.endsWith('solution.ts')).length).toBe(listExercises().length);
});

it('the compiler options themselves are valid', async () => {
  expect(await worker.getCompilerOptionsDiagnostics(uri(0))).toEqual([]);
});

describe.each(programs.map((program, index) => ({ ...program, index })))('$name', ({ source, index }) => {
  it('has no errors in the editor, and `main` is not unused', async () => {
    const errors = [...(await worker.getSyntacticDiagnostics(uri(index))), ...(await worker.getSemanticDiagnostics(uri(index)))];
    expect(errors.map((d) => describeDiagnostic(source, d))).toEqual([]);
    const suggestions = await worker.getSuggestionDiagnostics(uri(index));
    const unusedMain = suggestions.filter((d) => d.code === DECLARED_BUT_NEVER_READ && source.slice(d.start, (d.start ?? 0) + (d.length ?? 0)) === 'main');
    expect(unusedMain.map((d) => describeDiagnostic(source, d))).toEqual([]);
  });
});

describe('the editor worker', () => {
  const local = editorWorker({
    'file:///a.ts': ['function main() {', '  const unused = 1;', '}', ''].join('\n'),
    'file:///b.ts': ['function helper() {', '  function main() {}', '}', ''].join('\n'),
    'file:///c.ts': ["import { Arc, Mutex } from 'weft/sync';", 'const m = new Arc(new Mutex(0));', 'm.', ''].join('\n'),
  });
  const unused = async (file: string) => (await local.getSuggestionDiagnostics(file)).filter((d) => d.code === DECLARED_BUT_NEVER_READ).map((d) => (d.messageText as string));

  it('reports other unused names, and a `main` that is not a top-level function', async () => {
    expect(await unused('file:///a.ts')).toEqual(["'unused' is declared but its value is never read."]);
    expect((await unused('file:///b.ts')).sort()).toEqual(["'helper' is declared but its value is never read.", "'main' is declared but its value is never read."]);
  });

  it('hovers and completions offer no private member of a weft class', async () => {
    const source = ["import { Arc, Mutex } from 'weft/sync';", 'const m = new Arc(new Mutex(0));', 'm.', ''].join('\n');
    const info = await local.getQuickInfoAtPosition('file:///c.ts', source.indexOf('Mutex(0)'));
    const hover = (info?.displayParts ?? []).map((part) => part.text).join('');
    expect(hover).toContain('Mutex');
    const completions = local.getLanguageService().getCompletionsAtPosition('file:///c.ts', source.indexOf('m.') + 2, undefined);
    const names: string[] = completions.entries.map((entry: { name: string }) => entry.name);
    expect(names).toContain('lock');
    expect(names.filter((name) => name.startsWith('#') || name === 'what')).toEqual([]);
  });
});

describe("weft's declarations for the editor", () => {
  it('declare every entry point', () => {
    expect(Object.keys(declarations)).toEqual(expect.arrayContaining(['thread.d.ts', 'sync.d.ts', 'task.d.ts', 'par.d.ts']));
  });

  it('contain no private names (`#private`, `#addr`) and no private or protected members', () => {
    for (const [path, text] of Object.entries(declarations)) {
      const file = ts.createSourceFile(path, text, ts.ScriptTarget.ESNext, true);
      const found: string[] = [];
      const visit = (node: any): void => {
        if (ts.isPrivateIdentifier(node)) found.push(`${path}: ${node.text}`);
        if ((node.modifiers ?? []).some((m: any) => m.kind === ts.SyntaxKind.PrivateKeyword || m.kind === ts.SyntaxKind.ProtectedKeyword)) found.push(`${path}: ${node.getText(file)}`);
        ts.forEachChild(node, visit);
      };
      visit(file);
      expect(found).toEqual([]);
      // Comments may link to `…html#poisoning`; the declarations themselves name nothing with `#`.
      expect(ts.createPrinter({ removeComments: true }).printFile(file)).not.toMatch(/#\w/);
    }
  });
});
