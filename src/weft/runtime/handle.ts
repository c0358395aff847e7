/**
 * What every shareable weft object has in common: it lives in run memory at
 * `addr`, it can be encoded into a message as (kind, addr), and it can be
 * *moved*: after a move the old JS object is a tombstone and using it throws
 * Rust's "use of moved value".
 */
import { context, type SourceLocation } from './context.ts';

/** Where a handle went when it was moved. */
export interface MoveTarget {
  /** "thread 'worker-1'", "the channel", "an Arc" */
  into: string;
  /** The reader's variable, when known (closure captures). */
  variable?: string;
  location?: SourceLocation;
}

export class MovedValueError extends Error {
  constructor(what: string, target: MoveTarget) {
    const name = target.variable !== undefined ? ` \`${target.variable}\`` : '';
    const where = target.location !== undefined ? ` at line ${target.location.line}` : '';
    const hint = target.variable === undefined ? '' : moveHint(what, target.into, target.variable);
    super(`use of moved value${name}: this ${what} was moved into ${target.into}${where}.${hint}`);
    this.name = 'MovedValueError';
  }
}

/** How to keep using a value the reader moved into a thread or a task. */
function moveHint(what: string, into: string, v: string): string {
  const clonable = what === 'Arc' || what === 'Sender' || what === 'SyncSender' || what === 'UnboundedSender';
  if (into.startsWith('task')) {
    return clonable ? ` To keep one, clone it before the spawn (\`const ${v}2 = ${v}.clone()\`) and use the clone in the task.` : '';
  }
  if (!into.startsWith('thread')) return '';
  return clonable
    ? ` To share it, clone it before the spawn (\`const ${v}2 = ${v}.clone()\`) and move the clone.`
    : ` To share it, put it in an Arc (\`const ${v} = new Arc(...)\`) and move a clone of the Arc into each thread.`;
}

/** Kinds of handle in the wire format; one number each, never reused. */
export const HandleKind = {
  Mutex: 1,
  Arc: 2,
  Sender: 3,
  Receiver: 4,
  JoinHandle: 5,
  Atomic: 6,
  Condvar: 7,
  RwLock: 8,
  Barrier: 9,
  SyncSender: 10,
  Once: 11,
  OnceLock: 12,
  Thread: 13,
  AbortHandle: 14,
  Scope: 15,
  ThreadPool: 16,
  LazyLock: 17,
  Weak: 18,
  /** One of weft/task's async primitives, which stay on their thread (runtime/local-handle.ts). */
  Local: 19,
  /** A thread's `ThreadId`: plain data (the id), copied, and the same object again on the thread it arrives in (thread.ts). */
  ThreadId: 20,
} as const;
export type HandleKind = (typeof HandleKind)[keyof typeof HandleKind];

export const ENCODE = Symbol('weft.encode');
export const MOVE = Symbol('weft.move');
/**
 * Told to a handle copied, not moved, into storage that outlives the copier's borrow (a lock's value written back
 * by a guard, runtime/codec.ts encodeLent): its owner still has it and will drop it, so the copy is not counted.
 * A channel then never frees itself (sync/mpsc.ts, "Freeing").
 */
export const LENT = Symbol('weft.lent');

export interface Encodable {
  /** (kind, addr, extra) written into the message; `extra` carries e.g. a typed array's element type. */
  [ENCODE](): { kind: HandleKind; addr: number };
  /** Called once the message holding this handle is complete, when the handle is moved (not borrowed). */
  [MOVE](target: MoveTarget): void;
}

export function isEncodable(value: object): value is Encodable {
  return ENCODE in value;
}

type Decoder = (addr: number, owned: boolean) => object;
const decoders = new Map<number, Decoder>();

/** Each handle module registers how to rebuild its objects from an address. */
export function registerDecoder(kind: HandleKind, decode: Decoder): void {
  decoders.set(kind, decode);
}

export function decodeHandle(kind: number, addr: number, owned: boolean): object {
  const decode = decoders.get(kind);
  if (decode === undefined) throw new Error(`weft internal error: no decoder for handle kind ${kind}`);
  return decode(addr, owned);
}

