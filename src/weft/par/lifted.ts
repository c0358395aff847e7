/**
 * The lifted form of a closure handed to a par adapter (the compile step's
 * par-closures.ts wraps it), with a message that says what to change when
 * the closure arrives unlifted.
 */
import { liftedOf, type Lifted } from '../runtime/lift.ts';

/** `howTo`: what to write instead, when the iterator advice below does not fit `api` (join). */
export function liftedForPar(fn: unknown, api: string, howTo?: string): Lifted {
  if (typeof fn !== 'function') {
    throw new TypeError(`${api} expects a closure, like .${api}((x) => …), but got ${fn === null ? 'null' : typeof fn}`);
  }
  const lifted = liftedOf(fn);
  if (lifted === undefined) {
    throw new TypeError(
      `${api}: weft could not see that this closure goes to the thread pool, so it cannot send it there. ` +
        (howTo ??
          `Write the closure in the call, on an iterator made in place or held in a const: ` +
            `parIter(xs).${api}((x) => …), or const it = range(0, n); it.${api}(…)`),
    );
  }
  return lifted;
}
