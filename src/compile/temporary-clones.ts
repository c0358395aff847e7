/**
 * `tx.clone().downgrade()`: Rust drops the clone, a temporary, at the end of
 * the statement, so the WeakSender it made does not keep the channel open
 * (Tokio's own tests write it so: tests/sync_mpsc_weak.rs). JavaScript keeps
 * the clone alive and never drops it, so the channel would never close and
 * a `recv()` waiting for its end would hang. The compile step rewrites the
 * call of `downgrade()` or `subscribe()` on a `clone()` (the two methods of
 * weft/task's channel ends that make an independent handle from a
 * borrowed one) into `__weft.viaTemporary(tx.clone(), "downgrade")`
 * (weft/task/temporary.ts), which makes the new handle and then drops the
 * clone, as Rust does. Other calls on a temporary are left as they are: a
 * method such as `send` returns a future that still needs its Sender.
 * The edit stays within the expression's lines.
 */
import type { AnyNode, Program } from 'acorn';
import type MagicString from 'magic-string';
import { childNodes } from './scope.ts';

const VIA_TEMPORARY = new Set(['downgrade', 'subscribe']);

function methodName(callee: AnyNode): string | undefined {
  return callee.type === 'MemberExpression' && !callee.computed && !callee.optional && callee.property.type === 'Identifier' ? callee.property.name : undefined;
}

export function markTemporaryClones(program: Program, s: MagicString): void {
  const walk = (node: AnyNode): void => {
    if (node.type === 'CallExpression' && !node.optional && node.arguments.length === 0 && node.callee.type === 'MemberExpression') {
      const method = methodName(node.callee);
      const inner = node.callee.object;
      if (
        method !== undefined &&
        VIA_TEMPORARY.has(method) &&
        inner.type === 'CallExpression' &&
        !inner.optional &&
        inner.arguments.length === 0 &&
        methodName(inner.callee) === 'clone'
      ) {
        s.appendLeft(node.start, '__weft.viaTemporary(');
        s.overwrite(inner.end, node.end, `, "${method}")`);
      }
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}
