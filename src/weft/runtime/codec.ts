/**
 * The value codec: how a JavaScript value crosses threads through run memory.
 *
 * Browsers expose no synchronous structured clone into a SharedArrayBuffer,
 * and a blocked thread cannot receive a postMessage, so weft serializes
 * values itself. The rules follow structured clone (plain data is copied)
 * plus Rust's `Send`: functions and instances of classes with methods cannot
 * cross; weft handles cross as (kind, address) and are moved or borrowed.
 *
 * Format: one tag byte per value, little-endian numbers.
 */
import { decodeHandle, isEncodable, LENT, MOVE, ENCODE, MovableHandle, type Encodable, type MoveTarget } from './handle.ts';
import { className, context, hasContext } from './context.ts';

/** Tag bytes of the wire format; never reuse a number. */
const T = {
  undefined: 0,
  null: 1,
  true: 2,
  false: 3,
  int32: 4,
  float64: 5,
  string: 6,
  bigint: 7,
  array: 8,
  object: 9,
  map: 10,
  set: 11,
  date: 12,
  handle: 13,
  typedArray: 14,
  arrayBuffer: 15,
  error: 16,
  regexp: 17,
  hole: 18,
  sharedView: 19,
} as const;

/** The typed array types, in the order of their codes (a type's index is its code: keep new ones at the end). */
export const typedArrayKinds = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
] as const;

/** The built-in error types, by name, kept at load: what an error sent to another thread is rebuilt as. */
const errorTypes = new Map<string, ErrorConstructor>(
  [EvalError, RangeError, ReferenceError, SyntaxError, TypeError, URIError].map((type) => [type.name, type as ErrorConstructor]),
);

const kindByName = new Map<string, number>(typedArrayKinds.map((kind, code) => [kind.name, code]));
/** %TypedArray%.prototype's `Symbol.toStringTag` getter: a typed array's type name, undefined for anything else. Kept at load. */
const typedArrayTag = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Int8Array.prototype) as object, Symbol.toStringTag)!.get!;
/**
 * The code of `value`'s typed array type (its index in `typedArrayKinds`),
 * or -1 when it is not a typed array of one of those types. One call, where
 * an `instanceof` per type cost ~20 ns each.
 */
export function typedArrayKind(value: unknown): number {
  const name = typedArrayTag.call(value) as string | undefined;
  return name === undefined ? -1 : (kindByName.get(name) ?? -1);
}

/** The value cannot cross threads: Rust's missing `Send`. */
export class NotSendError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotSendError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const fromCharCode = String.fromCharCode;
/**
 * Object.prototype.hasOwnProperty, taken before a program runs (it may replace it; Function.prototype, and so
 * `call`, is frozen by then: runner/worker/lockdown.ts). Called as `hasOwnProperty.call(object, key)` on a for-in
 * key, V8 answers it from the loop's own enum cache; `Object.hasOwn(object, key)` it calls for every key: ~30 ns
 * a key, most of the loop over `{ id, name, ok }` (issue 15).
 */
const hasOwnProperty = Object.prototype.hasOwnProperty;
/** Strings up to this many units take the ASCII fast path both ways, when they are ASCII. */
const SHORT_STRING = 32;

/** Where in the value being encoded a step went (Writer.path): only an error message renders it (pathText). */
const P = { index: 0, key: 1, mapKey: 2, mapValue: 3, element: 4 } as const;

