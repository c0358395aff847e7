/**
 * Every exported top-level function (but `main`), and every top-level async
 * function, exported or not, tells the trace when it is entered (an async one
 * when it is called, making its future): `function work(n) {` becomes `function work(n) {__weft.entered(KEY);`,
 * on the same line, and so does an exported `const work = (n) => …` or
 * `const work = function (n) { … }`. A traced run then records a `call` event on the thread
 * that called it (runtime/trace.ts), so an exercise check can ask where a
 * function it gave the reader ran: on the threads, or on the caller before
 * they were spawned (TraceView.calls). Off, the call costs a field check.
 *
 * KEY is the name's hash, worked out here, at compile time: a number the
 * program cannot change at run time (a program that rewrote
 * String.prototype.charCodeAt could otherwise make its calls hash to
 * another name). TraceView hashes the name a check asks for the same way.
 */
import type { AnyNode, Program } from 'acorn';
import type MagicString from 'magic-string';
import type { ExportedName } from './module-syntax.ts';

/** A function name's key in `call` events: its 32-bit FNV-1a hash, as a signed 32-bit word. */
export function callKey(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function markCallEntries(program: Program, s: MagicString, exported: readonly ExportedName[]): void {
  const locals = new Set(exported.map((e) => e.local));
  const mark = (name: string, fn: AnyNode) => {
    if (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') return;
    if (name === 'main' || fn.generator) return;
    // An async function's mark runs at the call, when its lazy future is made (the mark stays in the outer function
    // the lowering leaves, async-lowering.ts). Every top-level one is marked, exported or not: an exercise that gives
    // the reader an async helper to keep (a slow backend to ask) can see that it was asked, and async helpers are
    // not hot loops.
    if (!locals.has(name) && !fn.async) return;
    const entered = `__weft.entered(${callKey(name)})`;
    if (fn.body.type === 'BlockStatement') s.appendLeft(fn.body.start + 1, `${entered};`);
    else {
      // `(n) => n * n` becomes `(n) => (__weft.entered(KEY), n * n)`.
      s.appendLeft(fn.body.start, `(${entered}, `);
      s.prependRight(fn.body.end, ')');
    }
  };
  for (const statement of program.body) {
    const node: AnyNode =
      (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration ? statement.declaration : statement;
    if (node.type === 'FunctionDeclaration' && node.id !== null) mark(node.id.name, node);
    // `export const work = (n: number) => …` and `const work = function (…) { … }`, exported.
    if (node.type === 'VariableDeclaration') {
      for (const d of node.declarations) if (d.id.type === 'Identifier' && d.init) mark(d.id.name, d.init);
    }
  }
}
