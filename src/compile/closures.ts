/**
 * Which closures move into threads, and what they take with them.
 *
 * A closure passed to a thread-crossing call (`spawn(() => …)`,
 * `thread.spawn(work)`, `scope.spawn(…)`) runs in another worker, where only
 * the module's own top-level declarations exist (each thread evaluates the
 * module again). So the compiler lifts it to module level and lists its
 * captures: the variables it uses from enclosing functions and blocks. They
 * are passed explicitly, as Rust's `move` closures take their environment.
 * See ARCHITECTURE.md, "Closures move into threads".
 *
 * What cannot cross a thread is refused here, naming the variable, as Rust
 * refuses a closure that is not `Send`: a local function or class, an instance
 * of one of the program's classes with methods, `this`, `arguments`, `super`,
 * `new.target` and `#private` names of an enclosing class. Everything else
 * (is this value cloneable? is this handle moved?) is the runtime's to check.
 */
import type { AnyNode, CallExpression, Expression, Identifier, Program, SpreadElement } from 'acorn';
import { CompileError } from './errors.ts';
import { childNodes, type Binding, type ContextReference, type ScopeAnalysis } from './scope.ts';

export const DEFAULT_LIFT_CALLEES = ['spawn', 'spawnBlocking', 'spawnScoped', 'spawnFifo', 'spawnBroadcast'];

export interface Closure {
  /** Index in the program's `closures` table, in source order (an outer closure before those inside it). */
  id: number;
  /** The argument that is lifted: an arrow function, a function expression or an identifier. */
  node: Expression;
  /** Captured variable names, in order of first use. */
  captures: string[];
}

/** Maps a node's position in the type-stripped code to the reader's source. */
export type Locate = (node: AnyNode) => { line: number; column: number };

function contains(outer: AnyNode, inner: AnyNode): boolean {
  return outer.start <= inner.start && inner.end <= outer.end;
}

/**
 * `spawn`, `thread.spawn`, `s.spawn`, `builder.spawn` and `x["spawn"]` all end in `spawn`.
 * With `analysis`, a name imported from a weft module under another name
 * resolves to the name weft exports it as: after
 * `import { spawn as spawnThread } from "weft/thread"`, `spawnThread(…)` is a `spawn`.
 */
export function calleeName(call: CallExpression, analysis?: ScopeAnalysis): string | null {
  const callee = call.callee;
  if (callee.type === 'Identifier') {
    const binding = analysis?.referenceOf(callee)?.binding;
    if (binding?.kind === 'import' && binding.scope === analysis!.moduleScope) return importedName(binding) ?? callee.name;
    return callee.name;
  }
  if (callee.type === 'MemberExpression') {
    if (!callee.computed && callee.property.type === 'Identifier') return callee.property.name;
    if (callee.computed && callee.property.type === 'Literal' && typeof callee.property.value === 'string') return callee.property.value;
  }
  return null;
}

/** The name a weft module exports an import binding as (`spawn` for `import { spawn as s }`), or null for a namespace import. */
function importedName(binding: Binding): string | null {
  const declaration = binding.scope.node.type === 'Program' ? binding.scope.node.body : [];
  for (const statement of declaration) {
    if (statement.type !== 'ImportDeclaration') continue;
    for (const specifier of statement.specifiers) {
      if (specifier.local !== binding.id) continue;
      if (specifier.type !== 'ImportSpecifier') return null;
      return specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
    }
  }
  return null;
}

/**
 * The argument that is the thread's body: the last function written in place,
 * or else the last identifier (`spawn(work)`). Preferring functions keeps
 * `spawn(() => …, name)` lifting the function, not `name`.
 */
export function liftedArgument(args: (Expression | SpreadElement)[]): Expression | null {
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    if (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') return arg;
  }
  for (let i = args.length - 1; i >= 0; i--) {
    const arg = args[i]!;
    if (arg.type === 'Identifier') return arg;
  }
  return null;
}

/**
 * An `async` closure is a task's body, not a thread's: weft/task's `spawn`
 * (and `JoinSet.spawn`) run it on this thread's executor, so it stays where
 * it is (async-lowering.ts); task-closures.ts moves its captured handles.
 */