class Writer {
  bytes = new Uint8Array(64);
  view = new DataView(this.bytes.buffer);
  /** The same bytes as 32-bit words, through which a staged message is copied into a channel's ring (stageValue). */
  words = new Int32Array(this.bytes.buffer);
  length = 0;
  /** The handles met so far (and the buffers that move with the value), made at the first: most values hold none. */
  handles: Encodable[] | null = null;
  /** The objects on the way down to the value being written (the first `seenLength`): a cycle is one of them again. */
  readonly seen: (object | undefined)[] = [];
  seenLength = 0;
  /**
   * The steps down from the root, as pairs (a P code, an index or key), so
   * that no message text is built unless it is needed; the first
   * `pathLength` entries are the path. Both are stacks with a length of
   * their own: setting an array's length is a call into V8's runtime, and
   * was a third of an object's encode.
   */
  readonly path: unknown[] = [];
  pathLength = 0;
  step(code: number, key: unknown): void {
    this.path[this.pathLength++] = code;
    this.path[this.pathLength++] = key;
  }
  /** What the root is called in a message: 'the value', or a captured variable's name. */
  root = 'the value';
  /**
   * Whether `path` is kept. It is not on the first pass: a value that cannot be sent is encoded again with it
   * (withPath), so that the message says where; the steps were a sixth of an encode of `{ id, name, ok }` (issue 15).
   */
  tracking = false;

  reserve(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
    this.words = new Int32Array(next.buffer);
  }
  u8(v: number): void {
    this.reserve(1);
    this.bytes[this.length++] = v;
  }
  u32(v: number): void {
    this.reserve(4);
    this.view.setUint32(this.length, v, true);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.view.setInt32(this.length, v, true);
    this.length += 4;
  }
  f64(v: number): void {
    this.reserve(8);
    this.view.setFloat64(this.length, v, true);
    this.length += 8;
  }
  string(s: string): void {
    // UTF-8 is at most 3 bytes per UTF-16 unit.
    const n = s.length;
    this.reserve(4 + n * 3);
    if (n <= SHORT_STRING) {
      // A short ASCII string (an object's keys, most names): byte by byte, with no subarray or encoder call.
      const bytes = this.bytes;
      const at = this.length + 4;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[at + i] = c;
      }
      if (i === n) {
        this.view.setUint32(this.length, n, true);
        this.length = at + n;
        return;
      }
    }
    const { written } = encoder.encodeInto(s, this.bytes.subarray(this.length + 4));
    this.view.setUint32(this.length, written, true);
    this.length += 4 + written;
  }
  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.bytes.set(b, this.length);
    this.length += b.length;
  }
  result(): Uint8Array {
    return this.bytes.subarray(0, this.length);
  }
}

/**
 * The thread's Writer, reused by every encode not nested inside another (a
 * getter of the value may itself send): a message, a lock's value written
 * back, a thread's result. A Writer per encode, its DataView, a Set and a
 * path string per nested value were most of a channel send's time and
 * garbage (issue 15). What an encode returns is a copy, so the bytes stay
 * the caller's.
 */
let spare: Writer | null = null;
/** A Writer grown past this by a large value is not kept. */
const SPARE_MAX_BYTES = 64 * 1024;

function takeWriter(root: string): Writer {
  const w = spare ?? new Writer();
  spare = null;
  w.length = 0;
  w.seenLength = 0;
  w.pathLength = 0;
  w.handles = null;
  w.root = root;
  w.tracking = false;
  return w;
}

/**
 * An error of the encoder's own (NotSendError, a moved buffer) from an encode's first pass, which keeps no path, made again by encoding `value` once more with its
 * path kept: the same error, saying where in the value it is (`the value.items[2] is a function`). Any other error,
 * or a second pass that does not fail (a getter that answers differently the second time), gives the first error.
 */
function withPath(error: unknown, value: unknown, root: string): unknown {
  if (!saysWhere(error)) return error;
  const w = new Writer();
  w.root = root;
  w.tracking = true;
  try {
    writeValue(w, value);
  } catch (again) {
    if (saysWhere(again)) return again;
  }
  return error;
}

/** The encoder's own errors, whose message names where in the value they are (pathText); not a getter's own throw. */
const pathErrors = new WeakSet<object>();
function saysWhere(error: unknown): boolean {
  return error instanceof NotSendError || (typeof error === 'object' && error !== null && pathErrors.has(error));
}

function giveBack(w: Writer): void {
  if (w.bytes.length <= SPARE_MAX_BYTES) spare = w;
}

