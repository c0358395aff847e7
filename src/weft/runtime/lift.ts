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
  /** The closure itself, for a caller that runs it in place (weft/par's sequential path). */
  fn: Function;
}

type Tagged = Function & { [LIFTED]?: Lifted };

/** Called by compiled programs; returns `fn` tagged with its closure id and captures. */
export function lift(id: number, captures: () => Record<string, unknown>, fn: Function): Function {
  if (typeof fn !== 'function') return fn;
  // A wrapper, so tagging never mutates the reader's own function object.
  const tagged: Tagged = function (this: unknown, ...args: unknown[]) {
    return fn.apply(this, args);
  };
  tagged[LIFTED] = { id, captures, fn };
  return tagged;
}

/** The lifted form of `fn`, or undefined when the compile step did not lift it. */
export function liftedOf(fn: Function): Lifted | undefined {
  return (fn as Tagged)[LIFTED];
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

/** A program's closure factories, as the compile step appends them: `factories[id](captures)`. */
export type ClosureFactories = ReadonlyArray<(captures: Record<string, unknown>) => Function>;

/**
 * A thread whose body is weft's own code rather than a reader closure (a
 * weft/par registry's worker), started with a negative closure id. It receives the
 * program's factories so it can rebuild the reader closures it is handed.
 */
type InternalEntry = (factories: ClosureFactories, captures: Record<string, unknown>) => () => unknown;
const internalEntries = new Map<number, InternalEntry>();

/** Registers weft's own thread body `id` (< 0). */
export function registerInternalEntry(id: number, entry: InternalEntry): void {
  internalEntries.set(id, entry);
}

/** The running program's closure factories on this thread (set as the thread starts): what rebuilds a closure another thread lifted. */
let programFactories: ClosureFactories | undefined;

/** Records the program's closure factories for this thread (the runner, for `main`; `threadBody`, for every other thread). */
export function setClosureFactories(factories: ClosureFactories): void {
  programFactories = factories;
}

/** This thread's closure factories (a thread that stands in for a pool's worker runs the pool's tasks with them: par/registry.ts). */
export function closureFactories(): ClosureFactories {
  if (programFactories === undefined) throw new Error('weft internal error: no closure factories on this thread');
  return programFactories;
}

/** Rebuilds lifted closure `id` from its decoded captures, on any thread of the program (a LazyLock's initializer). */
export function rebuildClosure(id: number, captures: Record<string, unknown>): Function {
  const factory = programFactories?.[id];
  if (factory === undefined) throw new Error(`weft internal error: no closure ${id} on this thread`);
  return factory(captures);
}

/** The body of a spawned thread: lifted closure `closureId` rebuilt from its captures, or weft's own entry for a negative id. */
export function threadBody(factories: ClosureFactories, closureId: number, captures: Record<string, unknown>): () => unknown {
  programFactories = factories;
  if (closureId < 0) {
    const entry = internalEntries.get(closureId);
    if (entry === undefined) throw new Error(`weft internal error: no thread entry ${closureId}`);
    return entry(factories, captures);
  }
  return factories[closureId]!(captures) as () => unknown;
}
