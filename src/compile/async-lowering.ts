/**
 * Step 3c: `async` functions -> lazy weft futures (ARCHITECTURE.md, "Async
 * is taught truthfully").
 *
 * A JavaScript `async` function starts running when it is called, and a
 * native `await` cannot be intercepted, so neither laziness nor cancellation
 * at an await point could be taught with them. rustc turns an `async fn`
 * into a state machine that an executor polls; we do the same with a
 * generator, which is a state machine JavaScript already has:
 *
 *   async function f(a) { … await x … }
 *     ->  function f(a) {return __weft.async(__weft_body0, this, arguments);} function* __weft_body0(a) { … (yield (__weft.site.line = 7, __weft.site.column = 9, x)) … }
 *   const g = async function (a) { … }  ->  function (a) {return __weft.async(function* (a) { … }, this, arguments);}
 *   async (a) => expr   ->  (a) => __weft.async(function* (a) { return (expr); }, this, [a])
 *
 * A declaration's body is declared beside it (made once, not at every
 * call) when its parameters are plain: it then sees exactly what the outer
 * function saw, with `this` and `arguments` passed in. Expressions, arrows
 * and methods keep their body inside, where a declaration cannot go.
 *   await m.lock();     ->  __weft.discardAwaited((yield (…, m.lock())));   (a statement's value is dropped, as in Rust)
 *
 * A body with no `await` of its own becomes a plain function instead
 * (`__weft.asyncOnce(function (a) { … }, this, [a])`): it still runs only
 * when first polled, and finishes in that poll, with no generator made.
 *
 * The generator declares plain parameters again, so the future holds its
 * arguments and weft/task's `spawn` can move a handle passed to an async
 * function into the task (`spawn(worker(tx))`, as Rust moves `tx` into the
 * future); parameters with defaults or patterns stay the outer function's.
 *
 * `__weft.async` (src/weft/task/async-fn.ts) returns a Future that does
 * nothing until polled; each poll resumes the generator up to its next
 * `yield`, i.e. its next await point, and `generator.return()` cancels it
 * there, running its `finally` blocks and disposing its `using` resources.
 * The line and column stored before each `yield` are the reader's position
 * of that `await`, for hang reports and the trace, at the cost of two
 * property writes.
 *
 * Every edit is an insertion or a replacement within one line, so the
 * program keeps its lines (line-alignment.ts) and columns map back through
 * the source map. Top-level `await` (outside any function) stays native.
 */
import type { AnyNode, Function as FunctionNode, Program } from 'acorn';
import type MagicString from 'magic-string';
import { namedImports, type Locate } from './closures.ts';
import { CompileError } from './errors.ts';
import { childNodes, type ScopeAnalysis } from './scope.ts';

type Fn = FunctionNode & AnyNode;

function isFunction(node: AnyNode): node is Fn {
  return node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression';
}

/**
 * Does `body` use `kind` for itself (not inside a nested non-arrow function,
 * which has its own `this`/`arguments`/`super`)?
 */
function usesOwn(body: AnyNode, kind: 'arguments' | 'super'): AnyNode | null {
  let found: AnyNode | null = null;
  const walk = (node: AnyNode): void => {
    if (found !== null) return;
    if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression') return;
    if (kind === 'arguments' && node.type === 'Identifier' && node.name === 'arguments') found = node;
    if (kind === 'super' && node.type === 'Super') found = node;
    // A nested class's methods have their own `super`; its field initializers forbid `arguments`.
    if (node.type === 'ClassBody') return;
    for (const child of childNodes(node)) {
      // `{ arguments: 1 }` and `x.arguments` are names, not the binding.
      if (node.type === 'MemberExpression' && child === node.property && !node.computed) continue;
      if (node.type === 'Property' && child === node.key && !node.computed) continue;
      walk(child);
    }
  };
  walk(body);
  return found;
}

/** Does `body` contain an `await` (or `for await`, `await using`) of its own, not one of a function nested in it? */
function hasOwnAwait(body: AnyNode): boolean {
  const walk = (node: AnyNode): boolean => {
    if (isFunction(node)) return false;
    if (node.type === 'AwaitExpression') return true;
    if (node.type === 'ForOfStatement' && node.await) return true;
    if (node.type === 'VariableDeclaration' && node.kind === 'await using') return true;
    return childNodes(node).some(walk);
  };
  return walk(body);
}

/** weft/task functions whose result is a future that does nothing unless awaited. */
const TASK_FUTURES = new Set(['sleep', 'sleepUntil', 'yieldNow', 'timeout', 'timeoutAt', 'join', 'tryJoin', 'select']);

/**
 * Refuses a statement that makes a future and drops it: a call of one of the
 * program's async functions, or of weft/task's sleep, timeout, join, select…,
 * whose result nobody awaits, and `forEach(async …)`, which drops the
 * future its callback returns for each item. A weft future is lazy: it does
 * nothing unless polled, so such a statement is always a mistake (rustc
 * warns: "unused implementer of `Future` that must be used"; futures do
 * nothing unless you `.await` or poll them).
 */