/** The bytes written, as the caller's own copy; the Writer goes back for the next encode. */
function finish(w: Writer): Uint8Array {
  const bytes = w.bytes.slice(0, w.length);
  giveBack(w);
  return bytes;
}

/** The path to where the encoder is, for a message: `the value.items[2]`, `a key of \`m\``. */
function pathText(w: Writer): string {
  let text = w.root;
  const path = w.path;
  for (let i = 0; i < w.pathLength; i += 2) {
    const step = path[i + 1];
    switch (path[i]) {
      case P.index:
        text = `${text}[${String(step)}]`;
        break;
      case P.key:
        text = `${text}.${String(step)}`;
        break;
      case P.mapKey:
        text = `a key of ${text}`;
        break;
      case P.mapValue:
        text = `${text}.get(…)`;
        break;
      case P.element:
        text = `an element of ${text}`;
        break;
    }
  }
  return text;
}

export interface EncodeOptions {
  /** 'move' tombstones every handle once the whole value is encoded; 'borrow' leaves them usable. */
  mode: 'move' | 'borrow';
  /** Where moved handles go, for the "use of moved value" message. */
  target?: MoveTarget;
}

/** The bytes of `value` and the handles inside it, on the thread's Writer. */
function encodeTree(value: unknown): { bytes: Uint8Array; handles: readonly Encodable[] } {
  const writer = stageValue(value) as Writer;
  const handles = writer.handles ?? NO_HANDLES;
  return { bytes: finish(writer), handles };
}

const NO_HANDLES: readonly Encodable[] = Object.freeze([]);

/**
 * A value encoded on the thread's Writer and left there (stageValue): `words`
 * holds its `length` bytes until `releaseStaged` gives the Writer back.
 */
export interface Staged {
  readonly words: Int32Array;
  readonly length: number;
  /** The handles inside (and buffers that move with it), or null: moved by `moveHandles` once the caller commits. */
  readonly handles: readonly Encodable[] | null;
}

/**
 * Encodes a value for a channel's send with no copy of its own: the caller
 * copies the bytes into place (its ring, as 32-bit words) and then calls
 * `releaseStaged`, before any other encode on this thread could want the
 * Writer (one that does meanwhile gets a new Writer, as a nested encode
 * does). A `{ id, name, ok }` message made a Uint8Array and its ArrayBuffer,
 * a handles array, a closure and two records per send before this (issue 15).
 */
export function stageValue(value: unknown): Staged {
  const writer = takeWriter('the value');
  try {
    writeValue(writer, value);
  } catch (error) {
    giveBack(writer);
    throw withPath(error, value, 'the value');
  }
  return writer;
}

/** The staged value's Writer goes back for the next encode; the handles stay the caller's. */
export function releaseStaged(staged: Staged): void {
  giveBack(staged as Writer);
}

/** Moves handles a staged value held (a channel's message, once its send has succeeded). */
export function moveHandles(handles: readonly Encodable[] | null, target: MoveTarget): void {
  if (handles !== null) for (const handle of handles) handle[MOVE](target);
}

/**
 * Encodes a value and moves nothing: its bytes and the handles inside it, for
 * a caller that decides handle by handle (an Arc's value written back after
 * `Arc.getMut`, sync/arc.ts).
 */
export function encodeWithHandles(value: unknown): { bytes: Uint8Array; handles: readonly Encodable[] } {
  return encodeTree(value);
}

/** Encodes a value; throws NotSendError naming what cannot cross. */
export function encodeValue(value: unknown, options: EncodeOptions): Uint8Array {
  const { bytes, handles } = encodeTree(value);
  if (options.mode === 'move') {
    for (const handle of handles) handle[MOVE](options.target ?? { into: 'another thread' });
  }
  return bytes;
}

/**
 * Encodes a value in borrow mode into storage that outlives the borrow (a lock's value written back by a guard):
 * each handle inside that cares is told (LENT). `lent`: whether the value holds any handle.
 */
export function encodeLent(value: unknown): { bytes: Uint8Array; lent: boolean } {
  const { bytes, handles } = encodeTree(value);
  for (const handle of handles) (handle as { [LENT]?: () => void })[LENT]?.();
  return { bytes, lent: handles.length > 0 };
}

