/**
 * Syntax errors are reported where TypeScript's parser reports them (the
 * editor's squiggle), not where the compile step's parser gave up; and the
 * output says "Did not compile" once.
 *
 * TypeScript's diagnostics come from the editor's own worker class
 * (WeftTypeScriptWorker, Monaco's TypeScript 5.9), asked as the page asks it
 * (ExampleEditor.syntaxDiagnostics in monaco-editor.ts); the compile error
 * comes from a real run, as the page receives it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { typeScriptSyntaxError } from '../../../../src/compile/typescript-syntax.ts';
import { atTypeScriptLocation } from '../../../../src/components/editor/syntax-location.ts';
import { summarizeOutcome } from '../../../../src/components/run/run-summary.ts';
import type { RunEvent } from '../../../../src/runner/events.ts';
import { compileError } from '../../support/compile.ts';
import { editorWorker } from '../../support/editor-worker.ts';
import { runProgram, supervisorForTests } from '../../support/run-program.ts';

afterAll(() => supervisorForTests().dispose());

/** TypeScript's syntax diagnostics for `source`, from the editor's worker. */
function typeScriptDiagnostics(source: string) {
  return editorWorker({ 'file:///example-1.ts': source }).getSyntacticDiagnostics('file:///example-1.ts');
}

const cases = [
  {
    name: 'a missing `)` at the end of a line inside a spawned closure',
    source: ["import { spawn } from 'weft/thread';", '', 'function main() {', '  const handle = spawn(() => {', "    console.log('hello'", '  });', '  handle.join();', '}', ''],
    // TypeScript stops at the `}` where it wanted the `,` or `)`; the compile step's parser said line 4, column 27 (the `=>`).
    typescript: "6:3 syntax error: ',' expected",
  },
  {
    name: 'a missing `)` mid-line inside a spawned closure',
    source: ["import { spawn } from 'weft/thread';", '', 'function main() {', '  const handle = spawn(() => {', "    console.log('sum' + (1 + 2);", '  });', '  handle.join();', '}', ''],
    typescript: "5:32 syntax error: ')' expected", // at the `;`, where the call's `)` belongs
  },
  {
    name: 'a missing `}` at the end of the file',
    source: ['function main() {', '  if (true) {', '    console.log(1);', '}'],
    typescript: "4:2 syntax error: '}' expected",
  },
  {
    name: 'a bad token mid-line',
    source: ['function main() {', '  let x = 1;', '  x = = 2;', '}', ''],
    typescript: '3:7 syntax error: Expression expected',
  },
  {
    name: 'a character that is no token',
    source: ['function main() {', '  const x = 1 # 2;', '  console.log(x);', '}', ''],
    typescript: '2:15 syntax error: Invalid character',
  },
];

describe.each(cases)('$name', ({ source, typescript }) => {
  const text = source.join('\n');

  it('TypeScript places it where the test says, and the compile step also rejects the program', async () => {
    const found = typeScriptSyntaxError(await typeScriptDiagnostics(text), text);
    expect(found && `${found.line}:${found.column} ${found.message}`).toBe(typescript);
    expect(compileError(text).message).toMatch(/^syntax error/);
  });

  it("the run's compile error, relocated as the page relocates it, is at TypeScript's place", async () => {
    const run = await runProgram(text);
    expect(run.outcome.status).toBe('compile-error');
    const diagnostics = await typeScriptDiagnostics(text);
    const shown = run.events.map((event) => atTypeScriptLocation(event, diagnostics, text));
    const errors = shown.filter((e): e is Extract<RunEvent, { kind: 'error' }> => e.kind === 'error');
    expect(errors.map((e) => `${e.error.location!.line}:${e.error.location!.column} ${e.error.message}`)).toEqual([typescript]);
  });
});

it('a syntax error TypeScript does not see (the compile step is stricter) keeps the compile step\'s place', async () => {
  // A `const` declared twice: a binding error for TypeScript, not a syntax error.
  const text = ['function main() {', '  const a = 1;', '  const a = 2;', '}', ''].join('\n');
  const run = await runProgram(text);
  const before = run.events.find((e) => e.kind === 'error')!;
  expect(atTypeScriptLocation(before, await typeScriptDiagnostics(text), text)).toEqual(before);
});

it('the output says "Did not compile" once', async () => {
  const text = cases[0]!.source.join('\n');
  const run = await runProgram(text);
  const diagnostics = await typeScriptDiagnostics(text);
  // What the output log renders (components/run/output-log.ts): each error line's text, then the status line's label and detail.
  const rendered = run.events
    .map((event) => atTypeScriptLocation(event, diagnostics, text))
    .flatMap((event) => {
      if (event.kind === 'error') return [`${event.error.name}: ${event.error.message}`];
      if (event.kind === 'end') {
        const summary = summarizeOutcome(event.outcome, 10_000);
        return [summary.label, ...(summary.detail ? [summary.detail] : [])];
      }
      return [];
    });
  expect(rendered.join('\n').match(/did not compile/gi)).toHaveLength(1);
  expect(rendered).toEqual(["CompileError: syntax error: ',' expected", 'Did not compile']);
});
