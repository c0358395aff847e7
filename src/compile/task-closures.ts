/**
 * Step 3b': async closures spawned as tasks take what they capture, as
 * Tokio's `tokio::spawn(async move { … })` does.
 *
 * A task runs on the spawner's thread, so nothing needs lifting: the
 * closure stays where it is (closures.ts leaves async closures alone). What
 * must change is ownership. In Rust the task owns its captured Sender and
 * drops it when it ends, which is what closes a channel once every producer
 * task is done; the spawner's variable is spent. The closure is wrapped so
 * the runtime can do the same (src/weft/task/move.ts):
 *
 *   spawn(async () => { await tx1.send(id); })
 *     ->  spawn(__weft.task(7, () => ({tx1}), ["tx1"], ({tx1}) => (async () => { await tx1.send(id); })))
 *
 * `__weft.task` (7 is the closure's line, for messages) reads the captures at spawn time; each one that holds a
 * handle with a drop (a channel end, a guard, a permit, an Arc, a socket…)
 * is moved: the task's body gets a fresh handle through the factory's
 * parameter, which shadows the variable inside the closure only, and the
 * spawner's object becomes a tombstone ("use of moved value"). Everything
 * else keeps its value and stays shared.
 *
 * Only variables that are never assigned after their declaration are
 * rebound this way: for those, a parameter holding the same value cannot be
 * told apart from the variable, so plain data behaves exactly as before. A
 * variable that is assigned somewhere (`let n = 0; … n++`) stays shared by
 * reference, as JavaScript closures share it (unlike Rust's `async move`,
 * which would copy it); it is still read at spawn time, and if it holds a
 * handle the runtime refuses the spawn and says how to move a `const` copy.
 *
 * Only variables declared before the closure are read (a later one may not
 * be initialized yet when `spawn` runs). Futures that are awaited in place,
 * or given to `join`/`select`, borrow: only a spawned closure is rewritten.
 * The rewrite is insertions on the closure's own lines, so lines and columns
 * still map back.
 */
import type { AnyNode, CallExpression, Expression, Function as FunctionNode, Identifier, Pattern, Program } from 'acorn';
import type MagicString from 'magic-string';
import { calleeName, liftedArgument, type Locate } from './closures.ts';
import { childNodes, type Binding, type ScopeAnalysis } from './scope.ts';

/** Calls whose async closure argument becomes a task: weft/task's `spawn`, `JoinSet.spawn`, `spawnLocal`, `LocalSet.spawnLocal`. */
const TASK_SPAWNS = new Set(['spawn', 'spawnLocal']);

export interface TaskClosure {
  node: Expression;
  /** Captured variables read at spawn time, in order of first use. */
  captures: string[];
  /** Those that the task gets its own binding of (never assigned after their declaration). */
  rebound: string[];
  /** The reader's line of the closure, for "moved into task 3 at line 7" (cheaper than a stack at every spawn). */
  line: number;
  /**
   * The closure is the first argument of weft/task's own `spawn` (imported from "weft/task", by name or through
   * a namespace): the argument can be a record that only that `spawn` reads (move.ts TaskArg), where any other
   * call gets a wrapper that is still the closure when called.
   */
  direct: boolean;
}

/** The call is weft/task's `spawn`, imported by name (`import { spawn as s } from "weft/task"`) or through a namespace import. */
function isWeftTaskSpawn(call: CallExpression, analysis: ScopeAnalysis): boolean {
  const callee = call.callee;
  let local: Identifier;
  let property: string | null = null;
  if (callee.type === 'Identifier') local = callee;
  else if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.property.type === 'Identifier') {
    local = callee.object;
    property = callee.property.name;
  } else return false;
  const binding = analysis.referenceOf(local)?.binding;
  if (binding?.kind !== 'import' || binding.scope !== analysis.moduleScope || binding.scope.node.type !== 'Program') return false;
  for (const statement of binding.scope.node.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== 'weft/task') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.local !== binding.id) continue;
      if (specifier.type === 'ImportNamespaceSpecifier') return property === 'spawn';
      if (specifier.type !== 'ImportSpecifier' || property !== null) return false;
      const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
      return imported === 'spawn';
    }
  }
  return false;
}

function contains(outer: AnyNode, inner: AnyNode): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/** The identifiers a pattern assigns to (`[a, {b: c}] = …` assigns a and c). */
function patternTargets(pattern: Pattern | AnyNode, out: Identifier[]): void {
  switch (pattern.type) {
    case 'Identifier':
      out.push(pattern);
      return;
    case 'ObjectPattern':
      for (const property of pattern.properties) patternTargets(property.type === 'RestElement' ? property.argument : property.value, out);
      return;
    case 'ArrayPattern':
      for (const element of pattern.elements) if (element !== null) patternTargets(element, out);
      return;
    case 'RestElement':
      patternTargets(pattern.argument, out);
      return;
    case 'AssignmentPattern':
      patternTargets(pattern.left, out);
      return;
    default:
      return; // a member expression assigns a property, not a variable
  }
}

