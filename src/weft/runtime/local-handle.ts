/**
 * weft/task's async primitives in an Arc: `new Arc(new Mutex(0))`, the way
 * every Tokio program shares a `tokio::sync::Mutex` between tasks.
 *
 * weft/task's Mutex, RwLock, Semaphore, Notify, OnceCell and Barrier are
 * JavaScript objects of one thread: its runtime runs every task that uses
 * them (weft/task is current-thread). An Arc is made for crossing threads:
 * it encodes its value into run memory. So these primitives encode as a
 * *local* handle: an address (a one-word record, unique in the run) that
 * this thread maps back to the very object, so every clone of the Arc on
 * this thread shares it, as Tokio's Arc does. Such an Arc may be cloned,
 * moved into tasks and dropped freely; sending it, or the primitive itself,
 * to another thread throws NotSendError at the sending line, because the
 * other thread's runtime could not wake this one's tasks (Tokio's
 * multi-threaded runtime can: weft cannot, see weft/task.ts).
 *
 * Known limit: the map keeps each primitive ever put into an Arc (one entry
 * and one word of run memory per primitive, not per Arc) until the thread
 * ends.
 */
import { context } from './context.ts';
import { ENCODE, HandleKind, MOVE, registerDecoder } from './handle.ts';
import { NotSendError } from './codec.ts';
import { runLocal } from './run-local.ts';

const objects = new Map<number, object>();
const addresses = new WeakMap<object, number>();
/** Nonzero while a value is encoded to stay on this thread (into an Arc, or an Arc moved into a task). */
let sameThread = 0;
runLocal(() => {
  objects.clear();
  sameThread = 0;
});

/** Whether the value being encoded stays on this thread. */
export function encodingOnThisThread(): boolean {
  return sameThread !== 0;
}

/** Runs `encode`, during which local handles may be encoded (the value stays on this thread). */
export function onThisThread<T>(encode: () => T): T {
  sameThread++;
  try {
    return encode();
  } finally {
    sameThread--;
  }
}

const WHY =
  "weft/task's async primitives belong to the runtime of the thread that made them (weft/task runs every task of a thread on that thread), " +
  'so they cannot cross threads; tasks share them, in an Arc or not. To share state with a spawnBlocking closure or another thread, ' +
  "use weft/sync's Mutex, or send messages on a channel";

/** Whether `value` is one of weft/task's primitives that encode as a local handle. */
export function isLocalHandle(value: unknown): boolean {
  return typeof value === 'object' && value !== null && LOCAL in value;
}

const LOCAL = Symbol('weft.localHandle');

/** Makes `Class`'s objects encodable as local handles (`what`: "a weft/task Mutex"). */
export function localHandle(Class: { prototype: object }, what: string): void {
  Object.defineProperties(Class.prototype, {
    [LOCAL]: { value: what },
    [ENCODE]: {
      value(this: object) {
        if (sameThread === 0) throw new NotSendError(`${what} cannot be sent to another thread: ${WHY}`);
        let addr = addresses.get(this);
        if (addr === undefined) {
          addr = context().memory.allocRecord(1);
          addresses.set(this, addr);
          objects.set(addr, this);
        }
        return { kind: HandleKind.Local, addr };
      },
    },
    // Shared, not moved: the object stays usable where it was.
    [MOVE]: { value() {} },
  });
}

/** Throws, naming the primitive, when an Arc holding a local handle (in `value`) is about to cross threads. */
export function refuseLocalHandles(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 16) return;
  if (isLocalHandle(value)) {
    throw new NotSendError(`an Arc holding ${(value as Record<symbol, string>)[LOCAL]} cannot be sent to another thread: ${WHY}`);
  }
  if (Array.isArray(value)) for (const item of value) refuseLocalHandles(item, depth + 1);
  else if (Object.getPrototypeOf(value) === Object.prototype) for (const item of Object.values(value)) refuseLocalHandles(item, depth + 1);
}

registerDecoder(HandleKind.Local, (addr) => {
  const found = objects.get(addr);
  if (found === undefined) throw new NotSendError(`this Arc holds one of weft/task's async primitives, made on another thread: ${WHY}`);
  return found;
});