/**
 * Encodes a record of named values (a closure's captures), naming the
 * offending variable in errors and in each handle's move record.
 */
export function encodeCaptures(captures: Record<string, unknown>, options: EncodeOptions): Uint8Array {
  const writer = takeWriter('');
  try {
    return writeCaptures(writer, captures, options);
  } catch (error) {
    giveBack(writer);
    throw error;
  }
}

function writeCaptures(writer: Writer, captures: Record<string, unknown>, options: EncodeOptions): Uint8Array {
  const keys = Object.keys(captures);
  const moved: Array<[Encodable, string]> = [];
  writer.u8(T.object);
  writer.u32(keys.length);
  for (const key of keys) {
    writer.string(key);
    writer.handles = null;
    writer.root = `\`${key}\``;
    writer.pathLength = 0;
    writer.seenLength = 0;
    try {
      writeValue(writer, captures[key]);
    } catch (first) {
      const error = withPath(first, captures[key], `\`${key}\``);
      if (error instanceof NotSendError) {
        throw new NotSendError(`cannot move \`${key}\` into a thread: ${error.message}`);
      }
      throw error;
    }
    // writeValue set it (TypeScript's narrowing of the `null` above does not see that).
    const met = writer.handles as Encodable[] | null;
    if (met !== null) for (const handle of met) moved.push([handle, key]);
  }
  if (options.mode === 'move') {
    for (const [handle, variable] of moved) {
      // Not a spread: `location` may be a getter that maps a stack only when a message needs it.
      const target = options.target ?? { into: 'another thread' };
      handle[MOVE]({
        into: target.into,
        variable,
        get location() {
          return target.location;
        },
      });
    }
  }
  return finish(writer);
}

/**
 * An ArrayBuffer moves as postMessage's transfer list moves it: the bytes
 * arrive on the other side and the sender's buffer is detached (length 0),
 * so reading it afterwards finds nothing, as Rust's moved Vec cannot be read.
 * A typed array moves its whole buffer. Borrowing (scoped threads) copies.
 */
/** Marks encodeTree's stand-in for a buffer (transferOnMove): moving it detaches the buffer, as a transfer does. */
const BUFFER_MOVE = Symbol('weft.bufferMove');

/**
 * False when an encoding surely holds no weft handle (no byte of it is the handle tag): what a lock's value
 * overwritten unseen holds is then dropped without decoding it (sync/value-cell.ts). True may be a false alarm.
 */
export function mayHoldHandles(bytes: Uint8Array): boolean {
  return bytes.indexOf(T.handle) >= 0;
}

/** True for encodeTree's stand-in for an ArrayBuffer or typed array's buffer, not a weft handle. */
export function isBufferMove(handle: object): boolean {
  return BUFFER_MOVE in handle;
}

function transferOnMove(buffer: ArrayBuffer): Encodable {
  const stand: Encodable & { [BUFFER_MOVE]?: true } = {
    [BUFFER_MOVE]: true,
    [ENCODE]: () => {
      throw new Error('weft: a buffer is not a handle');
    },
    [MOVE]: () => {
      if (!buffer.detached) buffer.transfer();
    },
  };
  return stand;
}

/** A SharedArrayBuffer the program made itself (not weft's run memory, which every thread shares already). */
function isForeignShared(buffer: unknown): boolean {
  return typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer;
}

/**
 * A SharedArrayBuffer of the program's own crossing into another thread: weft's threads share weft's memory, not
 * buffers made with `new SharedArrayBuffer`, and copying it would lose every write the other thread makes (a copy
 * of shared memory is not shared), so it is refused.
 */
function foreignShared(w: Writer, what: string): Error {
  return new NotSendError(
    `${pathText(w)} is ${/^[AEIOU]/.test(what) ? 'an' : 'a'} ${what === 'SharedArrayBuffer' ? what : `${what} on a SharedArrayBuffer`} the program made: weft's threads cannot share it ` +
      '(it would arrive as a copy, and writes to it would be lost). Use sharedArray(Int32Array, n) from weft/par, which every thread shares, ' +
      'with Atomics on it if threads write the same places, or an atomic from weft/sync.',
  );
}

