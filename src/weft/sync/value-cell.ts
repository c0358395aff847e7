/**
 * A value held in run memory by a lock-like primitive (Mutex, RwLock,
 * OnceLock): the one place that decides how a JavaScript value is stored
 * there, so every primitive pays the same, documented copy cost.
 *
 * The cell is four fields inside the primitive's record (word indices given
 * by a `CellLayout`): the value's kind, a bytes pointer and length, and an
 * inline float64 (two words, 8-aligned).
 *   kind 0  undefined
 *   kind 1  a number, stored inline: 8 bytes, no encoding (the fast path)
 *   kind 2  anything else, encoded with the codec (runtime/codec.ts): time
 *           and memory proportional to the value's size, on every store and
 *           on every load that reads it
 *   kind 3  dropped with its primitive (dropValue): its bytes are freed, and
 *           a load is an error. The record itself stays (a handle to it may
 *           still lock it, in a program Rust would not compile), so nothing
 *           can write into memory given to something else.
 *   kind 4  as 2, written back by OnceLock's getMut with handles in it:
 *           those were copied, not moved (a handle pushed into the value is
 *           still its thread's, which drops it), so dropping the primitive
 *           frees the bytes but drops none of them.
 *
 * A Mutex's or RwLock's guard writes its value back as Rust's `&mut` would
 * have changed it (writeBackValue): handles it put in move into the lock,
 * handles it took out become its thread's, handles that stayed stay the
 * lock's, and what an assignment overwrote unseen is dropped. The value
 * stays kind 2, so the lock's drop drops what it holds.
 */
import { callerLocation, context } from '../runtime/context.ts';
import { decodeValue, encodeLent, encodeValue, encodeWithHandles, isBufferMove, mayHoldHandles } from '../runtime/codec.ts';
import { dropTree, own } from '../runtime/ownership.ts';
import { HANDLE_TARGET, MOVE, moveRecord, type Encodable, type MoveTarget } from '../runtime/handle.ts';

/** Where a cell's fields are, as Int32 word indices from the record's start. */
export interface CellLayout {
  kind: number;
  ptr: number;
  len: number;
  /** First of the two words of the inline float64; must be even (8-aligned). */
  number: number;
}

const Kind = { undefined: 0, number: 1, bytes: 2, dropped: 3, lent: 4 } as const;
const holdsBytes = (kind: number | undefined): boolean => kind === Kind.bytes || kind === Kind.lent;

/**
 * Writes `value` into the cell of the record at `addr`. With `moveInto`, the
 * handles inside the value move into the primitive (a fresh value: "a
 * Mutex"); without it they are borrowed (a guard writing its copy back).
 */
export function storeValue(addr: number, layout: CellLayout, value: unknown, moveInto?: string): void {
  const { memory } = context();
  const i32 = memory.i32;
  const base = addr >> 2;
  const oldKind = i32[base + layout.kind];
  if (typeof value === 'number') {
    memory.f64[(addr >> 3) + (layout.number >> 1)] = value;
    i32[base + layout.kind] = Kind.number;
  } else if (value === undefined) {
    i32[base + layout.kind] = Kind.undefined;
  } else {
    let bytes: Uint8Array;
    let kind: number = Kind.bytes;
    if (moveInto !== undefined) bytes = encodeValue(value, { mode: 'move', target: { into: moveInto } });
    else {
      const encoded = encodeLent(value);
      bytes = encoded.bytes;
      if (encoded.lent) kind = Kind.lent;
    }
    storeBytes(addr, layout, oldKind, bytes, kind);
    return;
  }
  if (holdsBytes(oldKind) && i32[base + layout.ptr] !== 0) {
    memory.free(i32[base + layout.ptr]!);
    i32[base + layout.ptr] = 0;
  }
}

