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
 *   kind 4  as 2, written back by a guard with handles in it: those were
 *           copied, not moved (a handle pushed into a guard's value is still
 *           its thread's, which drops it), so dropping the primitive frees
 *           the bytes but drops none of them.
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeLent, encodeValue } from '../runtime/codec.ts';
import { dropTree } from '../runtime/ownership.ts';

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
    const ptr = i32[base + layout.ptr]!;
    if (holdsBytes(oldKind) && ptr !== 0 && memory.capacity(ptr) >= bytes.length) {
      memory.u8.set(bytes, ptr);
    } else {
      if (holdsBytes(oldKind) && ptr !== 0) memory.free(ptr);
      i32[base + layout.ptr] = memory.store(bytes);
    }
    i32[base + layout.len] = bytes.length;
    i32[base + layout.kind] = kind;
    return;
  }
  if (holdsBytes(oldKind) && i32[base + layout.ptr] !== 0) {
    memory.free(i32[base + layout.ptr]!);
    i32[base + layout.ptr] = 0;
  }
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
