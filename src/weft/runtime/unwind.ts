/**
 * A guard dropped while a panic unwinds through it poisons its lock, in Rust
 * (https://doc.rust-lang.org/std/sync/struct.Mutex.html#poisoning), even
 * when the panic is caught further up in the same thread (`catch_unwind`).
 *
 * A `using` declaration disposes its guard as an exception leaves the block,
 * but `[Symbol.dispose]()` is not told whether one is leaving. So the
 * compile step (src/compile/using-unwind.ts) wraps the rest of every block
 * that declares `using` in a `try … catch` that calls `unwinding(guards…)`
 * and rethrows: the guards learn that the block is being left by a throw
 * just before the native disposal releases them.
 *
 * Only a panic poisons. weft throws its own errors where Rust returns
 * `Err(…)` (a RecvError from `recv`, a SendError, a PoisonError…; see
 * sync/errors.ts): one of those leaving a block is an `Err` passed up, as
 * Rust's `?` does, and the guards are dropped without poisoning. Anything
 * else thrown is a panic.
 */

/** Guards that poison their lock when dropped during an unwind (MutexGuard, RwLockWriteGuard) implement this. */
export const UNWINDING = Symbol('weft.unwinding');

/** Set on the prototype of weft's errors that stand for Rust's `Err` values (markErrValue). */
const ERR_VALUE = Symbol('weft.errValue');

/** Marks an error class whose instances stand for a Rust `Err(…)`, not a panic: they do not poison a guard they pass. */
export function markErrValue(cls: abstract new (...args: never[]) => Error): void {
  Object.defineProperty(cls.prototype, ERR_VALUE, { value: true });
}

/** True for a panic: any thrown value but weft's own `Err` errors. */
export function isPanic(error: unknown): boolean {
  return !(typeof error === 'object' && error !== null && ERR_VALUE in error);
}

interface Unwindable {
  [UNWINDING](): void;
}

/** `__weft.unwinding` in compiled programs: what a throw leaving a block threw, and the resources that block declared. */
export function unwinding(error: unknown, ...resources: unknown[]): void {
  if (!isPanic(error)) return;
  for (const resource of resources) {
    if (typeof resource === 'object' && resource !== null && typeof (resource as Partial<Unwindable>)[UNWINDING] === 'function') {
      (resource as Unwindable)[UNWINDING]();
    }
  }
}

// Kept when this module loads, before any program code runs: a program that replaces them changes nothing here.
const apply = Reflect.apply;
/** The arguments of every dispose call: one frozen array, not a new one per `using` (issue 15: the lock path). */
const NO_ARGS: readonly unknown[] = Object.freeze([]);
const disposeKey: typeof Symbol.dispose = Symbol.dispose;
const Suppressed = (globalThis as { SuppressedError?: new (error: unknown, suppressed: unknown, message?: string) => Error }).SuppressedError;

/**
 * `__weft.disposer` in compiled programs: the dispose method of what a `using`
 * declaration declares, looked up when it is declared, as the declaration
 * does (undefined for null and undefined, which a `using` allows; a
 * TypeError for anything else without one).
 *
 * The compile step lowers `using` to `const` and a `try … finally` that calls
 * `dispose` (compile/using-unwind.ts): V8's own `using` costs ~400 ns a
 * declaration (Node 24, Chromium 156), which made the book's way of holding a
 * lock (`using g = m.lock()`) 2.5× slower than an explicit `unlock()`; the
 * lowered form costs a few ns.
 */
export function disposer(resource: unknown): (() => void) | undefined {
  if (resource === null || resource === undefined) return undefined;
  const method = (resource as { [Symbol.dispose]?: unknown })[disposeKey];
  if (typeof method !== 'function') {
    throw new TypeError('using: the value declared is not disposable (it has no [Symbol.dispose]() method)');
  }
  return method as () => void;
}

/**
 * One dispose method that `dispose` calls without Reflect.apply: the
 * hottest, MutexGuard's (sync/mutex.ts). `call(resource)` must do exactly
 * what calling `method` with `this` = resource does (a TypeError for a
 * resource that is not of its class included). Reflect.apply on a method
 * known only at run time is not inlined: it cost ~4.5 of the ~9 ns a
 * `using` added to lock/unlock (issue 15).
 */
const direct: { method: unknown; call: (resource: unknown) => void } = { method: undefined, call: () => {} };

/** Registers the dispose method `dispose` calls directly (see `direct`); once, when its module loads. */
export function disposeDirectly<R>(method: (this: R) => void, call: (resource: R) => void): void {
  direct.method = method;
  direct.call = call as (resource: unknown) => void;
}

/**
 * `__weft.dispose` in compiled programs: disposes a `using` declaration's
 * resource as its block ends, then rethrows what the block threw, if it
 * threw (`failed`). A dispose that throws while the block was already
 * throwing gives a SuppressedError, as the native `using` does.
 */
export function dispose(resource: unknown, method: (() => void) | undefined, failed: boolean, error: unknown): void {
  // The usual case, kept short so V8 inlines it into the block: MutexGuard's method, the block not throwing.
  if (method === direct.method && method !== undefined && !failed) {
    direct.call(resource);
    return;
  }
  disposeAny(resource, method, failed, error);
}

/** `dispose` for any other method, or a block that threw. */
function disposeAny(resource: unknown, method: (() => void) | undefined, failed: boolean, error: unknown): void {
  if (method !== undefined) {
    try {
      if (method === direct.method) direct.call(resource);
      else apply(method, resource, NO_ARGS);
    } catch (disposeError) {
      throw failed ? suppressed(disposeError, error) : disposeError;
    }
  }
  if (failed) throw error;
}

/** What a dispose that threw while its block was throwing gives: a SuppressedError (apart from dispose, which V8 then inlines more readily). */
function suppressed(disposeError: unknown, error: unknown): Error {
  if (Suppressed !== undefined) return new Suppressed(disposeError, error, 'An error was suppressed during disposal.');
  return Object.assign(new Error('An error was suppressed during disposal.'), { name: 'SuppressedError', error: disposeError, suppressed: error });
}