/** A typed array or ArrayBuffer sent or captured again after it moved: empty now, as a moved Vec is gone in Rust. */
function movedBuffer(w: Writer, what: string): Error {
  const error = new Error(
    `use of moved value: ${pathText(w)} is ${what === 'ArrayBuffer' ? 'an' : 'a'} ${what} that was already moved (sent on a channel, or moved into another thread), so its memory went with it and it is empty here. ` +
      `To keep the original, send or capture a copy (\`new ${what === 'ArrayBuffer' ? 'Uint8Array(buffer).slice().buffer' : `${what}(array)`}\`); for one array every thread reads, use sharedArray (weft/par)`,
  );
  error.name = 'MovedValueError';
  pathErrors.add(error);
  return error;
}

function describe(value: object): string {
  const name = className(value);
  return name ? `an instance of class ${name}` : 'an object';
}

function hasMethods(proto: object): boolean {
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const key of Object.getOwnPropertyNames(p)) {
      if (key === 'constructor') continue;
      const desc = Object.getOwnPropertyDescriptor(p, key);
      if (desc && (typeof desc.value === 'function' || desc.get !== undefined)) return true;
    }
  }
  return false;
}

function writeValue(w: Writer, value: unknown): void {
  switch (typeof value) {
    case 'undefined':
      w.u8(T.undefined);
      return;
    case 'boolean':
      w.u8(value ? T.true : T.false);
      return;
    case 'number':
      if (Number.isInteger(value) && value >= -0x80000000 && value <= 0x7fffffff && !Object.is(value, -0)) {
        w.u8(T.int32);
        w.i32(value);
      } else {
        w.u8(T.float64);
        w.f64(value);
      }
      return;
    case 'string':
      w.u8(T.string);
      w.string(value);
      return;
    case 'bigint':
      w.u8(T.bigint);
      w.string(value.toString());
      return;
    case 'function':
      throw new NotSendError(
        `${pathText(w)} is a function, and weft cannot send a function to another thread: each thread has its own copy of the program's functions ` +
          "(a closure is not \`Send\` in Rust when it captures what is not; a plain \`fn\` is, but weft cannot tell them apart). " +
          'Call a module-level function by its name in the other thread, or send data that says which one to call (a name or a number).',
      );
    case 'symbol':
      throw new NotSendError(`${pathText(w)} is a symbol, and symbols cannot be sent to another thread.`);
  }
  if (value === null) {
    w.u8(T.null);
    return;
  }
  const object = value as object;
  if (isEncodable(object)) {
    const { kind, addr } = object[ENCODE]();
    MovableHandle.noteEncoded(object);
    w.u8(T.handle);
    w.u8(kind);
    w.i32(addr);
    (w.handles ??= []).push(object);
    return;
  }
  const seen = w.seen;
  for (let i = 0; i < w.seenLength; i++) if (seen[i] === object) {
    throw new NotSendError(`${pathText(w)} refers to itself (a cycle); weft sends trees of plain data.`);
  }
  seen[w.seenLength++] = object;
  try {
    if (Array.isArray(object)) {
      w.u8(T.array);
      w.u32(object.length);
      for (let i = 0; i < object.length; i++) {
        if (!(i in object)) w.u8(T.hole);
        else if (!w.tracking) writeValue(w, object[i]);
        else {
          w.step(P.index, i);
          writeValue(w, object[i]);
          w.pathLength -= 2;
        }
      }
      return;
    }
    if (ArrayBuffer.isView(object)) {
      if (object instanceof DataView) throw new NotSendError(`${pathText(w)} is a DataView; send its ArrayBuffer or a typed array.`);
      const kind = typedArrayKind(object);
      if (hasContext() && object.buffer === context().memory.buffer) {
        // A typed array in run memory (weft/par's sharedArray) is the same memory in every thread: passed by reference.
        w.u8(T.sharedView);
        w.u8(kind);
        w.u32(object.byteOffset);
        w.u32((object as unknown as { length: number }).length);
        return;
      }
      if (isForeignShared(object.buffer)) throw foreignShared(w, typedArrayKinds[kind]!.name);
      if (object.buffer instanceof ArrayBuffer && object.buffer.detached) throw movedBuffer(w, typedArrayKinds[kind]!.name);
      w.u8(T.typedArray);
      w.u8(kind);
      const bytes = new Uint8Array(object.buffer, object.byteOffset, object.byteLength);
      w.u32(bytes.length);
      w.raw(bytes);
      if (object.buffer instanceof ArrayBuffer) (w.handles ??= []).push(transferOnMove(object.buffer));
      return;
    }
    // A plain object (the usual message) skips the checks for built-in classes: its prototype says it is none of them.
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      if (isForeignShared(object)) throw foreignShared(w, 'SharedArrayBuffer');
      if (object instanceof ArrayBuffer) {
        if (object.detached) throw movedBuffer(w, 'ArrayBuffer');
        w.u8(T.arrayBuffer);
        w.u32(object.byteLength);
        w.raw(new Uint8Array(object));
        (w.handles ??= []).push(transferOnMove(object));
        return;
      }
      if (object instanceof Map) {
        w.u8(T.map);
        w.u32(object.size);
        for (const [k, v] of object) {
          w.step(P.mapKey, undefined);
          writeValue(w, k);
          w.path[w.pathLength - 2] = P.mapValue;
          writeValue(w, v);
          w.pathLength -= 2;
        }
        return;
      }
      if (object instanceof Set) {
        w.u8(T.set);
        w.u32(object.size);
        w.step(P.element, undefined);
        for (const v of object) writeValue(w, v);
        w.pathLength -= 2;
        return;
      }
      if (object instanceof Date) {
        w.u8(T.date);
        w.f64(object.getTime());
        return;
      }
      if (object instanceof RegExp) {
        w.u8(T.regexp);
        w.string(object.source);
        w.string(object.flags);
        return;
      }
      if (object instanceof Error) {
        w.u8(T.error);
        w.string(object.name);
        w.string(object.message);
        w.string(object.stack ?? '');
        return;
      }
      if (hasMethods(proto)) {
        throw new NotSendError(
          `${pathText(w)} is ${describe(object)}, whose methods cannot cross threads (it is not \`Send\`). ` +
            'Send plain data (numbers, strings, arrays, plain objects) and rebuild the object on the other side.',
        );
      }
      if (typeof (globalThis as { Node?: unknown }).Node === 'function' && object instanceof (globalThis as unknown as { Node: typeof Object }).Node) {
        throw new NotSendError(`${pathText(w)} is a DOM object; DOM objects stay on the page.`);
      }
    }
    // Its own enumerable keys, in Object.keys's order, without the array Object.keys makes: the count is written
    // once they are. A key a prototype adds (an enumerable property put on Object.prototype) is not the object's.
    w.u8(T.object);
    const countAt = w.length;
    w.u32(0);
    let count = 0;
    for (const key in object) {
      if (!hasOwnProperty.call(object, key)) continue;
      count++;
      w.string(key);
      if (!w.tracking) writeValue(w, (object as Record<string, unknown>)[key]);
      else {
        w.step(P.key, key);
        writeValue(w, (object as Record<string, unknown>)[key]);
        w.pathLength -= 2;
      }
    }
    w.view.setUint32(countAt, count, true);
  } finally {
    seen[--w.seenLength] = undefined;
  }
}

