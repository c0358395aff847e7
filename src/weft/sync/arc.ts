/**
 * Arc<T> — Rust's `std::sync::Arc`, an atomically reference-counted shared
 * owner. https://doc.rust-lang.org/std/sync/struct.Arc.html
 *
 * In run memory (Int32 words at `addr`): 0 strong count, 1 value pointer,
 * 2 value length, 3 whether the value is a weft handle (1) or data (0).
 * The value is encoded once, when the Arc is made; each thread decodes its
 * own copy on first use. Weft handles inside (a Mutex, a
 * Sender) are shared by every clone; plain data is a per-thread copy, which
 * is sound because an Arc's contents are read-only, as in Rust: to mutate,
 * put a Mutex (or an atomic) inside.
 *
 * An Arc forwards property access to its value, as Rust's Arc derefs to T:
 * `counter.lock()` on an `Arc<Mutex<number>>` locks the Mutex.
 */
import { context } from '../runtime/context.ts';
import { decodeValue, encodeValue } from '../runtime/codec.ts';
import { ENCODE, HANDLE_TARGET, HandleKind, isEncodable, MOVE, MovableHandle, registerDecoder, type MoveTarget } from '../runtime/handle.ts';
import { dropTree, own } from '../runtime/ownership.ts';
import { NotSendError } from '../runtime/codec.ts';
import { Receiver } from './mpsc.ts';
import { deepFreeze, isPlainContainer } from './plain-data.ts';
import type { Result } from './result.ts';

