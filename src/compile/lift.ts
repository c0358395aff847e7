/**
 * Step 3b: closures that move into threads, rewritten twice.
 *
 * In place, the closure is wrapped, never edited, so its text keeps its lines:
 *   spawn(() => total + 1)  ->  spawn(__weft.lift(0, () => ({total}), () => total + 1))
 * `lift` tells the runtime which closure this is and how to read its captures
 * at spawn time; the main thread can also just call the closure as written.
 *
 * In the trailer, a copy of the same (already rewritten) text becomes a
 * factory that a thread calls with the moved captures:
 *   ({total}) => (() => total + 1)
 * The copy is cut from the same MagicString, so it carries the rewrites of the
 * closures nested inside it and maps back to the same source positions.
 */
import type MagicString from 'magic-string';
import type { Closure } from './closures.ts';

function captureList(closure: Closure): string {
  return `{${closure.captures.join(', ')}}`;
}

export function liftInPlace(s: MagicString, closures: Closure[]): void {
  for (const closure of closures) {
    // Left of the start and right of the end: outside the range a copy cuts,
    // so a closure's own `lift(` is not part of its copy (see closureFactory).
    s.appendLeft(closure.node.start, `__weft.lift(${closure.id}, () => (${captureList(closure)}), `);
    s.prependRight(closure.node.end, ')');
  }
}

/** `({a, b}) => (<the closure's rewritten text>)`, mapped like the original. */
export function closureFactory(s: MagicString, closure: Closure): MagicString {
  const copy = s.clone();
  // `overwrite`, unlike `remove`, also drops what was inserted at the edges.
  copy.overwrite(0, closure.node.start, '');
  copy.overwrite(closure.node.end, s.original.length, '');
  return copy.prepend(`(${captureList(closure)}) => (`).append(')');
}