function isAsyncFunction(arg: Expression, analysis: ScopeAnalysis): boolean {
  if (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') return arg.async;
  if (arg.type !== 'Identifier') return false;
  const value = analysis.referenceOf(arg)?.binding?.value;
  return (
    (value?.type === 'FunctionDeclaration' || value?.type === 'FunctionExpression' || value?.type === 'ArrowFunctionExpression') && value.async
  );
}

/** `extra`: further arguments to lift, found by other rules (par-closures.ts for `weft/par`). */
export function findClosures(
  program: Program,
  analysis: ScopeAnalysis,
  liftCallees: readonly string[],
  locate: Locate,
  extra: readonly Expression[] = [],
): Closure[] {
  const callees = new Set(liftCallees);
  const threadSpawns = threadSpawnNames(program);
  const nodes: Expression[] = [...extra];
  /** The functions given to a `scope(…)` call (weft/thread's or weft/par's), whose first parameter spawns scoped threads. */
  const scopeBodies = new Set<AnyNode>();
  /** The closures of scoped threads: `s.spawn(f)` with `s` such a parameter, and `builder.spawnScoped(s, f)`. */
  const scoped = new Set<AnyNode>();
  const walk = (node: AnyNode): void => {
    if (node.type === 'CallExpression') {
      const name = calleeName(node, analysis);
      const arg = name !== null && callees.has(name) ? liftedArgument(node.arguments) : null;
      if (name === 'scope') for (const a of node.arguments) if (a.type === 'ArrowFunctionExpression' || a.type === 'FunctionExpression') scopeBodies.add(a);
      if (arg !== null && isScopedSpawn(node, name, analysis, scopeBodies)) scoped.add(arg);
      if (arg !== null && !isAsyncFunction(arg, analysis)) nodes.push(arg);
      else if (arg !== null && node.callee.type === 'Identifier' && threadSpawns.has(node.callee.name)) {
        // weft/thread's spawn (an async closure given to weft/task's is a task: task-closures.ts).
        const { line, column } = locate(arg);
        throw new CompileError(
          "weft/thread's spawn runs a plain function on a new thread, but this closure is async: on a thread it would only make a future that nobody polls. " +
            'Remove `async` (a thread blocks where a task awaits: recv(), join(), sleep()), or spawn it as a task with spawn from weft/task',
          line,
          column,
        );
      }
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  nodes.sort((a, b) => a.start - b.start);
  // A closure found by two rules is lifted once.
  for (let i = nodes.length - 1; i > 0; i--) if (nodes[i] === nodes[i - 1]) nodes.splice(i, 1);

  const par = new Set<AnyNode>(extra);
  return nodes.map((node, id) => {
    checkContexts(node, analysis.contexts, locate);
    if (par.has(node)) refuseParWrites(node, analysis, locate, PAR_WRITE);
    else if (scoped.has(node)) refuseParWrites(node, analysis, locate, SCOPED_WRITE);
    return { id, node, captures: capturesOf(node, analysis, locate) };
  });
}

/** `s.spawn(f)` with `s` the first parameter of a function given to `scope(…)`, or `spawnScoped(s, f)`. */
function isScopedSpawn(call: CallExpression, name: string | null, analysis: ScopeAnalysis, scopeBodies: Set<AnyNode>): boolean {
  if (name === 'spawnScoped') return true;
  if (name !== 'spawn' || call.callee.type !== 'MemberExpression' || call.callee.object.type !== 'Identifier') return false;
  const binding = analysis.referenceOf(call.callee.object)?.binding;
  if (binding?.kind !== 'param' || !scopeBodies.has(binding.scope.node)) return false;
  const fn = binding.scope.node as { params?: AnyNode[] };
  return fn.params?.[0] === binding.id;
}

/** The error for a write refuseParWrites finds in a weft/par closure. */
const PAR_WRITE = (what: string): string =>
  `${what} is changed inside a closure that weft/par runs on several threads at once: each thread changes its own copy, ` +
  'so the changes are lost or counted in part (Rust refuses this: a par closure cannot change what it captures). ' +
  'Return the values instead (map, then sum, reduce or collect), or count with an atomic, or write into a sharedArray';

/**
 * The error for a write in a scoped thread's closure. In Rust a scoped
 * thread borrows (`x += 1` there changes the spawner's `x`, seen once the
 * scope ends); weft gives the thread a copy of plain data, so the change
 * would be lost without a word: refused, with what to write instead.
 */
const SCOPED_WRITE = (what: string): string =>
  `${what} is changed inside a scoped thread: in Rust a scoped thread borrows it, and the change is seen after the scope; ` +
  'in weft the thread works on its own copy of plain data, so the change would be lost. ' +
  'Return the value from the thread (const h = s.spawn(() => …); h.join()), or share it through an atomic or a Mutex (or a sharedArray from weft/par)';

/** Methods that change an array (typed arrays have none of these), and those that change a Map or Set. */
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'splice']);
const COLLECTION_MUTATORS = new Set(['set', 'add', 'delete', 'clear', 'sort', 'reverse', 'fill', 'copyWithin']);

/**
 * A weft/par closure runs on several threads at once, each with its own copy
 * of the plain data it captures (and of module-level variables), and on the
 * calling thread for part of the work: what it changes there is changed in
 * one copy of several, so a loop that counts or collects that way gives an
 * answer that depends on how the work was split. Rust refuses to compile it
 * (a par closure is `Fn`: it cannot change what it borrows). So is it here,
 * for what the source shows: assigning to a captured variable, to a property
 * of a captured object or array, or calling push/pop/shift/unshift/splice on
 * one, or Map/Set/array methods that change it when the variable was made
 * from an array, object, Map or Set. A `sharedArray` written by index is
 * shared memory, not a copy, and stays allowed. A scoped thread's closure
 * (weft/thread's or weft/par's `s.spawn`) gets the same check with its own
 * message (SCOPED_WRITE): Rust lets it change what it borrows, and weft
 * would lose the change.
 */
function refuseParWrites(closure: Expression, analysis: ScopeAnalysis, locate: Locate, explain: (what: string) => string): void {
  if (closure.type !== 'ArrowFunctionExpression' && closure.type !== 'FunctionExpression') return;
  /** The captured binding `node` (an identifier, or a member chain rooted at one) writes to, if it writes to one. */
  const captured = (node: AnyNode): { binding: Binding; root: Identifier } | null => {
    let root: AnyNode = node;
    while (root.type === 'MemberExpression') root = root.object;
    if (root.type !== 'Identifier') return null;
    const binding = analysis.referenceOf(root)?.binding;
    if (binding === null || binding === undefined || contains(closure, binding.scope.node)) return null;
    if (binding.kind === 'function' || binding.kind === 'class' || binding.kind === 'import') return null;
    return { binding, root };
  };
  /** A variable made from plain data (a copy per thread), as far as its initializer says. */
  const plainData = (binding: Binding): boolean => {
    const value = binding.value;
    if (value === null) return false;
    if (value.type === 'ArrayExpression' || value.type === 'ObjectExpression') return true;
    if (value.type === 'NewExpression' && value.callee.type === 'Identifier') return ['Array', 'Map', 'Set', 'Object'].includes(value.callee.name);
    return false;
  };
  const fail = (at: AnyNode, what: string): never => {
    const { line, column } = locate(at);
    throw new CompileError(explain(what), line, column);
  };
  const name = (node: AnyNode, root: Identifier): string => (node === root ? `\`${root.name}\`` : `\`${root.name}\`'s content`);
  const walk = (node: AnyNode): void => {
    if (node.type === 'AssignmentExpression' || node.type === 'UpdateExpression') {
      const target = node.type === 'AssignmentExpression' ? node.left : node.argument;
      const hit = captured(target);
      if (hit !== null) {
        // An index into something that may be a sharedArray (shared memory) is allowed; into plain data it is not.
        const byIndex = target.type === 'MemberExpression' && target.computed;
        if (!byIndex || plainData(hit.binding)) fail(target, name(target, hit.root));
      }
    }
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.property.type === 'Identifier') {
      const method = node.callee.property.name;
      const hit = captured(node.callee.object);
      if (hit !== null && (ARRAY_MUTATORS.has(method) || (COLLECTION_MUTATORS.has(method) && plainData(hit.binding)))) {
        fail(node, `${name(node.callee.object, hit.root)} (by \`.${method}()\`)`);
      }
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(closure.body);
}

/** What a program imports by name from `module` (`import { spawn as go } from "weft/thread"`): local name -> exported name. */
export function namedImports(program: Program, module: string): Map<string, string> {
  const names = new Map<string, string>();
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== module) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type !== 'ImportSpecifier') continue;
      names.set(specifier.local.name, specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value));
    }
  }
  return names;
}

