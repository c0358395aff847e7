/**
 * A statement that spawns a thread and keeps no handle — `spawn(f);`,
 * `builder().name("w").spawn(f);` — becomes `__weft.detach(spawn(f));`
 * (runner/worker/program-worker.ts `detach`): in Rust that statement drops the JoinHandle at
 * once, which detaches the thread, so once it ends its place in the run's
 * thread table goes to a later spawn. Without it, a loop spawning threads it
 * never joins (a thread per request) would fill the table's 1,023 places and stop there.
 * `detach` drops only a weft/thread JoinHandle and returns anything else
 * untouched (a task's handle, a scope's, a value of the reader's own), so
 * any `spawn(…)` or `….spawn(…)` call statement is wrapped. The edit stays
 * within the statement's lines.
 */
import type { AnyNode, Program } from 'acorn';
import type MagicString from 'magic-string';
import { childNodes } from './scope.ts';

export function markDetachSites(program: Program, s: MagicString): void {
  const walk = (node: AnyNode): void => {
    if (node.type === 'ExpressionStatement' && node.expression.type === 'CallExpression') {
      const callee = node.expression.callee;
      const name = callee.type === 'Identifier' ? callee.name : callee.type === 'MemberExpression' && !callee.computed && callee.property.type === 'Identifier' ? callee.property.name : '';
      if (name === 'spawn') {
        s.appendLeft(node.expression.start, '__weft.detach(');
        s.prependRight(node.expression.end, ')');
      }
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}