const W = { strong: 0, ptr: 1, len: 2, handle: 3 } as const;

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

  /** `Arc::try_unwrap`: the value, if this is its only Arc (which is spent then); undefined otherwise, this Arc untouched. */
  tryTake(): { value: T } | undefined {
    this.#assertLive();
    if (Atomics.compareExchange(context().memory.i32, (this.addr >> 2) + W.strong, 1, 0) !== 1) return undefined;
    return { value: this.#takeValue() };
  }

  /** `Arc::into_inner`: gives up this Arc; the value if it was the last one. */
  takeIfLast(): { value: T } | undefined {
    this.#assertLive();
    if (Atomics.sub(context().memory.i32, (this.addr >> 2) + W.strong, 1) !== 1) {
      this.#dropped = true;
      context().owned.delete(this);
      return undefined;
    }
    return { value: this.#takeValue() };
  }

  /** The count has reached 0 through this Arc: the value, decoded as this thread's own (its handles owned here), and the allocation freed. */
  #takeValue(): T {
    this.#dropped = true;
    const { memory } = context();
    context().owned.delete(this);
    const base = this.addr >> 2;
    const ptr = memory.i32[base + W.ptr]!;
    const value = decodeValue(memory.read(ptr, memory.i32[base + W.len]!), { owned: true }) as T;
    memory.free(ptr);
    memory.free(this.addr);
    return value;
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

const CELL = Symbol('weft.arc.cell');

/**
 * An Arc as the reader holds it: the Arc's own members (clone, drop,
 * dispose). An Arc of a weft handle (an `Arc<Mutex>`, an `Arc<AtomicI32>`…)
 * is an ArcRef whose prototype forwards that handle's members, made once per
 * class (`forwarderOf`), so `counter.lock()` costs a plain call rather than a
 * Proxy's trap and a bound function (~4 against ~30 ns); a member missed
 * there reaches `FALLBACK`, at the end of the prototype chain. An Arc of data
 * (objects, arrays, tuples, numbers) is a Proxy around its ArcRef (`DATA`).
 * Either way, assigning through the Arc throws the read-only error.
 */
class ArcRef<T> {
  /** Set by `wrap`, which makes every ArcRef (with the prototype its value calls for). */
  declare readonly [CELL]: ArcCell<T>;

  clone(): Arc<T> {
    return this[CELL].cloneArc();
  }

  drop(): void {
    this[CELL].drop();
  }

  dropOnExit(): void {
    this[CELL].drop();
  }

  [Symbol.dispose](): void {
    this[CELL].drop();
  }

  toString(): string {
    return `Arc(${String(this[CELL].deref())})`;
  }

  /** `JSON.stringify` writes the value, as serde writes an `Arc<T>` as its `T`. */
  toJSON(): unknown {
    return this[CELL].deref();
  }

  get [HANDLE_TARGET](): ArcCell<T> {
    return this[CELL];
  }

  [ENCODE]() {
    return this[CELL][ENCODE]();
  }

  [MOVE](target: MoveTarget): void {
    this[CELL][MOVE](target);
  }
}

const OWN_METHODS = ['clone', 'drop', 'dropOnExit', 'toString', 'toJSON'] as const;
/** The Arc's own members, which no member of the value hides (names only: every symbol but Symbol.iterator is the Arc's too). */
const OWN = new Set<PropertyKey>([...OWN_METHODS, 'constructor']);
// Accessors, as the forwarded members are, so that assigning to one gives the read-only error.
for (const name of OWN_METHODS) {
  const method = ArcRef.prototype[name];
  Object.defineProperty(ArcRef.prototype, name, {
    get: () => method,
    set() {
      readOnly(`assign to \`${name}\``);
    },
  });
}

/** `prop` of the value `cell` holds, a method bound to it; undefined when the value has no members (a number, null). */
function memberOf(cell: ArcCell<unknown>, prop: PropertyKey): unknown {
  const value = cell.deref() as Record<PropertyKey, unknown> | null;
  if (value === null || (typeof value !== 'object' && typeof value !== 'string')) return undefined;
  const member = value[prop];
  return typeof member === 'function' ? member.bind(value) : member;
}

/** What both Proxies below answer to an assignment through the Arc. */
const READ_ONLY = {
  set(_target: object, prop: PropertyKey): boolean {
    return readOnly(`assign to \`${String(prop)}\``);
  },
  defineProperty(_target: object, prop: PropertyKey): boolean {
    return readOnly(`define \`${String(prop)}\``);
  },
};

const FALLBACK = new Proxy(Object.create(null) as object, {
  get(_target, prop, receiver: ArcRef<unknown>) {
    // An ArcRef has its cell as an own property; anything else reaching here (a prototype looked at directly) has no value.
    if (prop === CELL) return undefined;
    const cell = receiver[CELL];
    if (!(cell instanceof ArcCell)) return undefined;
    // Of the symbols only the iterator is the value's: destructuring an Arc of a tuple, as Rust's `let (lock, cvar) = &*pair;`.
    if (typeof prop === 'symbol' && (prop !== Symbol.iterator || typeof cell.deref() !== 'object')) return undefined;
    return memberOf(cell, prop);
  },
  has(_target, prop) {
    // `in` brings no receiver here, so the value is out of reach: a handle's members are found on its forwarder before this, a member of data is not.
    return prop === CELL;
  },
  ...READ_ONLY,
});
Object.setPrototypeOf(ArcRef.prototype, FALLBACK);

/** One prototype per class of handle held in an Arc: the class's members, forwarded. */
const forwarders = new WeakMap<object, object>();

function forwarderOf(value: object): object {
  const proto = Object.getPrototypeOf(value) as object | null;
  if (proto === null) return ArcRef.prototype;
  let forwarder = forwarders.get(proto);
  if (forwarder !== undefined) return forwarder;
  forwarder = Object.create(ArcRef.prototype) as object;
  const names = new Set<string>(Object.getOwnPropertyNames(value));
  for (let p: object | null = proto; p !== null && p !== Object.prototype; p = Object.getPrototypeOf(p) as object | null) {
    for (const name of Object.getOwnPropertyNames(p)) names.add(name);
  }
  for (const name of names) {
    if (OWN.has(name)) continue;
    const found = findProperty(value, name);
    // An accessor each, not a method, so that assigning to it gives the read-only error rather than V8's own.
    let get: (this: ArcRef<unknown>) => unknown;
    if (found !== undefined && 'value' in found && typeof found.value === 'function') {
      const method = found.value as (...args: unknown[]) => unknown;
      const forward = function (this: ArcRef<unknown>, ...args: unknown[]) {
        return method.apply(this[CELL].deref(), args);
      };
      Object.defineProperty(forward, 'name', { value: name });
      get = () => forward;
    } else {
      get = function () {
        return memberOf(this[CELL], name);
      };
    }
    Object.defineProperty(forwarder, name, {
      get,
      set() {
        readOnly(`assign to \`${name}\``);
      },
    });
  }
  forwarders.set(proto, forwarder);
  return forwarder;
}

function findProperty(value: object, name: string): PropertyDescriptor | undefined {
  for (let p: object | null = value; p !== null; p = Object.getPrototypeOf(p) as object | null) {
    const found = Object.getOwnPropertyDescriptor(p, name);
    if (found !== undefined) return found;
  }
  return undefined;
}

function wrap<T>(addr: number, owned: boolean): Arc<T> {
  const cell = new ArcCell<T>(addr);
  if (owned) own(cell);
  // A handle is decoded now, to find its class's forwarder. Data waits for its first use (it may be large and go unread),
  // and is reached through a Proxy, which also answers `in` and `delete`.
  const handle = context().memory.i32[(addr >> 2) + W.handle] === 1;
  const ref = Object.create(handle ? forwarderOf(cell.deref() as object) : ArcRef.prototype) as ArcRef<T>;
  Object.defineProperty(ref, CELL, { value: cell });
  return (handle ? ref : new Proxy(ref, DATA)) as unknown as Arc<T>;
}

/** An Arc of data: its own members from its ArcRef, every other member forwarded to the value, and no assignment. */
const DATA: ProxyHandler<ArcRef<unknown>> = {
  get(target, prop) {
    if (typeof prop === 'symbol' || OWN.has(prop)) return Reflect.get(target, prop, target);
    return memberOf(target[CELL], prop);
  },
  has(target, prop) {
    if (typeof prop === 'symbol' || OWN.has(prop)) return prop in target;
    const value = target[CELL].deref();
    return typeof value === 'object' && value !== null && prop in value;
  },
  deleteProperty(_target, prop) {
    return readOnly(`delete \`${String(prop)}\``);
  },
  ...READ_ONLY,
};

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
  /**
   * The value, if `arc` is its only Arc: `{ ok: true, value }`, and `arc` is
   * spent; otherwise `{ ok: false, value: arc }`, the Arc given back (Rust:
   * `Arc::try_unwrap`). The value is then this thread's own to change.
   */
  tryUnwrap<T>(arc: Arc<T>): Result<T, Arc<T>>;
  /**
   * Gives up `arc`, and returns the value if it was the last Arc, else
   * undefined (Rust: `Arc::into_inner`, whose `None` is undefined). Of
   * several threads doing this to clones of one Arc, exactly one gets it.
   */
  intoInner<T>(arc: Arc<T>): T | undefined;
  /** Whether two Arcs point at the same value (Rust: `Arc::ptr_eq`). */
  ptrEq<T>(a: Arc<T>, b: Arc<T>): boolean;
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
  const addr = memory.alloc(16);
  const base = addr >> 2;
  memory.i32[base + W.ptr] = memory.store(bytes);
  memory.i32[base + W.len] = bytes.length;
  memory.i32[base + W.handle] = typeof value === 'object' && value !== null && isEncodable(value) ? 1 : 0;
  Atomics.store(memory.i32, base + W.strong, 1);
  return wrap<T>(addr, true);
}
ArcImpl.clone = <T>(arc: Arc<T>): Arc<T> => cellOf(arc).cloneArc();
ArcImpl.strongCount = (arc: Arc<unknown>): number => cellOf(arc).strongCount();
ArcImpl.get = <T>(arc: Arc<T>): T => cellOf(arc).deref();
ArcImpl.tryUnwrap = <T>(arc: Arc<T>): Result<T, Arc<T>> => {
  const taken = cellOf(arc).tryTake();
  return taken === undefined ? { ok: false, value: arc } : { ok: true, value: taken.value };
};
ArcImpl.intoInner = <T>(arc: Arc<T>): T | undefined => cellOf(arc).takeIfLast()?.value;
ArcImpl.ptrEq = <T>(a: Arc<T>, b: Arc<T>): boolean => cellOf(a).addr === cellOf(b).addr;

export const Arc = ArcImpl as unknown as ArcConstructor;

registerDecoder(HandleKind.Arc, (addr, owned) => wrap(addr, owned));