/** The local names of weft/thread's `spawn` (`import { spawn } from "weft/thread"`, `import { spawn as go } …`). */
function threadSpawnNames(program: Program): Set<string> {
  return new Set([...namedImports(program, 'weft/thread')].filter(([, imported]) => imported === 'spawn').map(([local]) => local));
}

function capturesOf(closure: Expression, analysis: ScopeAnalysis, locate: Locate): string[] {
  const captures: string[] = [];
  const seen = new Set<Binding>();
  for (const reference of analysis.references) {
    const binding = reference.binding;
    if (binding === null || seen.has(binding)) continue;
    if (!contains(closure, reference.id)) continue;
    if (binding.scope === analysis.moduleScope || contains(closure, binding.scope.node)) continue;
    seen.add(binding);
    checkSendable(binding, reference.id, analysis, locate);
    captures.push(binding.name);
  }
  return captures;
}

const AT_MODULE_LEVEL = 'declare it at module level (outside main) so every thread has it';

function checkSendable(binding: Binding, use: Identifier, analysis: ScopeAnalysis, locate: Locate): void {
  const fail = (message: string): never => {
    const { line, column } = locate(use);
    throw new CompileError(message, line, column);
  };
  const name = binding.name;
  const value = binding.value;
  if (binding.kind === 'function' || value?.type === 'ArrowFunctionExpression' || value?.type === 'FunctionExpression') {
    fail(`\`${name}\` is a function and cannot be moved into a thread; ${AT_MODULE_LEVEL}`);
  }
  if (binding.kind === 'class' || value?.type === 'ClassExpression') {
    fail(`\`${name}\` is a class and cannot be moved into a thread; ${AT_MODULE_LEVEL}`);
  }
  if (value?.type === 'NewExpression' && value.callee.type === 'Identifier') {
    const cls = analysis.referenceOf(value.callee)?.binding;
    const declaration = cls?.value;
    if (declaration && (declaration.type === 'ClassDeclaration' || declaration.type === 'ClassExpression')) {
      const hasMethods = declaration.body.body.some(
        (element) =>
          (element.type === 'MethodDefinition' && element.kind !== 'constructor' && !element.static) ||
          (element.type === 'PropertyDefinition' && !element.static && element.value?.type === 'ArrowFunctionExpression'),
      );
      if (hasMethods) {
        fail(
          `\`${name}\` is a \`${cls!.name}\`, an object with methods, and cannot be moved into a thread; ` +
            `move plain data instead (numbers, strings, arrays, object literals) and create the \`${cls!.name}\` inside the thread`,
        );
      }
    }
  }
}

const CONTEXT_MESSAGES: Record<ContextReference['kind'], string> = {
  this:
    '`this` cannot be moved into a thread; copy what the thread needs into a local first ' +
    '(`const { count } = this;`) and use that in the closure',
  arguments: '`arguments` cannot be moved into a thread; name the parameters the thread needs and use those',
  super: '`super` cannot be moved into a thread; copy what the thread needs into a local first and use that in the closure',
  'new.target': '`new.target` cannot be moved into a thread; copy it into a local first and use that in the closure',
  private: 'a `#private` member cannot be used in a closure that moves into a thread; copy the value into a local first and use that',
};

function checkContexts(closure: Expression, contexts: ContextReference[], locate: Locate): void {
  for (const context of contexts) {
    if (!contains(closure, context.node)) continue;
    if (context.owner !== null && contains(closure, context.owner)) continue;
    // Module-level `this` is undefined in every thread alike.
    if (context.owner === null && context.kind === 'this') continue;
    const { line, column } = locate(context.node);
    throw new CompileError(CONTEXT_MESSAGES[context.kind], line, column);
  }
}
