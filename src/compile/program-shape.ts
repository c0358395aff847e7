/**
 * Facts about the program's top level that the wrapper and the runner need:
 * is there a `main` (every program has one, as in Rust), does the top level
 * `await` (the wrapper must then be async), and does the top level do anything
 * besides declaring (a worker that already evaluated the program can run
 * another thread of it only if evaluating it again would change nothing).
 */
import type { AnyNode, ModuleDeclaration, Program, Statement } from 'acorn';
import { childNodes, type ClassNode } from './scope.ts';

/** The statement as declared, without `export` / `export default` around it. */
function unexported(statement: Statement | ModuleDeclaration): AnyNode | null {
  if (statement.type === 'ExportNamedDeclaration') return statement.declaration ?? null;
  if (statement.type === 'ExportDefaultDeclaration') return statement.declaration;
  return statement;
}

/** `function main() {}`, `async function main() {}`, `const main = () => {}` (exported or not). */
export function hasMain(program: Program): boolean {
  return program.body.some((statement) => {
    const node = unexported(statement);
    if (node?.type === 'FunctionDeclaration') return node.id?.name === 'main';
    if (node?.type === 'VariableDeclaration') {
      return node.declarations.some(
        (d) =>
          d.id.type === 'Identifier' &&
          d.id.name === 'main' &&
          (d.init?.type === 'ArrowFunctionExpression' || d.init?.type === 'FunctionExpression'),
      );
    }
    return false;
  });
}

/**
 * A call of `main` made by the program's top level (`main();`, `await main();`,
 * `main().catch(…)`, `void main()`, one inside a top-level `if` or an IIFE), or
 * null. The runner calls `main` once, on the main thread; every thread
 * evaluates the top level, so such a call would run `main` again in each one
 * (every thread then waits on the others: a hang, or a deadlock report that
 * names no mistake of the reader's).
 */
export function topLevelMainCall(program: Program): AnyNode | null {
  const walk = (node: AnyNode): AnyNode | null => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
      case 'ClassDeclaration':
      case 'ClassExpression':
        return null; // runs only when called: an IIFE's body is entered from its call, below
      case 'CallExpression': {
        const callee = node.callee;
        if (callee.type === 'Identifier' && callee.name === 'main') return node;
        if (callee.type === 'FunctionExpression' || callee.type === 'ArrowFunctionExpression') {
          const inBody = walk(callee.body);
          if (inBody !== null) return inBody;
        }
        break;
      }
    }
    for (const child of childNodes(node)) {
      const found = walk(child);
      if (found !== null) return found;
    }
    return null;
  };
  for (const statement of program.body) {
    const found = walk(statement);
    if (found !== null) return found;
  }
  return null;
}

/** `await`, `for await` or `await using` outside any function. */
export function usesTopLevelAwait(program: Program): boolean {
  const walk = (node: AnyNode): boolean => {
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return false;
      case 'AwaitExpression':
        return true;
      case 'ForOfStatement':
        if (node.await) return true;
        break;
      case 'VariableDeclaration':
        if (node.kind === 'await using') return true;
        break;
    }
    return childNodes(node).some(walk);
  };
  return walk(program);
}

/**
 * True unless every top-level statement only declares: imports, function
 * declarations, classes without static initialization code, and `const`s
 * whose initializers cannot run code (literals, functions, classes, arrays and
 * objects of those). `let` and `var` count as effects, since functions can
 * reassign them and a reused worker would see a previous thread's value; so
 * do `const m = new Mutex(0)` (each thread must get its own) and sucrase's
 * output for a TypeScript `enum` (a statement that fills the object).
 */
export function hasTopLevelEffects(program: Program): boolean {
  return program.body.some((statement) => {
    const node = unexported(statement);
    if (node === null) return false; // `export { a, b }`
    switch (node.type) {
      case 'ImportDeclaration':
      case 'FunctionDeclaration':
      case 'EmptyStatement':
        return false;
      case 'ClassDeclaration':
        return !isPureClass(node);
      case 'VariableDeclaration':
        return node.kind !== 'const' || node.declarations.some((d) => d.init != null && !isPure(d.init));
      case 'ExpressionStatement':
        return node.directive === undefined; // "use strict" is not an effect
      default:
        return !isPure(node); // `export default <expression>`, or any other statement
    }
  });
}

function isPureClass(node: ClassNode): boolean {
  if (node.superClass && node.superClass.type !== 'Identifier') return false;
  return node.body.body.every((element) => {
    if (element.type === 'StaticBlock') return false;
    if (element.computed && !isPure(element.key)) return false;
    if (element.type === 'PropertyDefinition' && element.static && element.value) return isPure(element.value);
    return true;
  });
}

/** An expression that evaluates without running any code of the program's or a library's. */
function isPure(node: AnyNode): boolean {
  switch (node.type) {
    case 'Literal':
    case 'Identifier':
    case 'ArrowFunctionExpression':
    case 'FunctionExpression':
      return true;
    case 'ClassExpression':
      return isPureClass(node);
    case 'TemplateLiteral':
      return node.expressions.every(isPure);
    case 'ArrayExpression':
      return node.elements.every((element) => element === null || (element.type !== 'SpreadElement' && isPure(element)));
    case 'ObjectExpression':
      return node.properties.every(
        (property) => property.type === 'Property' && (!property.computed || isPure(property.key)) && isPure(property.value),
      );
    case 'UnaryExpression':
      return node.operator !== 'delete' && isPure(node.argument);
    case 'BinaryExpression':
    case 'LogicalExpression':
      return isPure(node.left) && isPure(node.right);
    case 'ConditionalExpression':
      return isPure(node.test) && isPure(node.consequent) && isPure(node.alternate);
    default:
      return false;
  }
}
