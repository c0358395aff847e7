/**
 * Step 3d: `using` declarations, lowered, and told when a throw leaves their block.
 *
 * Rust poisons a Mutex whose guard is dropped while a panic unwinds, even
 * if the panic is caught later in the same thread. A `using` declaration
 * disposes its guard as the exception leaves the block, but dispose is not
 * told why the block ends. So the rest of the block after each `using` is
 * wrapped in a `try` whose `catch` tells the declared resource
 * (weft/runtime/unwind.ts, `unwinding`).
 *
 * And V8's own `using` costs ~400 ns a declaration (Node 24, Chromium 156):
 * the book's way of holding a lock, `using g = m.lock()`, was 2.5–4× slower
 * than an explicit `unlock()`. So a `using` of one name is lowered to
 * `const` and a `finally` that disposes it (`disposer`, `dispose` in
 * unwind.ts), with the language's semantics: the dispose method looked up
 * where the declaration is (null and undefined allowed), disposal on every
 * way out of the block in reverse order of declaration (the inner `try`
 * closes first), what the block threw rethrown after, and a dispose that
 * throws during a throw reported as a SuppressedError:
 *
 *   { using g = m.lock(); work(g); }
 *     ->  { const g = m.lock();const __weft_d0 = __weft.disposer(g); let __weft_x0, __weft_f0 = false; try { work(g);
 *           } catch (__weft_e) { __weft.unwinding(__weft_e, g); __weft_x0 = __weft_e; __weft_f0 = true; }
 *           finally { __weft.dispose(g, __weft_d0, __weft_f0, __weft_x0); } }
 *
 * (on one line). A declaration of several names, one that ends its block,
 * or one whose block cannot be wrapped (below) keeps the native `using`.
 * `unwinding` poisons only for a panic: weft's own errors that stand for a
 * Rust `Err` (RecvError…) pass a guard as `?` would, without poisoning.
 * `using` and `const` are the same length, and every insertion is on the
 * declaration's line or the block's last, so lines and columns still map.
 * A cancelled task's body is unwound with `generator.return()`, which runs
 * `finally` and no `catch`: the resource is disposed, and cancellation,
 * not being a panic, does not poison, as in Rust.
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

/**
 * Which statement of a block declares a local that is dropped at the block's end (compile/local-drops.ts), and its
 * name. Its rest of the block goes into a `try` too, nested with those of the `using`s in the order of declaration.
 */
export type LocalDrops = (statement: AnyNode, block: AnyNode) => string[] | undefined;

function wrapBlock(s: MagicString, block: AnyNode, body: readonly (Statement | AnyNode)[], lowered: { count: number }, localDrops?: LocalDrops): void {
  const blockEnd = block.end - 1;
  // Innermost (last) `using` first, so its `catch` closes before the outer ones at the same position.
  for (let i = body.length - 1; i >= 0; i--) {
    const statement = body[i]!;
    const dropped = localDrops?.(statement, block);
    if (dropped !== undefined) {
      // As for a `using` below: a declaration after it that code before it refers to must stay in the block's scope.
      const declaredAfter = topLevelDeclarations(body.slice(i + 1));
      if (declaredAfter.size > 0 && mentions(body.slice(0, i + 1), declaredAfter)) continue;
      s.appendLeft(statement.end, 'try {');
      s.appendLeft(blockEnd, ` } finally { ${dropped.map((name) => `__weft.dropLocal(${name});`).join(' ')} }`);
      continue;
    }
    if (statement.type !== 'VariableDeclaration' || statement.kind !== 'using') continue;
    if (i === body.length - 1) continue; // nothing after it can throw while it is held
    const names = declaredNames(statement);
    if (names.length === 0) continue;
    // A declaration after the `using` that code before it refers to (a hoisted function, a variable a closure
    // reads later) must stay in the block's scope: leave that block as written (it then poisons only at thread exit).
    const declaredAfter = topLevelDeclarations(body.slice(i + 1));
    if (declaredAfter.size > 0 && mentions(body.slice(0, i), declaredAfter)) continue;
    const [declarator] = statement.declarations;
    if (statement.declarations.length === 1 && declarator!.id.type === 'Identifier') {
      // Lowered: `const`, then a `try … finally` that disposes (runtime/unwind.ts, disposer and dispose). Same length
      // keyword, insertions on the same line: columns still map.
      const name = declarator!.id.name;
      const n = lowered.count++;
      s.overwrite(statement.start, statement.start + 'using'.length, 'const');
      s.appendLeft(statement.end, `const __weft_d${n} = __weft.disposer(${name}); let __weft_x${n}, __weft_f${n} = false; try {`);
      s.appendLeft(
        blockEnd,
        ` } catch (__weft_e) { __weft.unwinding(__weft_e, ${name}); __weft_x${n} = __weft_e; __weft_f${n} = true; } finally { __weft.dispose(${name}, __weft_d${n}, __weft_f${n}, __weft_x${n}); }`,
      );
      continue;
    }
    s.appendLeft(statement.end, 'try {');
    s.appendLeft(blockEnd, ` } catch (__weft_e) { __weft.unwinding(__weft_e, ${names.join(', ')}); throw __weft_e; }`);
  }
}

export function lowerUsingUnwind(program: Program, s: MagicString, localDrops?: LocalDrops): void {
  const lowered = { count: 0 };
  const walk = (node: AnyNode): void => {
    if (node.type === 'BlockStatement') wrapBlock(s, node, node.body, lowered, localDrops);
    else if (node.type === 'StaticBlock') wrapBlock(s, node, node.body, lowered);
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}