export function refuseDroppedFutures(program: Program, analysis: ScopeAnalysis, locate: Locate): void {
  const taskImports = new Set([...namedImports(program, 'weft/task')].filter(([, imported]) => TASK_FUTURES.has(imported)).map(([local]) => local));
  const fail = (node: AnyNode, message: string): never => {
    const { line, column } = locate(node);
    throw new CompileError(message, line, column);
  };
  const isAsyncFn = (node: AnyNode | null | undefined): boolean => node != null && isFunction(node) && node.async;
  const walk = (node: AnyNode): void => {
    if (node.type === 'ExpressionStatement' && node.expression.type === 'CallExpression') {
      const call = node.expression;
      const callee = call.callee;
      if (callee.type === 'Identifier') {
        const binding = analysis.referenceOf(callee)?.binding;
        const own = binding !== null && binding !== undefined && isAsyncFn(binding.value);
        const fromTask = binding?.kind === 'import' && taskImports.has(callee.name);
        if (own || fromTask) {
          fail(
            call,
            `\`${callee.name}(…)\` makes a future that nobody awaits, so it never runs: futures do nothing unless awaited ` +
              '(rustc warns "unused implementer of `Future` that must be used"). Write `await` before it, or `spawn(…)` it to run it as a task of its own',
          );
        }
      }
      if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' && callee.property.name === 'forEach' && isAsyncFn(call.arguments[0])) {
        fail(
          call,
          '`forEach` drops the future its async callback returns for each item, so none of them runs: ' +
            'loop with `for (const item of items) await f(item)`, or run them together with `await join(...items.map(f))`',
        );
      }
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}

export function lowerAsync(program: Program, s: MagicString, code: string, locate: Locate): void {
  const fail = (node: AnyNode, message: string): never => {
    const { line, column } = locate(node);
    throw new CompileError(message, line, column);
  };

  /** `async` keyword of `fn`, whose declaration starts at `from` (a method's key comes after it). */
  const removeAsyncKeyword = (from: number, to: number) => {
    const at = code.slice(from, to).search(/\basync\b/);
    if (at >= 0) s.update(from + at, from + at + 'async'.length, '');
  };

  let hoisted = 0;
  const lowerFunction = (fn: Fn, owner: AnyNode | null) => {
    if (fn.generator) fail(fn, 'async generators (`async function*`) are not available in weft yet; return a channel receiver and send the items instead');
    const isMethod =
      owner !== null &&
      (owner.type === 'MethodDefinition' || (owner.type === 'Property' && (owner.method || owner.kind !== 'init'))) &&
      owner.value === fn;
    if (isMethod) {
      removeAsyncKeyword(owner!.start, (owner as { key: AnyNode }).key.start);
      const superUse = usesOwn(fn.body, 'super');
      if (superUse !== null) fail(superUse, '`super` inside an async method is not available in weft yet; call the parent method before the first `await`, or from a plain method');
    } else {
      removeAsyncKeyword(fn.start, fn.body.start);
    }
    const isArrow = fn.type === 'ArrowFunctionExpression';
    const passArguments = !isArrow || usesOwn(fn.body, 'arguments') !== null;
    // Plain parameters are declared again by the generator and bound from the
    // arguments it is called with, so `spawn(worker(tx))` can move `tx` into
    // the task by replacing the future's argument (weft/task/move.ts).
    const simple = fn.params.length > 0 && fn.params.every((param) => param.type === 'Identifier') && (!isArrow || !passArguments);
    const params = simple ? fn.params.map((param) => (param as { name: string }).name).join(', ') : '';
    const args = passArguments ? ', arguments' : simple ? `, [${params}]` : '';
    const tail = `}, this${args})`;
    const body = fn.body;
    // A body with no `await` of its own runs whole in its first poll: a plain function then, no generator to make and resume.
    const head = hasOwnAwait(body) ? '__weft.async(function* ' : '__weft.asyncOnce(function ';
    if (fn.type === 'FunctionDeclaration' && fn.id !== null && (simple || fn.params.length === 0) && body.type === 'BlockStatement') {
      // A declaration's body becomes a declaration beside it, made once, rather than a function made at every call:
      // it sees what the outer function saw, as its parameters are plain and `this` and `arguments` are passed in.
      // The body's own closing brace now closes it. (A future holds its body until its first poll, so this is also
      // a closure fewer in each task waiting to run: issue 15.)
      const name = `__weft_body${hoisted++}`;
      const call = hasOwnAwait(body) ? '__weft.async' : '__weft.asyncOnce';
      const star = hasOwnAwait(body) ? '*' : '';
      s.appendLeft(body.start + 1, `return ${call}(${name}, this${args});} function${star} ${name}(${params}) {`);
      return;
    }
    if (body.type === 'BlockStatement') {
      s.appendLeft(body.start + 1, `return ${head}(${params}) {`);
      s.prependRight(body.end - 1, `${tail};`);
    } else {
      s.appendLeft(body.start, `${head}(${params}) { return (`);
      s.prependRight(body.end, `); ${tail}`);
    }
  };

  const walk = (node: AnyNode, enclosing: Fn | null, parent: AnyNode | null): void => {
    if (isFunction(node) && node.async) lowerFunction(node, parent);
    if (node.type === 'AwaitExpression' && enclosing !== null && enclosing.async) {
      const { line, column } = locate(node);
      // `await m.lock();` as a statement: its value is dropped at the statement's end, as Rust drops it (weft/task/temporary.ts).
      const statement = parent?.type === 'ExpressionStatement';
      if (statement) s.appendLeft(node.start, '__weft.discardAwaited(');
      s.update(node.start, node.start + 'await'.length, `(yield (__weft.site.line = ${line}, __weft.site.column = ${column},`);
      s.appendLeft(node.end, statement ? ')))' : '))');
    }
    if (enclosing !== null && enclosing.async) {
      if (node.type === 'ForOfStatement' && node.await) {
        fail(node, '`for await` is not available in weft yet; loop with `while` and `await` each item (for a channel: `while ((msg = await rx.recv()) !== undefined)`)');
      }
      if (node.type === 'VariableDeclaration' && node.kind === 'await using') {
        fail(node, '`await using` is not available in weft: Rust has no async drop either; use `using` with a resource whose dispose does not need to wait');
      }
    }
    const inner = isFunction(node) ? node : enclosing;
    for (const child of childNodes(node)) walk(child, inner, node);
  };
  walk(program, null, null);
}
