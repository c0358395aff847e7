/**
 * Which closures a `weft/par` program hands to its thread pool.
 *
 * Rayon's adapters (`par_iter().map(|x| …)`) run the reader's closures on
 * the pool's threads, so the compile step must lift them as it lifts a
 * `spawn` closure (closures.ts): an id, a factory and the captured variables
 * passed explicitly. Par closures *borrow*: the runtime shares captured weft
 * handles and copies plain data once per worker (weft/par); what cannot
 * cross a thread at all is refused here with the same message as for spawn.
 *
 * A name such as `map` or `join` alone cannot tell a par adapter from
 * `Array.prototype.map` or `JoinHandle.join`, so this file follows the
 * program's own bindings instead: a call is a par call when its callee is
 * imported from `weft/par` (`parIter`, `range`, `join`, `parSortBy`,
 * `par.parIter` through a namespace import), or when it is a method called on
 * a par iterator: a par root call, an adapter chained on one, or a `const`/
 * `let` whose initializer is one (`const it = parIter(xs); it.map(…)`).
 * The same goes for a thread pool's `join`: `pool.join(a, b)` is a par call
 * when `pool` is `new ThreadPoolBuilder()…build()`, in place or held in a
 * `const`/`let`; and for a builder's `startHandler`, `exitHandler` and
 * `panicHandler`, on `new ThreadPoolBuilder()…` in place or in a `const`/`let`. An iterator or a pool that reaches a method by any other
 * road (a parameter, a property) is not seen here; its closure arrives
 * unlifted and the runtime says how to write it (weft/par/lifted.ts).
 * (A scope's `s.spawn(…)`, pool's or not, is lifted with every `spawn`, and
 * `spawnBroadcast(…)` with it, on any receiver: closures.ts.)
 */
import type { AnyNode, CallExpression, Expression, Program, SpreadElement } from 'acorn';
import { childNodes, type ScopeAnalysis } from './scope.ts';

const PAR_MODULE = 'weft/par';
/** `weft/par` functions whose result is a par iterator. */
const ROOTS = new Set(['parIter', 'parDrain', 'range', 'repeat', 'repeatn', 'once', 'empty', 'split', 'parBridge', 'parChars', 'parCharIndices', 'parBytes', 'parEncodeUtf16', 'parSplit', 'parSplitTerminator', 'parLines', 'parSplitWhitespace', 'parMatches', 'parMatchIndices', 'parChunksMut', 'parChunksExactMut', 'parRchunksMut', 'parRchunksExactMut', 'parSplitMut', 'multizip', 'parIterMut']);
/** Methods of a par iterator that return a par iterator again (the others are terminal). */
const ADAPTERS = new Set(['map', 'mapInit', 'filter', 'filterMap', 'flatMap', 'fold', 'withMinLen', 'withMaxLen', 'inspect', 'enumerate', 'zip', 'chunks', 'chain', 'skip', 'take', 'rev', 'stepBy', 'flatten', 'windows', 'chunksExact', 'foldWith', 'mapWith', 'update', 'copied', 'cloned', 'panicFuse', 'interleave', 'interleaveShortest', 'intersperse', 'whileSome', 'skipAny', 'takeAny', 'takeAnyWhile', 'skipAnyWhile', 'flatMapIter', 'flattenIter', 'rchunks', 'rchunksExact', 'chunkBy', 'zipEq', 'foldChunks', 'foldChunksWith', 'tryFold', 'tryFoldWith', 'positions', 'clone']);
/** Methods whose arguments are data, never closures: an identifier passed to them is not lifted. */
const DATA_METHODS = new Set(['withMinLen', 'withMaxLen', 'enumerate', 'zip', 'chunks', 'collect', 'sum', 'count', 'min', 'max', 'chain', 'skip', 'take', 'rev', 'stepBy', 'flatten', 'windows', 'chunksExact', 'product', 'unzip', 'collectIntoVec', 'len', 'cmp', 'partialCmp', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'interleave', 'interleaveShortest', 'intersperse', 'whileSome', 'skipAny', 'takeAny', 'flattenIter', 'copied', 'cloned', 'panicFuse', 'rchunks', 'rchunksExact', 'zipEq', 'clone', 'unzipIntoVecs']);
/** Methods whose first argument is data (a starting value) and whose closures come after it. */
const CLOSURES_FROM: Record<string, number> = { foldWith: 1, mapWith: 1, forEachWith: 1, tryForEachWith: 1, tryFoldWith: 1, foldChunks: 1, foldChunksWith: 2 };
/** Methods of a `ThreadPoolBuilder` that return the builder. */
const BUILDER_METHODS = new Set(['numThreads', 'sequentialCutoff', 'threadName', 'stackSize', 'startHandler', 'exitHandler', 'panicHandler']);
/** Methods of a `ThreadPoolBuilder` whose closure runs on the pool's threads (`threadName`'s runs at `build()`, here). */
const HANDLER_METHODS = new Set(['startHandler', 'exitHandler', 'panicHandler']);
/** Methods of a `ThreadPool` whose closure arguments run on the pool (`install` and `scope` run theirs here). */
const POOL_METHODS = new Set(['join', 'broadcast']);
/** `weft/par` functions whose closure arguments run on the pool, and the first argument that may be one. */
const DIRECT: Record<string, number> = { join: 0, joinContext: 0, broadcast: 0, parSortBy: 1, parSortByKey: 1, parSortByCachedKey: 1, parSortUnstableBy: 1, parSortUnstableByKey: 1 };

