/**
 * The closures a `weft/sync` LazyLock is made with: `new LazyLock(() => …)`.
 *
 * A LazyLock runs its closure on whichever thread first asks for the value
 * (sync/lazy-lock.ts), so the closure is lifted as a scoped thread's is
 * (closures.ts): an id, a factory, its captures passed explicitly. Found by
 * the program's own bindings, as par-closures.ts finds par calls: the
 * constructor is `LazyLock` imported from weft/sync (under any local name),
 * or `sync.LazyLock` through a namespace import.
 */
import type { AnyNode, Expression, Program } from 'acorn';
import { childNodes, type ScopeAnalysis } from './scope.ts';

const SYNC_MODULE = 'weft/sync';

export function findLazyClosures(program: Program, analysis: ScopeAnalysis): Expression[] {
  const named = new Set<string>();
  const namespaces = new Set<string>();
  for (const statement of program.body) {
    if (statement.type !== 'ImportDeclaration' || statement.source.value !== SYNC_MODULE) continue;
    for (const specifier of statement.specifiers) {
      if (specifier.type === 'ImportNamespaceSpecifier') namespaces.add(specifier.local.name);
      else if (specifier.type === 'ImportSpecifier') {
        const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : String(specifier.imported.value);
        if (imported === 'LazyLock') named.add(specifier.local.name);
      }
    }
  }
  if (named.size === 0 && namespaces.size === 0) return [];
  const isImport = (id: AnyNode): boolean => {
    const binding = id.type === 'Identifier' ? analysis.referenceOf(id)?.binding : undefined;
    return binding?.kind === 'import' && binding.scope === analysis.moduleScope;
  };
  const isLazyLock = (callee: AnyNode): boolean => {
    if (callee.type === 'Identifier') return named.has(callee.name) && isImport(callee);
    return (
      callee.type === 'MemberExpression' &&
      !callee.computed &&
      callee.object.type === 'Identifier' &&
      namespaces.has(callee.object.name) &&
      isImport(callee.object) &&
      callee.property.type === 'Identifier' &&
      callee.property.name === 'LazyLock'
    );
  };
  const found: Expression[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'NewExpression' && isLazyLock(node.callee)) {
      const arg = node.arguments[0];
      if (arg !== undefined && (arg.type === 'ArrowFunctionExpression' || arg.type === 'FunctionExpression' || arg.type === 'Identifier')) found.push(arg);
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
  return found;
}
