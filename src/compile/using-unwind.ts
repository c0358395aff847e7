/**
 * Step 3d: `using` declarations learn when a throw leaves their block.
 *
 * Rust poisons a Mutex whose guard is dropped while a panic unwinds, even
 * if the panic is caught later in the same thread. A `using` declaration
 * disposes its guard as the exception leaves the block, but dispose is not
 * told why the block ends. So the rest of the block after each `using` is
 * wrapped in a `try` whose `catch` tells the declared resources and rethrows
 * (weft/runtime/unwind.ts); the native `using` then disposes them as before:
 *
 *   { using g = m.lock(); work(g); }
 *     ->  { using g = m.lock();try { work(g); } catch (__weft_e) { __weft.unwinding(__weft_e, g); throw __weft_e; } }
 *
 * `unwinding` poisons only for a panic: weft's own errors that stand for a
 * Rust `Err` (RecvError…) pass a guard as `?` would, without poisoning.
 * Only insertions, none with a line break, so lines and columns still map.
 * A cancelled task's body is unwound with `generator.return()`, which runs
 * no `catch`: cancellation is not a panic and does not poison, as in Rust.
 */
import type { AnyNode, Program, Statement, VariableDeclaration } from 'acorn';
import type MagicString from 'magic-string';
import { childNodes } from './scope.ts';

function declaredNames(declaration: VariableDeclaration): string[] {
  return declaration.declarations.flatMap((d) => (d.id.type === 'Identifier' ? [d.id.name] : []));
}

/** Names declared at the top level of `statements` (they would move into the `try` block's scope). */
function topLevelDeclarations(statements: readonly AnyNode[]): Set<string> {
  const names = new Set<string>();
  const pattern = (node: AnyNode): void => {
    if (node.type === 'Identifier') names.add(node.name);
    else for (const child of childNodes(node)) pattern(child);
  };
  for (const statement of statements) {
    if (statement.type === 'VariableDeclaration') for (const d of statement.declarations) pattern(d.id);
    else if ((statement.type === 'FunctionDeclaration' || statement.type === 'ClassDeclaration') && statement.id) names.add(statement.id.name);
  }
  return names;
}

/** Whether any identifier in `statements` is spelled like one of `names`. */
function mentions(statements: readonly AnyNode[], names: Set<string>): boolean {
  const walk = (node: AnyNode): boolean => (node.type === 'Identifier' && names.has(node.name)) || childNodes(node).some(walk);
  return statements.some(walk);
}

function wrapBlock(s: MagicString, body: readonly (Statement | AnyNode)[], blockEnd: number): void {
  // Innermost (last) `using` first, so its `catch` closes before the outer ones at the same position.
  for (let i = body.length - 1; i >= 0; i--) {
    const statement = body[i]!;
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'using') continue;
    if (i === body.length - 1) continue; // nothing after it can throw while it is held
    const names = declaredNames(statement);
    if (names.length === 0) continue;
    // A declaration after the `using` that code before it refers to (a hoisted function, a variable a closure
    // reads later) must stay in the block's scope: leave that block as written (it then poisons only at thread exit).
    const declaredAfter = topLevelDeclarations(body.slice(i + 1));
    if (declaredAfter.size > 0 && mentions(body.slice(0, i), declaredAfter)) continue;
    s.appendLeft(statement.end, 'try {');
    s.appendLeft(blockEnd, ` } catch (__weft_e) { __weft.unwinding(__weft_e, ${names.join(', ')}); throw __weft_e; }`);
  }
}

export function lowerUsingUnwind(program: Program, s: MagicString): void {
  const walk = (node: AnyNode): void => {
    if (node.type === 'BlockStatement' || node.type === 'StaticBlock') wrapBlock(s, node.body, node.end - 1);
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}
