/**
 * Every `throw x` becomes `throw __weft.thrown(x)` (weft/runtime/threads.ts):
 * a thrown Error carries its stack, but a thrown string, number or object
 * does not, and a panic it becomes would name no line of the reader's, where
 * Rust's `panic!` always says where it happened. `thrown` keeps the stack of
 * the throw beside the value and returns the value itself, so what a
 * `catch` receives is unchanged. The edit stays within the throw's lines.
 */
import type { AnyNode, Program } from 'acorn';
import type MagicString from 'magic-string';
import { childNodes } from './scope.ts';

export function markThrowSites(program: Program, s: MagicString): void {
  const walk = (node: AnyNode): void => {
    // `throw new SomethingError(…)` throws an Error, whose stack says where: left as written.
    const isError = (arg: AnyNode) => arg.type === 'NewExpression' && arg.callee.type === 'Identifier' && /Error$/.test(arg.callee.name);
    if (node.type === 'ThrowStatement' && !isError(node.argument)) {
      s.appendLeft(node.argument.start, '__weft.thrown(');
      s.prependRight(node.argument.end, ')');
    }
    for (const child of childNodes(node)) walk(child);
  };
  walk(program);
}
