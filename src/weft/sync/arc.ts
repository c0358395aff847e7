/**
 * Arc<T> — Rust's `std::sync::Arc`, an atomically reference-counted shared
 * owner. https://doc.rust-lang.org/std/sync/struct.Arc.html
 *
 * In run memory (Int32 words at `addr`): 0 strong count, 1 value pointer,
 * 2 value length. The value is encoded once, when the Arc is made; each
 * thread decodes its own copy on first use. Weft handles inside (a Mutex, a
 * Sender) are shared by every clone; plain data is a per-thread copy, which
 * is sound because an Arc's contents are read-only, as in Rust: to mutate,
 * put a Mutex (or an atomic) inside.
 *
 * An Arc forwards property access to its value, as Rust's Arc derefs to T:
 * `counter.lock()` on an `Arc<Mutex<number>>` locks the Mutex.
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeValue } from '../runtime/codec.ts';
import { ENCODE, HANDLE_TARGET, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { dropTree, own } from '../runtime/ownership.ts';
import { NotSendError } from '../runtime/codec.ts';
import { Receiver } from './mpsc.ts';
import { deepFreeze, isPlainContainer } from './plain-data.ts';

const W = { strong: 0, ptr: 1, len: 2 } as const;

class ArcCell<T> extends MovableHandle {
  protected readonly what = 'Arc';
  readonly addr: number;
  #value: T | undefined;
  #loaded = false;
  #dropped = false;

  constructor(addr: number) {
    super();
    this.addr = addr;
  }

  [ENCODE]() {
    this.#assertLive();
    // Every encode of an Arc takes it to another thread (a capture, a send, a Mutex's value).
    if (holdsReceiver(this.deref(), 0)) {
      throw new NotSendError(
        'an Arc holding a Receiver cannot be shared between threads: only one thread may receive from a channel ' +
          '(Rust: `Receiver<T>` cannot be shared between threads safely, E0277). Put the Receiver in a Mutex: new Arc(new Mutex(rx))',
      );
    }
    return { kind: HandleKind.Arc, addr: this.addr };
  }

  #assertLive(): void {
    this.assertUsable();
    if (this.#dropped) throw new Error('use of dropped value: this Arc was dropped');
  }

  deref(): T {
    this.#assertLive();
    if (!this.#loaded) {
      const { memory } = context();
      const i32 = memory.i32;
      const base = this.addr >> 2;
      // Read-only, as in Rust (`*arc` is a shared borrow): each thread's copy of its plain data is frozen (plain-data.ts).
      this.#value = deepFreeze(decodeValue(memory.read(i32[base + W.ptr]!, i32[base + W.len]!), { owned: false })) as T;
      this.#loaded = true;
    }
    return this.#value as T;
  }

  cloneArc(): Arc<T> {
    this.#assertLive();
    Atomics.add(context().memory.i32, (this.addr >> 2) + W.strong, 1);
    return wrap<T>(this.addr, true);
  }

  strongCount(): number {
    this.#assertLive();
    return Atomics.load(context().memory.i32, (this.addr >> 2) + W.strong);
  }

  /** Gives up this reference; the last one drops the value (and the handles inside it). */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#dropped = true;
    const { memory } = context();
    context().owned.delete(this);
    const base = this.addr >> 2;
    if (Atomics.sub(memory.i32, base + W.strong, 1) === 1) {
      const ptr = memory.i32[base + W.ptr]!;
      const value = decodeValue(memory.read(ptr, memory.i32[base + W.len]!), { owned: true });
      dropTree(value);
      memory.free(ptr);
      memory.free(this.addr);
    }
  }

  dropOnExit(): void {
    this.drop();
  }
}

/** Whether `value` is a Receiver or holds one in its plain objects and arrays: not `Sync`, so no Arc of it may cross threads. */
function holdsReceiver(value: unknown, depth: number): boolean {
  if (value instanceof Receiver) return true;
  if (!isPlainContainer(value) || depth > 16) return false;
  return Object.values(value).some((item) => holdsReceiver(item, depth + 1));
}

function readOnly(what: string): never {
  throw new TypeError(
    `cannot ${what} through an Arc: what an Arc holds is shared by every thread and read-only (Rust: cannot assign to data in an \`Arc\`). ` +
      'Put what changes in a Mutex or an atomic inside the Arc: new Arc(new Mutex(value))',
  );
}