/** Puts encoded bytes in the cell (reusing its old block when they fit) and sets its kind. */
function storeBytes(addr: number, layout: CellLayout, oldKind: number | undefined, bytes: Uint8Array, kind: number): void {
  const { memory } = context();
  const i32 = memory.i32;
  const base = addr >> 2;
  const ptr = i32[base + layout.ptr]!;
  if (holdsBytes(oldKind) && ptr !== 0 && memory.capacity(ptr) >= bytes.length) {
    memory.u8.set(bytes, ptr);
  } else {
    if (holdsBytes(oldKind) && ptr !== 0) memory.free(ptr);
    i32[base + layout.ptr] = memory.store(bytes);
  }
  i32[base + layout.len] = bytes.length;
  i32[base + layout.kind] = kind;
}

/** A fresh copy of the cell's value (handles inside are borrowed, not owned). `what` names the primitive in an error. */
export function loadValue(addr: number, layout: CellLayout, what = 'lock'): unknown {
  const { memory } = context();
  const base = addr >> 2;
  switch (memory.i32[base + layout.kind]) {
    case Kind.number:
      return memory.f64[(addr >> 3) + (layout.number >> 1)];
    case Kind.bytes:
    case Kind.lent:
      return decodeValue(memory.read(memory.i32[base + layout.ptr]!, memory.i32[base + layout.len]!), { owned: false });
    case Kind.dropped:
      throw new Error(
        `use of dropped value: this ${what} was dropped with what held it (the last Arc of it, or a message nobody received), and its value with it`,
      );
    default:
      return undefined;
  }
}

/**
 * loadValue for a guard that may write the value back (a Mutex's, an RwLock's write guard): the handles decoded
 * from it are added to `seen`, so that writeBackValue can tell what the guard took out, left in or put in.
 */
export function loadValueSeeing(addr: number, layout: CellLayout, what: string, seen: object[]): unknown {
  const { memory } = context();
  const base = addr >> 2;
  if (memory.i32[base + layout.kind] !== Kind.bytes) return loadValue(addr, layout, what);
  return decodeValue(memory.read(memory.i32[base + layout.ptr]!, memory.i32[base + layout.len]!), { owned: false, handles: seen });
}

/**
 * A guard's value written back into its lock, with Rust's ownership: the lock owns its value, and a guard is a
 * `&mut` to it. `seen`: the handles the guard decoded when it read the value (loadValueSeeing), or null if it
 * never read it. Then:
 *   - a handle the guard read and left in the value stays the lock's;
 *   - a handle the guard read and took out is now its thread's (`const tx = g.value; g.value = null` is Rust's
 *     `take()`): the thread drops it when it ends, or when the reader drops it;
 *   - a handle put in from elsewhere moves into the lock (`into` names it in "use of moved value");
 *   - what an assignment overwrote without the guard reading it is dropped now, as Rust drops it.
 * Before this, a guard wrote every handle back as a copy (kind 4), which nobody dropped: an `Arc<Mutex<Sender>>`
 * whose Sender was sent on once through a guard never closed its channel.
 */
export function writeBackValue(addr: number, layout: CellLayout, value: unknown, into: string, seen: readonly object[] | null): void {
  const { memory } = context();
  const i32 = memory.i32;
  const base = addr >> 2;
  const oldKind = i32[base + layout.kind];
  let handles: readonly Encodable[] = NO_HANDLES;
  let bytes: Uint8Array | undefined;
  if (typeof value !== 'number' && value !== undefined) ({ bytes, handles } = encodeWithHandles(value));
  let overwritten: unknown;
  let dropOverwritten = false;
  if (oldKind === Kind.bytes && i32[base + layout.ptr] !== 0) {
    if (seen === null) {
      // Never read through this guard: nothing of this thread's can hold what it held. Decoded only if it may hold a handle.
      const ptr = i32[base + layout.ptr]!;
      const len = i32[base + layout.len]!;
      if (mayHoldHandles(memory.u8.subarray(ptr, ptr + len))) {
        overwritten = decodeValue(memory.read(ptr, len), { owned: true });
        dropOverwritten = true;
      }
    } else {
      for (const handle of seen) if (!handles.includes(handle as Encodable)) adopt(handle);
    }
  }
  // A buffer in the value is copied, as a guard always wrote it (moving it would detach the reader's own array).
  for (const handle of handles) if ((seen === null || !seen.includes(handle)) && !isBufferMove(handle)) handle[MOVE]({ into });
  if (bytes === undefined) {
    storeValue(addr, layout, value);
  } else {
    storeBytes(addr, layout, oldKind, bytes, Kind.bytes);
  }
  if (dropOverwritten) dropTree(overwritten);
}

