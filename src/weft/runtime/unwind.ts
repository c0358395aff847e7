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
 */

/** Guards that poison their lock when dropped during an unwind (MutexGuard, RwLockWriteGuard) implement this. */
export const UNWINDING = Symbol('weft.unwinding');

interface Unwindable {
  [UNWINDING](): void;
}

/** `__weft.unwinding` in compiled programs: the resources of a block a throw is leaving. */
export function unwinding(...resources: unknown[]): void {
  for (const resource of resources) {
    if (typeof resource === 'object' && resource !== null && typeof (resource as Partial<Unwindable>)[UNWINDING] === 'function') {
      (resource as Unwindable)[UNWINDING]();
    }
  }
}