/**
 * Short ASCII strings decoded on this thread (object keys, and values such as
 * names and tags), by a hash of their bytes, one per slot (a slot's new
 * string replaces the old): a string read before is the same string again,
 * so a decode makes none (a 4-letter value was four strings, built a letter
 * at a time), and setting a key read before on the new object takes V8's
 * fast path instead of internalising a freshly built string every time.
 */
const SHORT_CACHE_SLOTS = 1024;
const shortStrings: string[] = new Array<string>(SHORT_CACHE_SLOTS).fill('');

/** Eight bytes through which the Reader turns bytes into a float64 (a DataView per decode cost more than the decode). */
const scratchBytes = new Uint8Array(8);
const scratchFloat = new Float64Array(scratchBytes.buffer);
/** Whether typed arrays, which use the platform's byte order, are little-endian (the encoding always is: the Writer's DataView). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads an encoding from the caller's own copy of it, or in place from a
 * fixed-length view of shared memory (`shared`; the run memory's growable
 * view costs more per byte than copying the message out). No DataView:
 * making one over a small copied array cost most of a decode, V8
 * materialising the array's buffer for it.
 */
class Reader {
  offset: number;
  bytes: Uint8Array;
  shared: boolean;
  constructor(bytes: Uint8Array, offset = 0, shared = false) {
    this.bytes = bytes;
    this.offset = offset;
    this.shared = shared;
  }
  u8(): number {
    return this.bytes[this.offset++]!;
  }
  u32(): number {
    return this.i32() >>> 0;
  }
  i32(): number {
    const b = this.bytes;
    const o = this.offset;
    this.offset = o + 4;
    return b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24);
  }
  f64(): number {
    const b = this.bytes;
    const o = this.offset;
    this.offset = o + 8;
    if (LITTLE_ENDIAN) for (let i = 0; i < 8; i++) scratchBytes[i] = b[o + i]!;
    else for (let i = 0; i < 8; i++) scratchBytes[7 - i] = b[o + i]!;
    return scratchFloat[0]!;
  }
  string(): string {
    const n = this.u32();
    const start = this.offset;
    this.offset += n;
    if (n <= SHORT_STRING) {
      // A short ASCII string: from the cache, or from its char codes, with no subarray or decoder call.
      const bytes = this.bytes;
      let hash = n;
      let high = 0;
      for (let i = start; i < start + n; i++) {
        const b = bytes[i]!;
        high |= b;
        hash = Math.imul(hash ^ b, 0x01000193);
      }
      if (high < 0x80) {
        const slot = (hash ^ (hash >>> 16)) & (SHORT_CACHE_SLOTS - 1);
        const cached = shortStrings[slot]!;
        if (cached.length === n) {
          let same = true;
          for (let i = 0; i < n; i++) {
            if (cached.charCodeAt(i) !== bytes[start + i]) {
              same = false;
              break;
            }
          }
          if (same) return cached;
        }
        let text = '';
        for (let i = start; i < start + n; i++) text += fromCharCode(bytes[i]!);
        shortStrings[slot] = text;
        return text;
      }
    }
    // TextDecoder refuses a shared view: a string in shared memory is copied out first.
    return decoder.decode(this.shared ? this.bytes.slice(start, start + n) : this.bytes.subarray(start, start + n));
  }
  raw(n: number): Uint8Array {
    const b = this.bytes.slice(this.offset, this.offset + n);
    this.offset += n;
    return b;
  }
}

