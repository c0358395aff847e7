/**
 * The compile step's async lowering (src/compile/async-lowering.ts): an
 * `async` function becomes a lazy weft future, each `await` a `yield`, with
 * the program's lines unchanged and mistakes reported at the reader's line.
 */
import { describe, expect, it } from 'vitest';
import { compile } from '../../../src/compile/index.ts';
import { site } from '../../../src/weft/task/async-fn.ts';
import { blockOn } from '../../../src/weft/task/runtime.ts';
import { compileErrorText, evaluate, lines } from '../support/compile.ts';

/** Compiles `source` and evaluates it against the fake weft. */
function compileAndEvaluate(source: string) {
  const compiled = compile(source);
  return { compiled, exports: evaluate(compiled).exports };
}

describe('async lowering', () => {
  it('keeps every line where it was', () => {
    const source = lines(
      'async function add(a, b) {',
      '  const x = await a;',
      '  return x + await b;',
      '}',
      'const twice = async (n) => 2 * await n;',
      'async function main() { return await twice(await add(1, 2)); }',
    );
    const { compiled, exports } = compileAndEvaluate(source);
    const generated = compiled.code.split('\n');
    expect(generated[2]).toContain('const x = (yield (__weft.site.line = 2, __weft.site.column = 13, a));');
    expect(generated[3]).toContain('return x + (yield (__weft.site.line = 3, __weft.site.column = 14, b));');
    expect(generated[5]).toContain('2 * (yield (__weft.site.line = 5, __weft.site.column = 32, n))');
    expect(blockOn(exports.main() as never)).toBe(6);
  });

  it("an async function declaration's body is declared beside it and sees what it saw: its parameters, this, arguments, the enclosing scope, itself", () => {
    const source = lines(
      'function make(k) {',
      '  async function count(n) { if (n === 0) return [k, this?.tag, arguments.length]; await 0; return count.call(this, n - 1); }',
      '  async function noArgs() { return k * 2; }',
      '  return { count, noArgs, tag: "t" };',
      '}',
      'function main() { const a = make(1), b = make(2); return [a.count(3, "extra"), b.count(0), a.noArgs(), b.noArgs()]; }',
    );
    const { compiled, exports } = compileAndEvaluate(source);
    expect(compiled.code).toContain('function* __weft_body0(n) {');
    const [a, b, na, nb] = exports.main() as never[];
    // Each closure of make keeps its own k; `this` is the object the method was called on; arguments are the call's.
    expect(blockOn(a)).toEqual([1, 't', 1]);
    expect(blockOn(b)).toEqual([2, 't', 1]);
    expect(blockOn(na)).toBe(2);
    expect(blockOn(nb)).toBe(4);
  });

  it('an async function runs nothing until polled, and records the line it awaits at', () => {
    const source = lines('let ran = 0;', 'async function f() {', '  ran++;', '  await 1;', '  return ran;', '}', 'function main() { const fut = f(); return [ran, fut]; }');
    const { exports } = compileAndEvaluate(source);
    const [before, fut] = exports.main() as [number, never];
    expect(before).toBe(0);
    expect(blockOn(fut)).toBe(1);
    expect(site.line).toBe(4);
  });

  it('an async function with no await of its own is a plain function run at the first poll, as lazy and as complete', () => {
    const source = lines(
      'let ran = 0;',
      'async function plain(a) { ran++; using r = { [Symbol.dispose]() { ran += 10; } }; return a + ran; }',
      'const outer = async () => { ran++; return (async () => { await 1; return 7; })(); };',
      'async function fails() { throw new Error("boom"); }',
      'function main() { const fut = plain(5); return [ran, fut, outer(), fails()]; }',
    );
    const { compiled, exports } = compileAndEvaluate(source);
    const generated = compiled.code.split('\n');
    // A declaration's body is a function declared beside it, made once, not one made at each call.
    // (A top-level async function first tells the trace it was called: compile/call-entries.ts.)
    expect(generated[2]).toMatch(/function plain\(a\) \{__weft\.entered\(-?\d+\);return __weft\.asyncOnce\(__weft_body0, this, arguments\);\} function __weft_body0\(a\) \{/);
    // The outer closure has no await of its own (the inner one's is the inner's): plain outside, a generator inside.
    expect(generated[3]).toContain('__weft.asyncOnce(function () {');
    expect(generated[3]).toContain('__weft.async(function* () {');
    const [before, fut, adopting, failing] = exports.main() as [number, never, never, never];
    expect(before).toBe(0); // nothing ran at the call
    expect(blockOn(fut)).toBe(6); // ran at the poll: 5 + 1
    expect((exports.main() as [number])[0]).toBe(11); // and its `using` was disposed as it returned
    expect(blockOn(adopting)).toBe(7); // a returned future is run on into, as with a generator body
    expect(() => blockOn(failing)).toThrow('boom');
  });

  it('does not lift an async closure passed to `spawn` (it is a task, not a thread)', () => {
    const source = lines(
      'import { spawn } from "weft/task";',
      'class Conn { read() { return 1; } }',
      'async function main() {',
      '  const conn = new Conn();',
      '  async function helper() { return conn.read(); }',
      '  spawn(async () => conn.read());',
      '  spawn(helper);',
      '}',
    );
    expect(compile(source).closures).toEqual([]);
  });

  it('wraps an async closure passed to `spawn` so its captures can move into the task, on the same line', () => {
    const source = lines(
      'import { spawn, mpsc } from "weft/task";',
      'const shared = 1;',
      'async function main() {',
      '  const [tx] = mpsc.channel(8);',
      '  for (let id = 1; id <= 3; id++) {',
      '    const tx1 = tx.clone();',
      '    const h = spawn(async () => { await tx1.send(id + shared); return h; });',
      '    const later = 2;',
      '  }',
      '  await (async () => tx)();',
      '}',
    );
    const generated = compile(source).code.split('\n');
    // `id` is assigned by the loop, so it stays shared; `h` is not initialized until spawn returns, `later` comes after, `shared` is module-level.
    // weft/task's own spawn: a record only it reads (`taskArg`).
    expect(generated[7]).toContain('spawn(__weft.taskArg(7, () => ({tx1, id}), ["tx1"], ({tx1}) => (');
    // No parameters: the runtime may make its future at the task's first poll (`, true`), and the factory gives
    // that future, calling the closure itself (`)()`).
    expect(generated[7]).toMatch(/return h; }, this\);}\)\(\), true\)\);$/);
    expect(generated[10]).not.toContain('__weft.task');
  });

  it('hands weft/task\'s own spawn a record, and any other spawn a closure that is still the closure', () => {
    const source = lines(
      'import { spawn as go, JoinSet } from "weft/task";',
      'import * as task from "weft/task";',
      'function spawn(f) { return f(); }',
      'async function main() {',
      '  const x = [1];',
      '  go(async () => x);',
      '  task.spawn(async () => x);',
      '  spawn(async () => x);',
      '  new JoinSet().spawn(async () => x);',
      '  go(async () => x, { name: "n" });',
      '}',
    );
    const generated = compile(source).code.split('\n');
    expect(generated[6]).toContain('go(__weft.taskArg(6,');
    expect(generated[7]).toContain('task.spawn(__weft.taskArg(7,');
    // The reader's own function named spawn calls what it is given: a wrapper closure.
    expect(generated[8]).toContain('spawn(__weft.task(8,');
    expect(generated[8]).toContain(', true)');
    expect(generated[8]).not.toContain(')(), true)');
    expect(generated[9]).toContain('.spawn(__weft.task(9,');
    expect(generated[10]).toContain('go(__weft.taskArg(10,');
  });

  it('names what it cannot lower, at the reader\'s line', () => {
    expect(compileErrorText(lines('async function main() {', '  for await (const x of []) {}', '}'))).toMatch(/^2:3 `for await` is not available/);
    expect(compileErrorText(lines('async function* gen() {}', 'function main() {}'))).toMatch(/^1:1 async generators/);
    expect(compileErrorText(lines('class A extends Object {', '  async m() { await 1; return super.toString(); }', '}', 'function main() {}'))).toMatch(
      /^2:\d+ `super` inside an async method/,
    );
  });
});