/** Bindings assigned anywhere after their declaration (`x = …`, `x++`, `[x] = …`, `for (x of …)`). */
function writtenBindings(program: Program, analysis: ScopeAnalysis): Set<Binding> {
  const targets: Identifier[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'AssignmentExpression') patternTargets(node.left, targets);
    else if (node.type === 'UpdateExpression') patternTargets(node.argument, targets);
    else if ((node.type === 'ForOfStatement' || node.type === 'ForInStatement') && node.left.type !== 'VariableDeclaration') {
      patternTargets(node.left, targets);
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  const written = new Set<Binding>();
  for (const id of targets) {
    const binding = analysis.referenceOf(id)?.binding;
    if (binding) written.add(binding);
  }
  return written;
}

/** Where each `let`/`const`/`var`/`using` declarator ends, by the identifiers it declares. */
function declaratorEnds(program: Program): Map<Identifier, number> {
  const ends = new Map<Identifier, number>();
  const walk = (node: AnyNode): void => {
    if (node.type === 'VariableDeclarator') {
      const ids: Identifier[] = [];
      patternTargets(node.id, ids);
      for (const id of ids) ends.set(id, node.end);
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  return ends;
}

function isAsyncClosure(node: Expression): boolean {
  return (node.type === 'ArrowFunctionExpression' || node.type === 'FunctionExpression') && node.async;
}

export function findTaskClosures(program: Program, analysis: ScopeAnalysis, locate: Locate): TaskClosure[] {
  const closures: Expression[] = [];
  const direct = new Set<Expression>();
  const walk = (node: AnyNode): void => {
    if (node.type === 'CallExpression') {
      const name = calleeName(node, analysis);
      const arg = name !== null && TASK_SPAWNS.has(name) ? liftedArgument(node.arguments) : null;
      if (arg !== null && isAsyncClosure(arg)) {
        closures.push(arg);
        if (arg === node.arguments[0] && isWeftTaskSpawn(node, analysis)) direct.add(arg);
      }
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  if (closures.length === 0) return [];

  const written = writtenBindings(program, analysis);
  const ends = declaratorEnds(program);
  const result: TaskClosure[] = [];
  for (const node of closures) {
    const captures: string[] = [];
    const rebound: string[] = [];
    const seen = new Set<Binding>();
    for (const reference of analysis.references) {
      const binding = reference.binding;
      if (binding === null || seen.has(binding) || !contains(node, reference.id)) continue;
      seen.add(binding);
      if (binding.scope === analysis.moduleScope || contains(node, binding.scope.node)) continue;
      // Functions and classes hold no handle; the closure's own name is itself.
      if (binding.kind === 'function' || binding.kind === 'class' || binding.kind === 'own-name') continue;
      const declared = ends.get(binding.id) ?? binding.id.end;
      if (declared > node.start) continue; // declared later, or initialized by this very spawn
      captures.push(binding.name);
      if (!written.has(binding)) rebound.push(binding.name);
    }
    if (captures.length > 0) result.push({ node, captures, rebound, line: locate(node).line, direct: direct.has(node) });
  }
  return result;
}

export function moveIntoTasks(s: MagicString, closures: TaskClosure[]): void {
  for (const { node, captures, rebound, line, direct } of closures) {
    const names = rebound.length === 0 ? '__weft.noNames' : `[${rebound.map((name) => JSON.stringify(name)).join(', ')}]`;
    // A closure with no parameters: calling it builds its future and runs nothing else, so the runtime may make it at the task's first poll.
    const lazy = (node as FunctionNode).params.length === 0 ? ', true' : '';
    // For weft/task's own spawn, a closure with no parameters is called in its factory, which then gives its future:
    // one closure fewer to make at the task's first poll (the runtime would call it at once, with no `this` and no
    // arguments, as the factory does; V8 drops the closure once it inlines the call).
    const call = direct && lazy !== '' ? '()' : '';
    // weft/task's own spawn reads a record (one short-lived object); any other call gets a closure that is still the closure.
    s.appendLeft(node.start, `__weft.${direct ? 'taskArg' : 'task'}(${line}, () => ({${captures.join(', ')}}), ${names}, ({${rebound.join(', ')}}) => (`);
    s.prependRight(node.end, `)${call}${lazy})`);
  }
}