const NO_HANDLES: readonly Encodable[] = Object.freeze([]);

/**
 * `drop(lock)` of the Mutex or RwLock `new` made (handle.ts DROP_OWNED): refused while a guard holds it (`busyWord`,
 * the lock's state word, is not 0), else the handle is spent and the value dropped, as Rust drops a lock with its value.
 */
export function dropOwnedLock(handle: { [MOVE](target: MoveTarget): void }, addr: number, layout: CellLayout, busyWord: number, what: string): void {
  if (Atomics.load(context().memory.i32, (addr >> 2) + busyWord) !== 0) {
    throw new Error(`cannot drop this ${what} while its lock is held: in Rust a guard borrows it, so the drop would not compile. Release the guard first`);
  }
  handle[MOVE]({ into: 'drop()', location: callerLocation() });
  dropValue(addr, layout);
}

/** A handle a guard took out of its lock's value: its thread owns it now (and drops it when it ends). */
function adopt(handle: object): void {
  try {
    if (moveRecord(handle) !== undefined) return; // moved on already (sent, or into a thread): its new owner has it
    const target = (handle as { [HANDLE_TARGET]?: object })[HANDLE_TARGET] ?? handle;
    if (typeof (target as { dropOnExit?: unknown }).dropOnExit === 'function') own(target as never);
  } catch {
    // A handle moved into a task is a tombstone that throws on any read: the task owns it.
  }
}

/**
 * The cell's primitive is dropped (runtime/ownership.ts DROP_CONTENTS): its
 * value is dropped too, the handles inside it first, and its bytes freed.
 * Once only: a second drop (two values held the same lock) does nothing.
 */
export function dropValue(addr: number, layout: CellLayout): void {
  const { memory } = context();
  const i32 = memory.i32;
  const base = addr >> 2;
  const kind = i32[base + layout.kind];
  if (kind === Kind.dropped) return;
  i32[base + layout.kind] = Kind.dropped;
  const ptr = i32[base + layout.ptr]!;
  if (!holdsBytes(kind) || ptr === 0) return;
  i32[base + layout.ptr] = 0;
  if (kind === Kind.lent) {
    // Copies of handles their owners still hold and will drop: not this lock's to drop.
    memory.free(ptr);
    return;
  }
  const value = decodeValue(memory.read(ptr, i32[base + layout.len]!), { owned: true });
  memory.free(ptr);
  dropTree(value);
}

/**
 * Takes the cell's value out, leaving it undefined (`OnceLock.take`): the
 * handles inside now belong to the caller (unless a guard wrote them back as
 * copies, kind 4: their owners still hold them), and the bytes are freed.
 */
export function takeValue(addr: number, layout: CellLayout, what = 'lock'): unknown {
  const { memory } = context();
  const i32 = memory.i32;
  const base = addr >> 2;
  const kind = i32[base + layout.kind];
  if (!holdsBytes(kind)) {
    const value = loadValue(addr, layout, what);
    i32[base + layout.kind] = Kind.undefined;
    return value;
  }
  const ptr = i32[base + layout.ptr]!;
  const value = decodeValue(memory.read(ptr, i32[base + layout.len]!), { owned: kind === Kind.bytes });
  memory.free(ptr);
  i32[base + layout.ptr] = 0;
  i32[base + layout.kind] = Kind.undefined;
  return value;
}

/** Whether the cell's primitive was dropped (kind 3). */
export function isDroppedValue(addr: number, layout: CellLayout): boolean {
  return context().memory.i32[(addr >> 2) + layout.kind] === Kind.dropped;
}
