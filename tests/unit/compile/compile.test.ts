/**
 * The compile step as a reader meets it: programs run, closures that move
 * into threads compute the same thing in a thread as in place, mistakes are
 * reported at the right line and column with the variable named, and runtime
 * errors point back at the reader's own code.
 *
 * Compiled programs are evaluated here the way the runner does it, with
 * indirect eval, against a fake `__weft` that records lifted closures
 * (evaluate, in ../support/compile.ts).
 */
import { describe, expect, it } from 'vitest';
import { compile, mapLocation, mapStack, type ProgramExports } from '../../../src/compile/index.ts';
import { blockOn } from '../../../src/weft/task/runtime.ts';
import { capturesOf, compileError, compileErrorText, evaluate, lines } from '../support/compile.ts';

/** 1-based line and column of the `occurrence`-th `needle` in `text`. */
function positionOf(text: string, needle: string, occurrence = 1): { line: number; column: number } {
  let offset = -1;
  for (let i = 0; i < occurrence; i++) offset = text.indexOf(needle, offset + 1);
  if (offset === -1) throw new Error(`${needle} not found`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

describe('compiled programs run', () => {
  it('runs main, and a lifted closure rebuilt from its captures computes what the closure in place computes', () => {
    const source = lines(
      'import { spawn } from "weft/thread";',
      'const SCALE: number = 10;',
      'function square(x: number): number { return x * x; }',
      'export function main(): number[] {',
      '  const offset: number = 3;',
      '  const results: number[] = [];',
      '  for (const i of [1, 2]) {',
      '    results.push(spawn(() => square(i) * SCALE + offset).join());',
      '  }',
      '  return results;',
      '}',
    );
    const compiled = compile(source);
    const { exports, lifts } = evaluate(compiled);

    expect(exports.main()).toEqual([13, 43]);
    expect(lifts).toEqual([
      { id: 0, captures: { i: 1, offset: 3 } },
      { id: 0, captures: { i: 2, offset: 3 } },
    ]);
    // What another thread does: rebuild closure 0 from the moved captures and call it.
    expect(exports.closures[0]!({ i: 2, offset: 3 })()).toBe(43);
  });

  it('keeps every line where the reader wrote it, after a wrapper line', () => {
    const source = lines(
      'import {',
      '  spawn,',
      '  builder as b,',
      '} from "weft/thread";',
      'interface Point { x: number }',
      'export function main() {',
      '  return spawn(() => 1) ?? b;',
      '}',
    );
    const generated = compile(source).code.split('\n');
    expect(generated[0]).toBe('(function (__weft) {"use strict";');
    expect(generated.slice(1, 5)).toEqual(['const {', '  spawn,', '  builder: b,', '} = __weft.import("weft/thread");']);
    expect(generated[6]).toBe('function main() {');
    expect(generated[7]).toBe('  return spawn(__weft.lift(0, () => ({}), () => 1)) ?? b;');
  });

  it('rewrites namespace imports and gives each weft module to the program', () => {
    const source = lines(
      'import * as sync from "weft/sync";',
      'import { spawn as go } from "weft/thread";',
      'function main() { return [sync.answer, go(() => 2).join()]; }',
    );
    const { exports } = evaluate(compile(source), { 'weft/sync': { answer: 42 } });
    expect(exports.main()).toEqual([42, 2]);
  });

  it('survives type-only syntax, enums and `using`', () => {
    const source = lines(
      'import type { JoinHandle } from "weft/thread";',
      'type Pair<T> = [T, T];',
      'interface Named { readonly name: string }',
      'enum Color { Red, Green }',
      'class Guard implements Named {',
      '  constructor(public readonly name: string, private log: string[]) {}',
      '  [Symbol.dispose](): void { this.log.push(`drop ${this.name}`); }',
      '}',
      'function main(): string[] {',
      '  const log: string[] = [];',
      '  {',
      '    using a = new Guard("a", log);',
      '    using b = new Guard("b", log);',
      '    const pair = [Color.Green, Color.Red] as Pair<Color>;',
      '    log.push(`pair ${pair!.join()}`);',
      '  }',
      '  return log;',
      '}',
    );
    const { exports } = evaluate(compile(source));
    expect(exports.main()).toEqual(['pair 1,0', 'drop b', 'drop a']);
  });

  it('makes the wrapper async when the program awaits at top level', async () => {
    const source = lines('const ready = await Promise.resolve(7);', 'function main() { return ready; }');
    const compiled = compile(source);
    expect(compiled.isAsync).toBe(true);
    expect(compiled.code.startsWith('(async function (__weft) {"use strict";\n')).toBe(true);
    const exports = await (evaluate(compiled).exports as unknown as Promise<ProgramExports>);
    expect(exports.main()).toBe(7);
  });

  it('accepts `const main = async () => …` and returns what the program exports', async () => {
    const source = lines(
      'export const main = async () => helper();',
      'export function helper() { return "hi"; }',
      'export default 5;',
    );
    const compiled = compile(source);
    expect(compiled.exports).toEqual(['main', 'helper', 'default']);
    const { exports } = evaluate(compiled);
    // An async main is a lazy future (async-lowering.ts), run on weft/task's executor.
    expect(blockOn(exports.main() as never)).toBe('hi');
    expect(exports.exports).toEqual({ main: exports.main, helper: expect.any(Function), default: 5 });
  });

  it('keeps an anonymous default-exported function a statement of its own', () => {
    const source = lines('export default function () { return 1; }', '[2].forEach(() => {});', 'function main() {}');
    const { exports } = evaluate(compile(source));
    expect((exports.exports.default as () => number)()).toBe(1);
  });

  it('wraps a spawn statement, whose handle nobody keeps, in __weft.detach, on its own lines', () => {
    const source = lines(
      'import { spawn, builder } from "weft/thread";',
      'function main() {',
      '  spawn(() => 1);',
      '  builder().name("w")',
      '    .spawn(() => 2);',
      '  const kept = spawn(() => 3);',
      '  kept.join();',
      '}',
    );
    const generated = compile(source).code.split('\n');
    // The edit stays on the statement's own lines, so every line keeps its number.
    expect(generated[3]).toBe('  __weft.detach(spawn(__weft.lift(0, () => ({}), () => 1)));');
    expect(generated[4]).toBe('  __weft.detach(builder().name("w")');
    expect(generated[5]).toBe('    .spawn(__weft.lift(1, () => ({}), () => 2)));');
    expect(generated[6]).toBe('  const kept = spawn(__weft.lift(2, () => ({}), () => 3));');
  });

  it('tells whether evaluating the program again would do anything', () => {
    const declarationsOnly = lines(
      'import { spawn } from "weft/thread";',
      'const LIMIT = 10, NAMES = ["a", `b${LIMIT}`];',
      'class Point { x = 0; }',
      'function main() { console.log(LIMIT); }',
    );
    expect(compile(declarationsOnly).hasTopLevelEffects).toBe(false);
    expect(compile(declarationsOnly + '\nconsole.log("loaded");').hasTopLevelEffects).toBe(true);
    expect(compile(declarationsOnly + '\nconst m = new Map();').hasTopLevelEffects).toBe(true);
    expect(compile(declarationsOnly + '\nlet count = 0;').hasTopLevelEffects).toBe(true);
  });
});

describe('closures that move into threads', () => {
  it('captures the locals and parameters a closure uses, not module-level names or globals', () => {
    const source = lines(
      'import { spawn, Mutex } from "weft/thread";',
      'const LIMIT = 3;',
      'function helper() {}',
      'class Counter {}',
      'function main(rounds: number) {',
      '  const { total, items: [first] } = load();',
      '  spawn(() => { helper(); new Counter(); Math.max(LIMIT, rounds, total, first); new Mutex(0); });',
      '}',
    );
    expect(capturesOf(source)).toEqual([['rounds', 'total', 'first']]);
  });

  it('does not capture what the closure declares itself, even when it shadows an outer name', () => {
    const source = lines(
      'function main(n: number) {',
      '  const x = 1, y = 2;',
      '  spawn((n: number) => {',
      '    const x = 10;',
      '    for (const y of [1]) { x + y + n; }',
      '    return y;',
      '  });',
      '}',
    );
    expect(capturesOf(source)).toEqual([['y']]);
  });

  it('captures block-scoped variables of a top-level block and loop, which a thread cannot see', () => {
    const source = lines(
      'for (let i = 0; i < 2; i++) { spawn(() => i); }',
      '{ const local = 1; spawn(() => local); }',
      'function main() {}',
    );
    expect(capturesOf(source)).toEqual([['i'], ['local']]);
  });

  it("lifts nested spawns too; an inner closure's captures include the outer closure's locals", () => {
    const source = lines(
      'import { spawn } from "weft/thread";',
      'function main(base: number) {',
      '  return spawn(() => {',
      '    const step = 2;',
      '    return spawn(() => base + step).join() * 10;',
      '  }).join();',
      '}',
    );
    const compiled = compile(source);
    expect(compiled.closures.map(({ id, captures, line, column }) => ({ id, captures, line, column }))).toEqual([
      { id: 0, captures: ['base'], line: 3, column: 16 },
      { id: 1, captures: ['base', 'step'], line: 5, column: 18 },
    ]);
    const { exports, lifts } = evaluate(compiled);
    expect(exports.main(1)).toBe(30);
    // Rebuilt in a thread, the outer closure lifts the inner one again, with its own captures.
    lifts.length = 0;
    expect(exports.closures[0]!({ base: 4 })()).toBe(60);
    expect(lifts).toEqual([{ id: 1, captures: { base: 4, step: 2 } }]);
    expect(exports.closures[1]!({ base: 4, step: 5 })()).toBe(9);
  });

  it('lifts an identifier argument: no captures for a module-level function, a capture for a local value', () => {
    const source = lines(
      'import * as thread from "weft/thread";',
      'function work() { return 1; }',
      'function main(job: () => number) {',
      '  thread.spawn(work);',
      '  thread.builder().name("x").spawn(job);',
      '}',
    );
    expect(capturesOf(source)).toEqual([[], ['job']]);
    // A statement keeps no handle: it is detached, as Rust drops it (detach-sites.ts).
    expect(compile(source).code).toContain('__weft.detach(thread.spawn(__weft.lift(0, () => ({}), work)));');
  });

  it('lifts the function argument even when another argument comes after it', () => {
    const source = lines('function main(name: string) {', '  spawnBlocking(() => name.length, name);', '}');
    expect(compile(source).code).toContain('spawnBlocking(__weft.lift(0, () => ({name}), () => name.length), name);');
  });

  it('lifts only the calls named in liftCallees', () => {
    const source = lines('function main(xs: number[], k: number) {', '  xs.parMap((x) => x * k);', '  spawn(() => k);', '}');
    expect(capturesOf(source, ['parMap'])).toEqual([['k']]);
    expect(capturesOf(source)).toEqual([['k']]);
    expect(compile(source, { liftCallees: ['parMap'] }).code).toContain('xs.parMap(__weft.lift(0, () => ({k}), (x) => x * k));');
  });
});

describe('mistakes are reported where the reader made them', () => {
  it('reports a syntax error at its line and column', () => {
    expect(compileErrorText(lines('function main() {', '  let x = 1;', '  x = = 2;', '}'))).toBe('3:7 syntax error: unexpected `=`');
    // Marked as a syntax error (the editor's TypeScript may place it better), from either parser; other mistakes are not.
    expect(compileError(lines('function main() {', '  let x = 1;', '  x = = 2;', '}')).syntax).toBe(true);
    expect(compileError(lines('function main() {', '  const a: number = 1; const a = 2;', '}')).syntax).toBe(true);
    expect(compileError(lines('function helper() {}')).syntax).toBe(false);
  });

  it('reports the same line and column whatever the line endings (\\r\\n, or \\r alone)', () => {
    const program = ['function main() {', '  let x = 1;', '  x = = 2;', '}'];
    expect(compileErrorText(program.join('\r\n'))).toBe('3:7 syntax error: unexpected `=`');
    expect(compileErrorText(program.join('\r'))).toBe('3:7 syntax error: unexpected `=`');
  });

  it('reports a missing closing brace at the end of the program', () => {
    expect(compileErrorText(lines('function main() {', '  if (true) {', '}'))).toMatch(/^3:2 syntax error: the program ends too early/);
  });

  it('reports errors found only after types are stripped at the reader position', () => {
    // Sucrase accepts a duplicate `const`; the parser does not. The type annotation before it shifts columns.
    expect(compileErrorText(lines('function main() {', '  const a: number = 1; const a = 2;', '}'))).toBe(
      "2:30 syntax error: Identifier 'a' has already been declared",
    );
  });

  it('refuses an import of anything but weft, at the specifier', () => {
    expect(compileErrorText(lines('import { spawn } from "weft/thread";', 'import _ from "lodash";', 'function main() {}'))).toBe(
      "2:15 only weft modules can be imported here: 'lodash' is not available",
    );
    expect(compileErrorText(lines('import thread from "weft/thread";', 'function main() {}'))).toMatch(
      /^1:8 `thread` is a default import, but weft modules have only named exports/,
    );
  });

  it('requires a main function', () => {
    expect(compileErrorText(lines('function helper() {}', 'const main = 5;'))).toBe(
      '1:1 a program needs a `main` function, as in Rust: function main() { … }',
    );
  });

  it('refuses a call of main at the top level, at the call, since every thread runs the top level', () => {
    const main = 'function main() { console.log("hi"); }';
    const message = 'weft calls `main` for you, once, on the main thread, as Rust does: remove this call.';
    expect(compileErrorText(lines(main, 'main();'))).toBe(`2:1 ${message} Every thread runs the top level of the program, so a call here would run \`main\` again in each thread`);
    for (const call of ['await main();', 'main().catch(console.error);', 'void main();', 'if (true) main();', '(async () => { await main(); })();', '(() => main())();']) {
      expect(compileErrorText(lines(main, call)), call).toMatch(/^2:\d+ weft calls `main` for you/);
    }
    // A call that only a function makes, run later by main or a thread, is the program's business.
    expect(() => compile(lines(main, 'function again() { main(); }', 'const later = () => main();'))).not.toThrow();
  });

  it("refuses an async closure given to weft/thread's spawn, at the closure, naming weft/task's spawn", () => {
    const program = (imports: string, call: string) => lines(imports, 'function main() {', `  ${call}`, '}');
    expect(compileErrorText(program('import { spawn } from "weft/thread";', 'spawn(async () => 42);'))).toMatch(
      /^3:9 weft\/thread's spawn runs a plain function on a new thread, but this closure is async.*spawn from weft\/task$/,
    );
    expect(compileErrorText(program('import { spawn as go } from "weft/thread";', 'go(async function () { return 1; });'))).toMatch(/^3:6 weft\/thread's spawn/);
    // weft/task's spawn takes async closures: they are tasks.
    expect(() => compile(program('import { spawn } from "weft/task";', 'spawn(async () => 42);'))).not.toThrow();
  });

  it('refuses to move a local function into a thread, naming it at its use in the closure', () => {
    const source = lines(
      'function main() {',
      '  const double = (x: number) => x * 2;',
      '  spawn(() => {',
      '    return double(21);',
      '  });',
      '}',
    );
    expect(compileErrorText(source)).toBe(
      '4:12 `double` is a function and cannot be moved into a thread; declare it at module level (outside main) so every thread has it',
    );
    expect(compileErrorText(lines('function main() {', '  function local() {}', '  spawn(local);', '}'))).toMatch(/^3:9 `local` is a function/);
  });

  it("refuses to move an instance of the program's own class with methods, but not plain data", () => {
    const classes = lines('class Account { balance = 0; deposit(n: number) { this.balance += n; } }', 'class Plain { x = 1; }');
    expect(compileErrorText(lines(classes, 'function main() {', '  const acct = new Account();', '  spawn(() => acct.deposit(1));', '}'))).toMatch(
      /^5:15 `acct` is a `Account`, an object with methods, and cannot be moved into a thread; move plain data instead/,
    );
    expect(() => compile(lines(classes, 'function main() {', '  const p = new Plain(), q = { x: 1 };', '  spawn(() => p.x + q.x);', '}'))).not.toThrow();
  });

  it('refuses `this` and `arguments` of an enclosing function', () => {
    const method = lines('class Pool {', '  size = 4;', '  start() {', '    spawn(() => this.size);', '  }', '}', 'function main() {}');
    expect(compileErrorText(method)).toMatch(/^4:17 `this` cannot be moved into a thread/);
    const args = lines('function main() {', '  spawn(() => arguments.length);', '}');
    expect(compileErrorText(args)).toMatch(/^2:15 `arguments` cannot be moved into a thread/);
    // A function expression's own `this` stays inside it.
    expect(() => compile(lines('function main() {', '  spawn(function () { return this; });', '}'))).not.toThrow();
  });

  it('reserves the names the compiler uses', () => {
    expect(compileErrorText(lines('function main() {', '  const __weft = 1;', '}'))).toMatch(/^2:9 `__weft`: names starting with `__weft` are reserved/);
  });
});

describe('positions map back to the reader source', () => {
  const source = lines(
    'import { spawn } from "weft/thread";',
    'interface Job { id: number }',
    'export function main(): void {',
    '  const job: Job = { id: 1 };',
    '  const handle = spawn((): number => {',
    '    const label: string = `job ${job.id}`;',
    '    throw new Error(label);',
    '  });',
    '  handle.join();',
    '}',
  );

  // Line 6 ends a template literal with `${…}`, after which sucrase's own map
  // is wrong for the rest of the file (sucrase issue #825); these lines come after it.
  it('maps a position inside a lifted copy to the original line and column', () => {
    const compiled = compile(source);
    const generated = compiled.code.split('\n');
    const copyLine = generated.findIndex((text, i) => i > 10 && text.includes('throw new Error(label)'));
    expect(copyLine).toBeGreaterThan(10); // in the trailer
    const column = generated[copyLine]!.indexOf('label)') + 1;
    expect(mapLocation(compiled.map, copyLine + 1, column)).toEqual(positionOf(source, 'label)'));
    // And in place, where types were removed earlier on the line.
    const inPlace = generated.findIndex((text) => text.includes('${job.id}'));
    expect(mapLocation(compiled.map, inPlace + 1, generated[inPlace]!.indexOf('job.id') + 1)).toEqual(positionOf(source, 'job.id'));
  });

  it('maps nothing for the code the compiler added', () => {
    const compiled = compile(source);
    expect(mapLocation(compiled.map, 1, 5)).toBeNull();
    const trailer = compiled.code.split('\n').findIndex((text) => text.startsWith(';return'));
    expect(mapLocation(compiled.map, trailer + 1, 3)).toBeNull();
  });

  it('maps a real V8 stack thrown inside a lifted closure in a thread to the reader location', () => {
    const compiled = compile(source, { filename: 'lesson.ts' });
    const { exports } = evaluate(compiled);
    const rebuilt = exports.closures[0]!({ job: { id: 7 } });
    let stack = '';
    try {
      rebuilt();
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
    expect(stack).toContain('job 7');
    expect(stack).toMatch(/lesson\.ts:\d+:\d+/);
    expect(mapStack(compiled.map, stack, 'lesson.ts')).toEqual(positionOf(source, 'new Error'));
  });

  it('maps the stack of an error thrown in place by main, skipping frames outside the program', () => {
    const compiled = compile(source);
    const { exports } = evaluate(compiled);
    let stack = '';
    try {
      exports.main();
    } catch (error) {
      stack = (error as Error).stack ?? '';
    }
    expect(mapStack(compiled.map, `Error: x\n    at native (node:internal/x.js:1:1)\n${stack.split('\n').slice(1).join('\n')}`, 'main.ts')).toEqual(
      positionOf(source, 'new Error'),
    );
    expect(mapStack(compiled.map, 'Error: x\n    at f (file:///elsewhere/main.ts:7:5)', 'main.ts')).toBeNull();
  });

  it('keeps the map plain JSON', () => {
    const compiled = compile(source);
    const copy = JSON.parse(JSON.stringify(compiled.map));
    const at = positionOf(compiled.code, 'throw new Error(label)', 2);
    expect(mapLocation(copy, at.line, at.column)).toEqual(positionOf(source, 'throw new Error'));
  });
});

describe('a program nested deeper than the compile step can walk', () => {
  // Before: the parser's RangeError (Maximum call stack size exceeded) left compile() as it was, and the run ended as
  // "The runner failed: Error transforming main.ts: …" (on the page, "a bug in weft"; in a Check, "the runner failed").
  for (const [what, open, close] of [
    ['parentheses', '(', ')'],
    ['blocks', '{', '}'],
    ['arrays', '[', ']'],
  ] as const) {
    it(`20,000 nested ${what} are a CompileError at the deepest one`, () => {
      const before = open === '{' ? '  ' : '  const x = ';
      const source = `function main() {\n${before}${open.repeat(20_000)}${open === '{' ? '' : '1'}${close.repeat(20_000)};\n}\n`;
      const error = compileError(source);
      // main's own brace is the first level.
      expect(error.message).toContain('nested too deeply to compile (20001 levels of brackets here)');
      expect({ line: error.line, column: error.column }).toEqual({ line: 2, column: before.length + 20_000 });
    });
  }
});