/** The Arc's own members; everything else is forwarded to the value. */
const OWN = new Set<PropertyKey>(['clone', 'drop', 'dropOnExit', Symbol.dispose, ENCODE, 'toString']);

function wrap<T>(addr: number, owned: boolean): Arc<T> {
  const cell = new ArcCell<T>(addr);
  if (owned) own(cell);
  const proxy = new Proxy(cell, {
    get(target, prop) {
      if (prop === CELL || prop === HANDLE_TARGET) return target;
      if (OWN.has(prop) || typeof prop === 'symbol') {
        switch (prop) {
          case 'clone':
            return () => target.cloneArc();
          case 'drop':
          case Symbol.dispose:
            return () => target.drop();
          case 'toString':
            return () => `Arc(${String(target.deref())})`;
          case Symbol.iterator: {
            // Destructuring an Arc of a tuple, as Rust's `let (lock, cvar) = &*pair;`.
            const value = target.deref() as { [Symbol.iterator]?: unknown } | null;
            const iterate = typeof value === 'object' && value !== null ? value[Symbol.iterator] : undefined;
            return typeof iterate === 'function' ? iterate.bind(value) : undefined;
          }
        }
        const member = Reflect.get(target, prop, target);
        return typeof member === 'function' ? member.bind(target) : member;
      }
      const value = target.deref() as Record<PropertyKey, unknown>;
      if (value === null || (typeof value !== 'object' && typeof value !== 'string')) return undefined;
      const member = (value as Record<PropertyKey, unknown>)[prop];
      return typeof member === 'function' ? member.bind(value) : member;
    },
    has(target, prop) {
      if (prop === ENCODE || prop === CELL) return true;
      const value = target.deref();
      return typeof value === 'object' && value !== null && prop in value;
    },
    set(_target, prop) {
      return readOnly(`assign to \`${String(prop)}\``);
    },
    deleteProperty(_target, prop) {
      return readOnly(`delete \`${String(prop)}\``);
    },
    defineProperty(_target, prop) {
      return readOnly(`define \`${String(prop)}\``);
    },
  });
  return proxy as unknown as Arc<T>;
}

const CELL = Symbol('weft.arc.cell');

/** What an Arc<T> offers besides its value's own members. */
export interface ArcMethods<T> {
  /** Another owner of the same value; the count goes up by one (Rust: `Arc::clone(&a)`). */
  clone(): Arc<T>;
  /** Gives up this owner; the value is dropped with the last one (Rust: `drop(a)`). */
  drop(): void;
  [Symbol.dispose](): void;
}

export type Arc<T> = ArcMethods<T> & (T extends object ? Omit<T, 'clone' | 'drop'> : unknown);

interface ArcConstructor {
  /** Moves `value` into a new reference-counted allocation with a count of one. */
  new <T>(value: T): Arc<T>;
  /** Rust's `Arc::clone(&a)`, the same as `a.clone()`. */
  clone<T>(arc: Arc<T>): Arc<T>;
  /** How many Arcs point at this value (Rust: `Arc::strong_count`). */
  strongCount(arc: Arc<unknown>): number;
  /** The shared value itself (Rust: `*arc` / `Arc::as_ref`). */
  get<T>(arc: Arc<T>): T;
}

function cellOf<T>(arc: Arc<T>): ArcCell<T> {
  const cell = (arc as unknown as Record<symbol, unknown>)[CELL];
  if (!(cell instanceof ArcCell)) throw new TypeError('expected an Arc');
  return cell as ArcCell<T>;
}

function ArcImpl<T>(this: unknown, value: T): Arc<T> {
  if (new.target === undefined) throw new TypeError('use `new Arc(value)`');
  const { memory } = context();
  const bytes = encodeValue(value, { mode: 'move', target: { into: 'an Arc' } });
  const addr = memory.alloc(12);
  const base = addr >> 2;
  memory.i32[base + W.ptr] = memory.store(bytes);
  memory.i32[base + W.len] = bytes.length;
  Atomics.store(memory.i32, base + W.strong, 1);
  return wrap<T>(addr, true);
}
ArcImpl.clone = <T>(arc: Arc<T>): Arc<T> => cellOf(arc).cloneArc();
ArcImpl.strongCount = (arc: Arc<unknown>): number => cellOf(arc).strongCount();
ArcImpl.get = <T>(arc: Arc<T>): T => cellOf(arc).deref();

export const Arc = ArcImpl as unknown as ArcConstructor;

registerDecoder(HandleKind.Arc, (addr, owned) => wrap(addr, owned));