interface ParImports {
  /** Local name -> the name `weft/par` exports it as. */
  named: Map<string, string>;
  /** Locals bound by `import * as par from 'weft/par'`. */
  namespaces: Set<string>;
}

function parImports(program: Program): ParImports {
  const named = new Map<string, string>();
  const namespaces = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== PAR_MODULE) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier') namespaces.add(specifier.local.name);
      else if (specifier.type === 'ImportSpecifier') {
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
        named.set(specifier.local.name, imported);
      }
    }
  }
  return { named, namespaces };
}

/**
 * Finds the arguments of par calls that must be lifted: every function written
 * in place, and identifiers in closure positions (`.map(square)`).
 */
export function findParClosures(program: Program, analysis: ScopeAnalysis): Expression[] {
  const imports = parImports(program);
  if (imports.named.size === 0 && imports.namespaces.size === 0) return [];

  /** The `weft/par` export a callee names, if it names one (`parIter`, `par.parIter`). */
  const parFunction = (callee: AnyNode): string | null => {
    if (callee.type === 'Identifier') {
      const binding = analysis.referenceOf(callee)?.binding;
      if (binding?.kind !== 'import' || binding.scope !== analysis.moduleScope) return null;
      return imports.named.get(callee.name) ?? null;
    }
    if (callee.type === 'MemberExpression' && !callee.computed && callee.object.type === 'Identifier' && callee.property.type === 'Identifier') {
      const binding = analysis.referenceOf(callee.object)?.binding;
      if (binding?.kind !== 'import' || !imports.namespaces.has(callee.object.name)) return null;
      return callee.property.name;
    }
    return null;
  };

  const seen = new Set<AnyNode>();
  /** Whether `node` evaluates to a par iterator, as far as the source says. */
  const isParIterator = (node: AnyNode): boolean => {
    if (seen.has(node)) return false; // `let it = it.map(…)`-style self reference
    seen.add(node);
    try {
      if (node.type === 'CallExpression') {
        const name = parFunction(node.callee);
        if (name !== null) return ROOTS.has(name);
        const callee = node.callee;
        if (callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier') {
          return ADAPTERS.has(callee.property.name) && isParIterator(callee.object);
        }
        // A call of the program's own function that returns a par iterator (rayon's tests/octillion.rs: `octillion_flat().find_first(…)`).
        if (callee.type === 'Identifier') {
          const fn = analysis.referenceOf(callee)?.binding?.value;
          if (fn !== null && fn !== undefined) return returnsParIterator(fn);
        }
        return false;
      }
      if (node.type === 'Identifier') {
        const binding = analysis.referenceOf(node)?.binding;
        if (binding === null || binding === undefined) return false;
        if (binding.kind !== 'const' && binding.kind !== 'let') return false;
        return binding.value !== null && isParIterator(binding.value);
      }
      if (node.type === 'ParenthesizedExpression') return isParIterator(node.expression);
      return false;
    } finally {
      seen.delete(node);
    }
  };

  /** Whether every `return` of the function `fn` (its own, not its inner functions') gives a par iterator, and there is one. */
  const returnsParIterator = (fn: AnyNode): boolean => {
    if (fn.type !== 'FunctionDeclaration' && fn.type !== 'FunctionExpression' && fn.type !== 'ArrowFunctionExpression') return false;
    if (seen.has(fn)) return false; // recursion
    seen.add(fn);
    try {
      if (fn.body.type !== 'BlockStatement') return isParIterator(fn.body);
      const returns: (Expression | null | undefined)[] = [];
      const collect = (node: AnyNode): void => {
        if (node.type === 'ReturnStatement') returns.push(node.argument);
        if (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression' || node.type === 'ClassDeclaration' || node.type === 'ClassExpression') return;
        for (const child of childNodes(node)) collect(child);
      };
      for (const statement of fn.body.body) collect(statement);
      return returns.length > 0 && returns.every((r) => r !== null && r !== undefined && isParIterator(r));
    } finally {
      seen.delete(fn);
    }
  };

  /** Whether `node` evaluates to a `ThreadPoolBuilder` (`new ThreadPoolBuilder().numThreads(2)`), or to a `ThreadPool` (`….build()`). */
  const isPoolPart = (node: AnyNode, want: 'builder' | 'pool'): boolean => {
    if (seen.has(node)) return false;
    seen.add(node);
    try {
      if (node.type === 'NewExpression') return want === 'builder' && parFunction(node.callee) === 'ThreadPoolBuilder';
      if (node.type === 'CallExpression') {
        const callee = node.callee;
        if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return false;
        const method = callee.property.name;
        if (want === 'pool') return method === 'build' && isPoolPart(callee.object, 'builder');
        return BUILDER_METHODS.has(method) && isPoolPart(callee.object, 'builder');
      }
      if (node.type === 'Identifier') {
        const binding = analysis.referenceOf(node)?.binding;
        if (binding === null || binding === undefined) return false;
        // `buildScoped(wrapper, (pool) => …)`: the second closure's parameter is the pool.
        if (binding.kind === 'param') return want === 'pool' && isScopedPoolParam(binding.scope.node, binding.id);
        if (binding.kind !== 'const' && binding.kind !== 'let') return false;
        return binding.value !== null && isPoolPart(binding.value, want);
      }
      if (node.type === 'ParenthesizedExpression') return isPoolPart(node.expression, want);
      return false;
    } finally {
      seen.delete(node);
    }
  };

  /** Whether `id` is the first parameter of `fn`, and `fn` the second argument of a builder's `buildScoped` call. */
  const isScopedPoolParam = (fn: AnyNode, id: AnyNode): boolean => {
    if ((fn.type !== 'ArrowFunctionExpression' && fn.type !== 'FunctionExpression') || fn.params[0] !== id) return false;
    const call = scopedPoolCalls.get(fn);
    return call !== undefined && call.callee.type === 'MemberExpression' && isPoolPart(call.callee.object, 'builder');
  };
  /** Each closure given as `buildScoped`'s second argument, and its call. */
  const scopedPoolCalls = new Map<AnyNode, CallExpression>();
  const findScoped = (node: AnyNode): void => {
    if (node.type === 'CallExpression' && node.callee.type === 'MemberExpression' && !node.callee.computed && node.callee.property.type === 'Identifier' && node.callee.property.name === 'buildScoped' && node.arguments[1] !== undefined) {
      scopedPoolCalls.set(node.arguments[1], node);
    }
    for (const child of childNodes(node)) findScoped(child);
  };
  findScoped(program);

  const lifted: Expression[] = [];
  const take = (args: (Expression | SpreadElement)[], from: number, identifiers: boolean): void => {
    for (let i = from; i < args.length; i++) {
      const arg = args[i]!;
      if (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression') lifted.push(arg);
      else if (identifiers && arg.type === 'Identifier') lifted.push(arg);
    }
  };
  const visitCall = (call: CallExpression): void => {
    const direct = parFunction(call.callee);
    if (direct !== null) {
      if (direct in DIRECT) take(call.arguments, DIRECT[direct]!, true);
      return;
    }
    const callee = call.callee;
    if (callee.type !== 'MemberExpression' || callee.computed || callee.property.type !== 'Identifier') return;
    if (isParIterator(callee.object)) take(call.arguments, CLOSURES_FROM[callee.property.name] ?? 0, !DATA_METHODS.has(callee.property.name));
    else if (POOL_METHODS.has(callee.property.name) && isPoolPart(callee.object, 'pool')) take(call.arguments, 0, true);
    else if (HANDLER_METHODS.has(callee.property.name) && isPoolPart(callee.object, 'builder')) take(call.arguments, 0, true);
    // buildScoped's wrapper runs on the pool's threads; its second closure, given the pool, runs here.
    else if (callee.property.name === 'buildScoped' && isPoolPart(callee.object, 'builder')) take(call.arguments.slice(0, 1), 0, true);
  };
  const walk = (node: AnyNode): void => {
    if (node.type === 'CallExpression') visitCall(node);
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  return lifted;
}
