/**
 * The runtime half of closure lifting. The compile step rewrites
 * `spawn(() => …)` into `spawn(__weft.lift(ID, () => ({a, b}), () => …))`
 * and appends a factory for closure ID that rebuilds it from its captures
 * in another thread (src/compile). `lift` tags the closure with both.
 */

const LIFTED = Symbol('weft.lifted');

export interface Lifted {
  id: number;
  /** Reads the captured variables at spawn time. */
  captures: () => Record<string, unknown>;
}

type Tagged = Function & { [LIFTED]?: Lifted };

/** Called by compiled programs; returns `fn` tagged with its closure id and captures. */
export function lift(id: number, captures: () => Record<string, unknown>, fn: Function): Function {
  if (typeof fn !== 'function') return fn;
  // A wrapper, so tagging never mutates the reader's own function object.
  const tagged: Tagged = function (this: unknown, ...args: unknown[]) {
    return fn.apply(this, args);
  };
  tagged[LIFTED] = { id, captures };
  return tagged;
}

/** The lifted form of a closure passed to `api`; explains what to do when it is not one. */
export function liftedClosure(fn: unknown, api: string): Lifted {
  if (typeof fn !== 'function') {
    throw new TypeError(`${api} expects a closure, like ${api}(() => { … }), but got ${fn === null ? 'null' : typeof fn}`);
  }
  const lifted = (fn as Tagged)[LIFTED];
  if (lifted === undefined) {
    throw new TypeError(
      `${api} needs the closure written at the call, like ${api}(() => { … }) or ${api}(aModuleLevelFunction), ` +
        'so weft can move its captured variables into the new thread',
    );
  }
  return lifted;
}