export interface DecodeOptions {
  /** true when the decoding thread becomes the owner of the handles inside (a move); false for a borrow. */
  owned: boolean;
  /** Receives each handle object decoded (a lock's guard remembers which handles it lent out: sync/value-cell.ts). */
  handles?: object[];
}

/** Where readValue puts the handles it decodes, while a decodeValue with `handles` runs. */
let decodedHandles: object[] | null = null;

/** Decodes bytes made by encodeValue/encodeCaptures. `bytes` must not be a shared view. */
export function decodeValue(bytes: Uint8Array, options: DecodeOptions): unknown {
  if (options.handles === undefined) return readFrom(bytes, 0, false, options.owned);
  const outer = decodedHandles;
  decodedHandles = options.handles;
  try {
    return readFrom(bytes, 0, false, options.owned);
  } finally {
    decodedHandles = outer;
  }
}

/** Decodes an encoding in place at `offset` of `view`, a fixed-length view of shared memory. */
export function decodeValueAt(view: Uint8Array, offset: number, options: DecodeOptions): unknown {
  return readFrom(view, offset, true, options.owned);
}

/** The thread's Reader, reused by every decode not nested inside another (as the Writer is: a Reader per message was garbage). */
let spareReader: Reader | null = null;

function readFrom(bytes: Uint8Array, offset: number, shared: boolean, owned: boolean): unknown {
  let r = spareReader;
  if (r === null) r = new Reader(bytes, offset, shared);
  else {
    spareReader = null;
    r.bytes = bytes;
    r.offset = offset;
    r.shared = shared;
  }
  const value = readValue(r, owned);
  // Not kept: a view of a run's shared memory would keep that memory alive after its run, in a worker that waits for the next.
  r.bytes = NO_BYTES;
  spareReader = r;
  return value;
}

