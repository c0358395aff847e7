/**
 * `await m.lock();` as a statement: Rust drops the value of an expression
 * statement at its end, so `m.lock().await;` unlocks at once,
 * `sem.acquire().await?;` gives the permit back and `tx.reserve().await?;`
 * frees the slot it reserved (waiting for the lock, a permit or room without
 * keeping it). JavaScript just discards the value, and a discarded guard
 * would hold its lock for ever. The compile step passes the value of every
 * `await` that is a statement of its own to `discardAwaited`
 * (compile/async-lowering.ts), which drops what weft/task hands out to be
 * held: a lock guard, a Semaphore permit, an mpsc Permit. Other values
 * (channel ends, a task's result) are left alone: JavaScript code often
 * keeps another reference to those.
 */
import { Guard } from './sync/guard.ts';
import { dropOwned } from '../sync/drop.ts';
import { SemaphorePermit } from './sync/semaphore.ts';
import { OwnedPermit, Permit, PermitIterator } from './sync/mpsc.ts';

/** Drops the value of an `await` statement if it is a guard or a permit, as Rust drops a statement's temporary. */
export function discardAwaited(value: unknown): void {
  if (value instanceof Guard || value instanceof SemaphorePermit || value instanceof Permit || value instanceof OwnedPermit || value instanceof PermitIterator) {
    value[Symbol.dispose]();
  }
}

/**
 * `x.clone().downgrade()` and `x.clone().subscribe()`, rewritten by the
 * compile step (compile/temporary-clones.ts): calls `method` on the
 * temporary clone, then drops the clone, as Rust drops a statement's
 * temporary, so a WeakSender made so does not keep its channel open.
 */
export function viaTemporary(temporary: unknown, method: string): unknown {
  const made = (temporary as Record<string, () => unknown>)[method]!();
  dropOwned(temporary);
  return made;
}
