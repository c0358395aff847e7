/**
 * Scope analysis (src/compile/scope.ts): which declaration each name refers
 * to. Closure lifting trusts it to decide what a thread takes with it, so each
 * case is a JavaScript scoping rule that, if got wrong, would move the wrong
 * variables (or miss one).
 */
import { parse } from 'acorn';
import { describe, expect, it } from 'vitest';
import { analyzeScopes, type ContextReference } from '../../../src/compile/scope.ts';

function analyze(code: string) {
  return analyzeScopes(parse(code, { ecmaVersion: 'latest', sourceType: 'module', locations: true }));
}

/** Every reference to `name`, as `line:kind@declarationLine` or `line:global`. */
function resolve(code: string, name: string): string[] {
  return analyze(code)
    .references.filter((r) => r.id.name === name)
    .map((r) => `${r.id.loc!.start.line}:` + (r.binding ? `${r.binding.kind}@${r.binding.id.loc!.start.line}` : 'global'));
}

describe('scope analysis', () => {
  it('hoists var to the function, past the block it is written in', () => {
    const code = ['function f() {', '  { var a = 1; }', '  return a;', '}'].join('\n');
    expect(resolve(code, 'a')).toEqual(['3:var@2']);
  });

  it('keeps let and const inside their block', () => {
    const code = ['function f() {', '  { let a = 1; const b = 2; }', '  return a + b;', '}'].join('\n');
    expect(resolve(code, 'a')).toEqual(['3:global']);
    expect(resolve(code, 'b')).toEqual(['3:global']);
  });

  it('resolves a use before its function declaration (hoisting)', () => {
    const code = ['function f() {', '  return g();', '  function g() { return 1; }', '}'].join('\n');
    expect(resolve(code, 'g')).toEqual(['2:function@3']);
  });

  it('keeps a function declared in a block inside that block (strict mode)', () => {
    const code = ['function f() {', '  { function g() {} }', '  return g;', '}'].join('\n');
    expect(resolve(code, 'g')).toEqual(['3:global']);
  });

  it('binds parameters with destructuring, defaults and rest, and reads defaults as references', () => {
    const code = ['function f({ a, b: [c = d] }, e = a, ...rest) {', '  return a + c + e + rest.length;', '}'].join('\n');
    expect(resolve(code, 'a')).toEqual(['1:param@1', '2:param@1']);
    expect(resolve(code, 'c')).toEqual(['2:param@1']);
    expect(resolve(code, 'd')).toEqual(['1:global']);
    expect(resolve(code, 'rest')).toEqual(['2:param@1']);
  });

  it('binds a destructured catch parameter inside the catch block only', () => {
    const code = ['try {', '} catch ({ message }) {', '  message;', '}', 'message;'].join('\n');
    expect(resolve(code, 'message')).toEqual(['3:catch@2', '5:global']);
  });

  it("sees a function or class expression's own name only inside it", () => {
    const code = ['const g = function h() { return h; };', 'const C = class K { m() { return K; } };', 'h; K;'].join('\n');
    expect(resolve(code, 'h')).toEqual(['1:own-name@1', '3:global']);
    expect(resolve(code, 'K')).toEqual(['2:own-name@2', '3:global']);
  });

  it('lets an inner declaration shadow an outer one of the same name', () => {
    const code = ['let x = 1;', 'function f(x) {', '  { let x = 3; x; }', '  return x;', '}', 'x;'].join('\n');
    expect(resolve(code, 'x')).toEqual(['3:let@3', '4:param@2', '6:let@1']);
  });

  it('does not count labels, property keys, member properties or method names as references', () => {
    const code = [
      'outer: for (;;) { break outer; }',
      'const o = { key: 1, method() {} };',
      'o.prop; o.method();',
      'class A { field = 1; name() {} }',
    ].join('\n');
    const names = analyze(code).references.map((r) => r.id.name);
    expect(names).toEqual(['o', 'o']);
  });

  it('counts shorthand properties and computed keys as references', () => {
    const code = ['function f(a, k) {', '  return { a, [k]: 1 };', '}'].join('\n');
    expect(resolve(code, 'a')).toEqual(['2:param@1']);
    expect(resolve(code, 'k')).toEqual(['2:param@1']);
  });

  it('scopes `for (const x of …)` and `for (let i …)` heads to the loop', () => {
    const code = ['for (const x of xs) { x; }', 'for (let i = 0; i < 3; i++) { i; }', 'x; i;'].join('\n');
    expect(resolve(code, 'x')).toEqual(['1:const@1', '3:global']);
    expect(resolve(code, 'i')).toEqual(['2:let@2', '2:let@2', '2:let@2', '3:global']);
    expect(resolve(code, 'xs')).toEqual(['1:global']);
  });

  it('binds `using` declarations in their block', () => {
    const code = ['function f() {', '  { using r = open(); r; }', '  r;', '}'].join('\n');
    expect(resolve(code, 'r')).toEqual(['2:using@2', '3:global']);
  });

  it('treats assignment targets, including destructuring ones, as references', () => {
    const code = ['function f() {', '  let a, b;', '  [a, { b }] = g();', '}'].join('\n');
    expect(resolve(code, 'a')).toEqual(['3:let@2']);
    expect(resolve(code, 'b')).toEqual(['3:let@2']);
  });

  it('records what a plain declaration binds, for the Send checks', () => {
    const { bindings } = analyze('function f() { const g = () => 1; const p = new P(); const { q } = o; }');
    const valueOf = (name: string) => bindings.find((b) => b.name === name)?.value?.type ?? null;
    expect(valueOf('f')).toBe('FunctionDeclaration');
    expect(valueOf('g')).toBe('ArrowFunctionExpression');
    expect(valueOf('p')).toBe('NewExpression');
    expect(valueOf('q')).toBe(null);
  });

  it('gives `this` and `arguments` to the nearest non-arrow function, and #private names to their class', () => {
    const code = [
      'function f() {',
      '  const g = () => this;',
      '  return arguments;',
      '}',
      'class A { #x = 1; m() { return this.#x; } }',
    ].join('\n');
    const owners = analyze(code).contexts.map((c: ContextReference) => `${c.kind}:${c.owner?.type ?? 'module'}@${c.owner?.loc!.start.line ?? 0}`);
    expect(owners).toEqual(['this:FunctionDeclaration@1', 'this:FunctionExpression@5', 'private:ClassDeclaration@5', 'arguments:FunctionDeclaration@1']);
  });
});