/**
 * What a handle answers at the end of the block of the local variable that
 * holds it, when the compile step has seen that the variable never lets it
 * go (compile/local-drops.ts): its record is freed, as Rust drops a local
 * there, unless something else may still reach it.
 */
export const FREE_LOCAL = Symbol('weft.freeLocal');

/**
 * What a lock answers `drop(lock)` with (sync/drop.ts): the handle `new` made owns the lock, so its value is
 * dropped with it, as Rust's `drop(Mutex::new(tx))` drops tx; it returns false for a handle decoded from
 * elsewhere (an Arc's value, a thread's capture), which only borrows the lock: Rust's `drop(&m)` does nothing.
 */
export const DROP_OWNED = Symbol('weft.dropOwned');

const DROPPED_AT_BLOCK_END: MoveTarget = Object.freeze({ into: 'its drop at the end of the block that declared it' });

/** Base for handle classes: moved-state bookkeeping and the usable check. */
export abstract class MovableHandle implements Encodable {
  #moved: MoveTarget | undefined;
  /** Encoded at least once (sent, moved or lent to a thread, put in an Arc or a lock): no longer this object's alone. */
  #escaped = false;
  protected abstract readonly what: string;
  abstract [ENCODE](): { kind: HandleKind; addr: number };

  [MOVE](target: MoveTarget): void {
    this.assertUsable();
    this.#moved = target;
    this.onMoved();
  }

  /** Hook: a moved handle stops being owned by this thread. */
  protected onMoved(): void {
    const owned = this as unknown as { dropOnExit?: unknown };
    if (typeof owned.dropOnExit === 'function') {
      context().owned.delete(this as never);
    }
  }

  protected assertUsable(): void {
    if (this.#moved !== undefined) throw new MovedValueError(this.what, this.#moved);
  }

  protected get isMoved(): boolean {
    return this.#moved !== undefined;
  }

  /**
   * The end of a local variable's block (FREE_LOCAL): true when its record may be freed, and then this handle is
   * spent (a later use is refused, never a read of memory given to something else); the caller drops what the
   * record holds and frees it (RunMemory.freeRecord). False when it was encoded (another thread, an Arc, a channel
   * or a lock's value may hold a copy of it), moved, or is `busy` (a guard that left the block still holds its
   * lock): then the record stays, as every record did before.
   */
  protected spendLocal(busy: boolean): boolean {
    if (this.#escaped || this.#moved !== undefined || busy) return false;
    this.#moved = DROPPED_AT_BLOCK_END;
    return true;
  }

  /** @internal The codec encodes `handle` (runtime/codec.ts, task/move.ts): it may be reached from elsewhere from now on. */
  static noteEncoded(handle: object): void {
    if (#escaped in handle) handle.#escaped = true;
  }

  /** @internal see `moveRecord`. */
  static moveRecordOf(handle: object): { what: string; target: MoveTarget } | undefined {
    if (!(#moved in handle) || handle.#moved === undefined) return undefined;
    return { what: handle.what, target: handle.#moved };
  }
}

/** A handle that is a Proxy around its MovableHandle (an Arc) answers this key with the handle itself. */
export const HANDLE_TARGET = Symbol('weft.handleTarget');
/**
 * What the console prints in place of a value that prints as another (an Arc prints its value, as Rust's
 * Display and Debug for `Arc<T>` print the `T`): runner/worker/format.ts reads it.
 */
export const DISPLAY_AS = Symbol.for('weft.displayAs');
/**
 * What the console prints for a value whose Rust Debug is a struct (`Mutex { data: 7, poisoned: false, .. }`): a
 * method giving its name, its fields (each formatted as the console formats a value) and whether Rust ends it with
 * `..` (finish_non_exhaustive). runner/worker/format.ts reads it.
 */
export const DEBUG_STRUCT = Symbol.for('weft.debugStruct');
export interface DebugStruct {
  name: string;
  fields: Record<string, unknown>;
  nonExhaustive: boolean;
}

/** Where a moved handle went, and what kind of handle it is; undefined for a handle still here (or any other value). */
export function moveRecord(value: object): { what: string; target: MoveTarget } | undefined {
  const handle = (value as { [HANDLE_TARGET]?: object })[HANDLE_TARGET] ?? value;
  return MovableHandle.moveRecordOf(handle);
}