const NO_BYTES = new Uint8Array(0);

function readValue(r: Reader, owned: boolean): unknown {
  const tag = r.u8();
  switch (tag) {
    case T.undefined:
      return undefined;
    case T.null:
      return null;
    case T.true:
      return true;
    case T.false:
      return false;
    case T.int32:
      return r.i32();
    case T.float64:
      return r.f64();
    case T.string:
      return r.string();
    case T.bigint:
      return BigInt(r.string());
    case T.array: {
      const n = r.u32();
      const out = new Array(n);
      for (let i = 0; i < n; i++) {
        if (r.bytes[r.offset] === T.hole) r.offset++;
        else out[i] = readValue(r, owned);
      }
      return out;
    }
    case T.object: {
      const n = r.u32();
      const out: Record<string, unknown> = {};
      for (let i = 0; i < n; i++) {
        const key = r.string();
        // An own "__proto__" key (from JSON.parse, say) stays a key: assigning it would set the prototype.
        if (key === '__proto__') Object.defineProperty(out, key, { value: readValue(r, owned), enumerable: true, writable: true, configurable: true });
        else out[key] = readValue(r, owned);
      }
      return out;
    }
    case T.map: {
      const n = r.u32();
      const out = new Map();
      for (let i = 0; i < n; i++) {
        const k = readValue(r, owned);
        out.set(k, readValue(r, owned));
      }
      return out;
    }
    case T.set: {
      const n = r.u32();
      const out = new Set();
      for (let i = 0; i < n; i++) out.add(readValue(r, owned));
      return out;
    }
    case T.date:
      return new Date(r.f64());
    case T.regexp: {
      const source = r.string();
      return new RegExp(source, r.string());
    }
    case T.error: {
      const name = r.string();
      const message = r.string();
      const stack = r.string();
      // A built-in error type arrives as itself (`instanceof RangeError` holds, as postMessage's copy keeps it);
      // another class's instance as an Error under its name.
      const error = new (errorTypes.get(name) ?? Error)(message);
      if (error.name !== name) Object.defineProperty(error, 'name', { value: name, writable: true, configurable: true, enumerable: false });
      error.stack = stack;
      return error;
    }
    case T.typedArray: {
      const kind = typedArrayKinds[r.u8()]!;
      const n = r.u32();
      const bytes = r.raw(n);
      return new kind(bytes.buffer as ArrayBuffer, 0, n / kind.BYTES_PER_ELEMENT);
    }
    case T.arrayBuffer: {
      const n = r.u32();
      return r.raw(n).buffer;
    }
    case T.sharedView: {
      const kind = typedArrayKinds[r.u8()]!;
      const byteOffset = r.u32();
      return new kind(context().memory.buffer as unknown as ArrayBuffer, byteOffset, r.u32());
    }
    case T.handle: {
      const kind = r.u8();
      const addr = r.i32();
      const handle = decodeHandle(kind, addr, owned);
      if (decodedHandles !== null) decodedHandles.push(handle);
      return handle;
    }
    default:
      throw new Error(`weft internal error: bad value tag ${tag}`);
  }
}
