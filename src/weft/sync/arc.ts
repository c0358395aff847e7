/**
 * Arc<T> — Rust's `std::sync::Arc`, an atomically reference-counted shared
 * owner. https://doc.rust-lang.org/std/sync/struct.Arc.html
 *
 * In run memory (Int32 words at `addr`): 0 strong count, 1 value pointer,
 * 2 value length, 3 whether the value is a weft handle (1) or data (0),
 * 4 weak count plus one. As in Rust's `ArcInner`, the strong Arcs together
 * hold one weak reference: the value is dropped when the strong count
 * reaches 0, and the record is freed when the weak count does, so a `Weak`
 * can still ask it whether the value lives (sync/arc.ts `Weak`).
 * The value is encoded once, when the Arc is made; each thread decodes its
 * own copy on first use. Weft handles inside (a Mutex, a
 * Sender) are shared by every clone; plain data is a per-thread copy, which
 * is sound because an Arc's contents are read-only, as in Rust: to mutate,
 * put a Mutex (or an atomic) inside. `Arc.getMut` and `Arc.makeMut` give
 * the one exception Rust gives, a unique Arc's value to change: this
 * thread's copy is thawed, and written back before anything else can see
 * it (a clone, a downgrade, a move to another thread, a drop).
 *
 * An Arc forwards property access to its value, as Rust's Arc derefs to T:
 * `counter.lock()` on an `Arc<Mutex<number>>` locks the Mutex.
 */
import { context, type Owned } from '../runtime/context.ts';
import { decodeValue, encodeValue, encodeWithHandles } from '../runtime/codec.ts';
import { DISPLAY_AS, ENCODE, FREE_LOCAL, HANDLE_TARGET, HandleKind, isEncodable, MOVE, MovableHandle, registerDecoder, type Encodable, type MoveTarget } from '../runtime/handle.ts';
import { dropTree, own } from '../runtime/ownership.ts';
import { NotSendError } from '../runtime/codec.ts';
import { encodingOnThisThread, onThisThread, refuseLocalHandles } from '../runtime/local-handle.ts';
import { Receiver } from './mpsc.ts';
import { deepFreeze, handlesIn, isPlainContainer } from './plain-data.ts';
import type { Result } from './result.ts';

const W = { strong: 0, ptr: 1, len: 2, handle: 3, weak: 4 } as const;
const WORDS = 5;
/** The weak word while `getMut` checks that an Arc is unique: a downgrade waits meanwhile (Rust's `usize::MAX` lock in `is_unique`). */
const WEAK_LOCKED = -1;

/** A new Arc record holding the encoded value at `ptr`, with one strong Arc (and so one weak reference, theirs). */
function newRecord(ptr: number, len: number, handle: boolean): number {
  const { memory } = context();
  const addr = memory.allocRecord(WORDS);
  const base = addr >> 2;
  memory.i32[base + W.ptr] = ptr;
  memory.i32[base + W.len] = len;
  memory.i32[base + W.handle] = handle ? 1 : 0;
  memory.i32[base + W.weak] = 1;
  Atomics.store(memory.i32, base + W.strong, 1);
  return addr;
}

/** Gives up one weak reference to the record at `addr`; the last one frees it (no Arc and no Weak is left to read it). */
function releaseWeak(addr: number): void {
  const { memory } = context();
  if (Atomics.sub(memory.i32, (addr >> 2) + W.weak, 1) === 1) memory.free(addr);
}

class ArcCell<T> extends MovableHandle {
  protected readonly what = 'Arc';
  #addr: number;
  #value: T | undefined;
  #loaded = false;
  #dropped = false;
  /** This thread's copy was thawed by getMut/makeMut and may differ from the bytes in run memory (#writeBack). */
  #dirty = false;
  /** Bumped whenever the value stops being this Arc's alone to change: every ArcMut made before is then spent. */
  generation = 0;

  constructor(addr: number) {
    super();
    this.#addr = addr;
  }

  get addr(): number {
    return this.#addr;
  }

  [ENCODE]() {
    this.#assertLive();
    this.#writeBack();
    // Every encode of an Arc takes it to another thread (a capture, a send, a Mutex's value).
    if (!encodingOnThisThread()) refuseLocalHandles(this.deref());
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
    this.#writeBack();
    Atomics.add(context().memory.i32, (this.addr >> 2) + W.strong, 1);
    return wrap<T>(this.addr, true);
  }

  strongCount(): number {
    this.#assertLive();
    return Atomics.load(context().memory.i32, (this.addr >> 2) + W.strong);
  }

  /** Rust's `Arc::weak_count`: the Weaks of this value (the strong Arcs' shared one not counted). */
  weakCount(): number {
    this.#assertLive();
    const weak = Atomics.load(context().memory.i32, (this.addr >> 2) + W.weak);
    return weak === WEAK_LOCKED ? 0 : weak - 1;
  }

  /** `Arc::downgrade`: a Weak of this value. Waits while a `getMut` elsewhere checks uniqueness (a few instructions). */
  downgrade(): Weak<T> {
    this.#assertLive();
    this.#writeBack();
    const i32 = context().memory.i32;
    const at = (this.addr >> 2) + W.weak;
    for (;;) {
      const weak = Atomics.load(i32, at);
      if (weak !== WEAK_LOCKED && Atomics.compareExchange(i32, at, weak, weak + 1) === weak) break;
    }
    return new Weak<T>(this.addr, true);
  }

  /** Gives up this reference; the last one drops the value (and the handles inside it). */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#writeBack();
    this.#dropped = true;
    context().owned.delete(this);
    this.#releaseStrong();
  }

  /** One strong reference given up: the last one drops the value, frees its bytes, and gives up the strong Arcs' weak reference. */
  #releaseStrong(): void {
    const { memory } = context();
    const addr = this.addr;
    const base = addr >> 2;
    if (Atomics.sub(memory.i32, base + W.strong, 1) !== 1) return;
    const ptr = memory.i32[base + W.ptr]!;
    const value = decodeValue(memory.read(ptr, memory.i32[base + W.len]!), { owned: true });
    dropTree(value);
    memory.free(ptr);
    releaseWeak(addr);
  }

  /**
   * Rust's `Arc::is_unique`, as `get_mut` asks it: no other Arc and no Weak.
   * The weak word is locked while the strong count is read, so a clone that
   * downgrades and drops itself meanwhile cannot slip past.
   */
  isUnique(): boolean {
    this.#assertLive();
    const i32 = context().memory.i32;
    const base = this.addr >> 2;
    if (Atomics.compareExchange(i32, base + W.weak, 1, WEAK_LOCKED) !== 1) return false;
    const unique = Atomics.load(i32, base + W.strong) === 1;
    Atomics.store(i32, base + W.weak, 1);
    return unique;
  }

  /**
   * Rust's `Arc::make_mut`, up to handing out the access: afterwards this Arc
   * is the only one of its value. Shared with other Arcs, it gets a copy of
   * its own (Rust clones the T); shared only with Weaks, the value moves to a
   * new allocation and the Weaks can no longer upgrade, as in Rust.
   */
  makeUnique(): void {
    this.#assertLive();
    const { memory } = context();
    const i32 = memory.i32;
    const base = this.addr >> 2;
    if (Atomics.compareExchange(i32, base + W.strong, 1, 0) !== 1) {
      // Other Arcs share the value: this one gets a copy (this thread's view of it, with any change it made).
      this.#writeBack();
      const bytes = memory.read(i32[base + W.ptr]!, i32[base + W.len]!).slice();
      if (handlesIn(decodeValue(bytes, { owned: false })).length > 0) {
        throw new TypeError(
          'Arc.makeMut cannot copy a value that holds weft handles (a Mutex, a Sender, an Arc): Rust clones the value here, ' +
            'and weft has no clone for what a handle holds. Use Arc.getMut, which copies nothing, or put a Mutex in the Arc',
        );
      }
      const fresh = newRecord(memory.store(bytes), bytes.length, false);
      this.#releaseStrong();
      this.#repoint(fresh);
    } else if (Atomics.load(i32, base + W.weak) !== 1) {
      // Only Weaks are left besides this Arc: the value moves out from under them (their upgrade now gives undefined).
      const fresh = newRecord(i32[base + W.ptr]!, i32[base + W.len]!, i32[base + W.handle] === 1);
      const old = this.addr;
      this.#repoint(fresh);
      releaseWeak(old);
    } else {
      // Nobody else holds it at all: put the count back.
      Atomics.store(i32, base + W.strong, 1);
    }
  }

  /** This Arc now owns the record at `addr`; this thread's copy of the value stays as it is (the same value). */
  #repoint(addr: number): void {
    this.#addr = addr;
    this.generation++;
  }

  /**
   * The value to change through an ArcMut: this thread's copy, thawed (the
   * caller has made sure this Arc is the only one). A handle (an Arc of a
   * Mutex) is itself what is changed through: it is handed out as it is.
   */
  thaw(): T {
    this.#assertLive();
    if (this.#dirty) return this.#value as T;
    const { memory } = context();
    const base = this.addr >> 2;
    if (memory.i32[base + W.handle] === 1) return this.deref();
    this.#value = decodeValue(memory.read(memory.i32[base + W.ptr]!, memory.i32[base + W.len]!), { owned: false }) as T;
    this.#loaded = true;
    this.#dirty = true;
    return this.#value;
  }

  /** `*Arc::get_mut(&mut a).unwrap() = value`: the old value is dropped when the new one is written back. */
  replace(value: T): void {
    if (context().memory.i32[(this.addr >> 2) + W.handle] === 1 || (typeof value === 'object' && value !== null && isEncodable(value))) {
      throw new TypeError(
        "cannot replace an Arc's value with a weft handle, or replace a weft handle held in an Arc: an Arc forwards its handle's " +
          'methods, chosen when the Arc is made (weft, not Rust: there `*Arc::get_mut(&mut a).unwrap() = Mutex::new(0)` compiles). Make a new Arc',
      );
    }
    this.thaw();
    this.#value = value;
  }

  /**
   * This thread's changes (through an ArcMut) written into run memory, before
   * anything else can see the value. What the old value held and the new one
   * does not is dropped, as Rust drops what an assignment overwrites; handles
   * the new value gained move into the Arc. Every ArcMut is spent: in Rust
   * the `&mut` borrow has ended by then.
   */
  #writeBack(): void {
    this.generation++;
    if (!this.#dirty) return;
    this.#dirty = false;
    const { memory } = context();
    const i32 = memory.i32;
    const base = this.addr >> 2;
    const { bytes, handles } = encodeWithHandles(this.#value);
    const oldPtr = i32[base + W.ptr]!;
    const oldLen = i32[base + W.len]!;
    const kept = new Set(handles.map(handleKey));
    const before = new Set<string>();
    for (const old of handlesIn(decodeValue(memory.read(oldPtr, oldLen), { owned: true }))) {
      const key = handleKey(old);
      before.add(key);
      if (kept.has(key)) context().owned.delete(((old as { [HANDLE_TARGET]?: unknown })[HANDLE_TARGET] ?? old) as Owned);
      else dropTree(old);
    }
    for (const handle of handles) if (!before.has(handleKey(handle))) handle[MOVE]({ into: 'an Arc' });
    memory.free(oldPtr);
    i32[base + W.ptr] = memory.store(bytes);
    i32[base + W.len] = bytes.length;
    this.#value = deepFreeze(this.#value) as T;
  }

  dropOnExit(): void {
    this.drop();
  }

  /** `Arc::try_unwrap`: the value, if this is its only Arc (which is spent then); undefined otherwise, this Arc untouched. */
  tryTake(): { value: T } | undefined {
    this.#assertLive();
    this.#writeBack();
    if (Atomics.compareExchange(context().memory.i32, (this.addr >> 2) + W.strong, 1, 0) !== 1) return undefined;
    return { value: this.#takeValue() };
  }

  /**
   * `Arc::unwrap_or_clone`: the value, taken if this is its only Arc; else a
   * copy of it (Rust clones the T), and this Arc given up. A copy of a value
   * holding weft handles is refused before anything is given up, as `makeMut`'s is.
   */
  takeOrCopy(): T {
    const taken = this.tryTake();
    if (taken !== undefined) return taken.value;
    const { memory } = context();
    const base = this.addr >> 2;
    // This Arc still counts, so the bytes stay; nobody can change them while it is shared (getMut needs a lone Arc).
    const copy = decodeValue(memory.read(memory.i32[base + W.ptr]!, memory.i32[base + W.len]!).slice(), { owned: false }) as T;
    if (memory.i32[base + W.handle] === 1 || handlesIn(copy).length > 0) {
      throw new TypeError(
        'Arc.unwrapOrClone cannot copy a value that holds weft handles (a Mutex, a Sender, an Arc), and this Arc is not the only one: ' +
          'Rust clones the value here, and weft has no clone for what a handle holds. Use Arc.tryUnwrap or Arc.intoInner',
      );
    }
    this.drop();
    return copy;
  }

  /** `Arc::into_inner`: gives up this Arc; the value if it was the last one. */
  takeIfLast(): { value: T } | undefined {
    this.#assertLive();
    this.#writeBack();
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
    releaseWeak(this.addr);
    return value;
  }
}

function handleKey(handle: Encodable): string {
  const { kind, addr } = handle[ENCODE]();
  return `${kind}:${addr}`;
}

/**
 * What `Arc.getMut` and `Arc.makeMut` give: the value of an Arc that is the
 * only one of it, to change (Rust's `&mut T`). Read and change `value`, or
 * assign it. Rust's borrow ends where the `&mut` is last used; here it ends
 * when the Arc is next cloned, downgraded, moved or dropped, and using the
 * ArcMut after that throws rather than change a value others can see.
 */
export class ArcMut<T> {
  readonly #cell: ArcCell<T>;
  readonly #generation: number;

  /** @internal made by Arc.getMut and Arc.makeMut. */
  constructor(cell: ArcCell<T>) {
    this.#cell = cell;
    this.#generation = cell.generation;
  }

  #assertBorrowed(): void {
    if (this.#cell.generation !== this.#generation) {
      throw new Error(
        'this ArcMut was given up: its Arc has been cloned, downgraded, moved or dropped since, so others may see the value. ' +
          'Ask Arc.getMut (or Arc.makeMut) again',
      );
    }
  }

  /** The value, to read or change in place (an object or an array; changes are this Arc's). */
  get value(): T {
    this.#assertBorrowed();
    return this.#cell.thaw();
  }

  /** Replaces the value (Rust: `*Arc::get_mut(&mut a).unwrap() = value`); the old one is dropped. */
  set value(next: T) {
    this.#assertBorrowed();
    this.#cell.replace(next);
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

  /** The end of the block that made it, which only called its methods (compile/local-drops.ts): dropped there, as in Rust. */
  [FREE_LOCAL](): void {
    this[CELL].drop();
  }

  /** Rust's Display (and Debug) for an `Arc<T>` print the `T`: so does `String(arc)`, and `console.log` (DISPLAY_AS). */
  toString(): string {
    return String(this[CELL].deref());
  }

  get [DISPLAY_AS](): unknown {
    return this[CELL].deref();
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
// Messages name a value's class (runtime/context.ts className): the reader made an `Arc`, and never sees ArcRef
// (a second drop(arc) said 'this ArcRef was already dropped').
Object.defineProperty(ArcRef, 'name', { value: 'Arc' });

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

/**
 * Weak<T> — Rust's `std::sync::Weak`: a reference to an Arc's value that
 * does not keep it alive. https://doc.rust-lang.org/std/sync/struct.Weak.html
 *
 * Made by `Arc.downgrade(a)`; `upgrade()` gives a new Arc while some Arc of
 * the value is left, undefined once the last one is dropped. A Weak moves
 * into threads and channels as an Arc does (clone it to keep one), and is
 * dropped when the thread that owns it ends. `new Weak()` is Rust's
 * `Weak::new()`: a Weak of nothing, which never upgrades.
 */
export class Weak<T> extends MovableHandle implements Owned, Disposable {
  protected readonly what = 'Weak';
  /** The Arc record, or 0 for `new Weak()` (Rust's dangling `Weak::new`). */
  readonly #addr: number;
  #dropped = false;

  /** A Weak of nothing: `upgrade()` is always undefined (Rust: `Weak::new()`). */
  constructor();
  /** @internal a Weak of the Arc record at `addr` that holds one weak reference to it. */
  constructor(addr: number, owned: boolean);
  constructor(addr = 0, owned = true) {
    super();
    this.#addr = addr;
    if (owned && addr !== 0) own(this);
  }

  [ENCODE]() {
    this.#assertLive();
    return { kind: HandleKind.Weak, addr: this.#addr };
  }

  #assertLive(): void {
    this.assertUsable();
    if (this.#dropped) throw new Error('use of dropped value: this Weak was dropped');
  }

  /**
   * A new Arc of the value, if any Arc of it is left; undefined otherwise
   * (Rust: `Option<Arc<T>>`). Never brings a dropped value back: the count is
   * raised only from a count above zero.
   */
  upgrade(): Arc<T> | undefined {
    this.#assertLive();
    if (this.#addr === 0) return undefined;
    const i32 = context().memory.i32;
    const at = (this.#addr >> 2) + W.strong;
    for (let n = Atomics.load(i32, at); n !== 0; n = Atomics.load(i32, at)) {
      if (Atomics.compareExchange(i32, at, n, n + 1) === n) return wrap<T>(this.#addr, true);
    }
    return undefined;
  }

  /** Another Weak of the same value (Rust: `Weak::clone`). */
  clone(): Weak<T> {
    this.#assertLive();
    if (this.#addr === 0) return new Weak<T>();
    Atomics.add(context().memory.i32, (this.#addr >> 2) + W.weak, 1);
    return new Weak<T>(this.#addr, true);
  }

  /** How many Arcs of the value are left; 0 for `new Weak()` (Rust: `Weak::strong_count`). */
  strongCount(): number {
    this.#assertLive();
    return this.#addr === 0 ? 0 : Atomics.load(context().memory.i32, (this.#addr >> 2) + W.strong);
  }

  /** How many Weaks of the value there are, this one included; 0 once no Arc is left, as Rust's `Weak::weak_count`. */
  weakCount(): number {
    this.#assertLive();
    if (this.#addr === 0) return 0;
    const i32 = context().memory.i32;
    const base = this.#addr >> 2;
    if (Atomics.load(i32, base + W.strong) === 0) return 0;
    const weak = Atomics.load(i32, base + W.weak);
    return weak === WEAK_LOCKED ? 1 : weak - 1;
  }

  /** Whether two Weaks point at the same allocation; two from `new Weak()` are equal (Rust: `Weak::ptr_eq`). */
  ptrEq(other: Weak<T>): boolean {
    return this.#addr === other.#addr;
  }

  /** Gives up this Weak (Rust: `drop(w)`); the last reference of either kind frees the record. */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#dropped = true;
    context().owned.delete(this);
    if (this.#addr !== 0) releaseWeak(this.#addr);
  }

  dropOnExit(): void {
    this.drop();
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  toString(): string {
    return '(Weak)';
  }
}

registerDecoder(HandleKind.Weak, (addr, owned) => new Weak<unknown>(addr, owned));

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
  /**
   * The value, taken if `arc` is its only Arc, else a copy of it; `arc` is
   * given up either way (Rust: `Arc::unwrap_or_clone`). A copy needs a clone
   * of the value: weft copies data (objects, arrays, numbers) and throws for
   * a value holding weft handles, where Rust would clone them.
   */
  unwrapOrClone<T>(arc: Arc<T>): T;
  /** Whether two Arcs point at the same value (Rust: `Arc::ptr_eq`). */
  ptrEq<T>(a: Arc<T>, b: Arc<T>): boolean;
  /** A Weak of the value, which does not keep it alive (Rust: `Arc::downgrade`). */
  downgrade<T>(arc: Arc<T>): Weak<T>;
  /** How many Weaks of this value there are (Rust: `Arc::weak_count`). */
  weakCount(arc: Arc<unknown>): number;
  /**
   * The value to change, if `arc` is its only Arc and it has no Weak;
   * undefined otherwise (Rust: `Arc::get_mut`, `Option<&mut T>`). Change
   * `value` in place or assign it; `arc` shows the change, and the clones
   * made afterwards share it. Rust's borrow checker ends the `&mut` before
   * the Arc is used again; here the ArcMut is spent once `arc` is cloned,
   * downgraded, moved or dropped.
   */
  getMut<T>(arc: Arc<T>): ArcMut<T> | undefined;
  /**
   * The value to change, making `arc` its only Arc first (Rust:
   * `Arc::make_mut`, copy-on-write): shared with other Arcs, `arc` gets a
   * copy of its own and the others keep the old value; shared only with
   * Weaks, the value moves to a new allocation and they can no longer
   * upgrade. A copy needs a clone of the value: weft copies data (objects,
   * arrays, numbers) and throws for a value holding weft handles, where Rust
   * would clone them.
   */
  makeMut<T>(arc: Arc<T>): ArcMut<T>;
  /**
   * A new Arc whose value may hold a Weak of itself (Rust: `Arc::new_cyclic`):
   * `f` gets a Weak of the Arc being made and returns the value. While `f`
   * runs the Arc does not exist yet, so `me.upgrade()` is undefined; keep a
   * `me.clone()` in the value, which upgrades once the Arc is made. The Weak
   * `f` gets is lent for the call, as Rust's `&Weak<T>`: using it after `f`
   * returns throws. If `f` throws, no Arc is made.
   */
  newCyclic<T>(f: (me: Weak<T>) => T): Arc<T>;
  /** Rust's `Arc::from(value)` (`From<T>`, `From<Vec<T>>`, `From<&str>`...): the same as `new Arc(value)`. */
  from<T>(value: T): Arc<T>;
}

function cellOf<T>(arc: Arc<T>): ArcCell<T> {
  const cell = (arc as unknown as Record<symbol, unknown>)[CELL];
  if (!(cell instanceof ArcCell)) throw new TypeError('expected an Arc');
  return cell as ArcCell<T>;
}

function ArcImpl<T>(this: unknown, value: T): Arc<T> {
  if (new.target === undefined) throw new TypeError('use `new Arc(value)`');
  const { memory } = context();
  // weft/task's async primitives may go into an Arc, which then stays on this thread (runtime/local-handle.ts).
  const bytes = onThisThread(() => encodeValue(value, { mode: 'move', target: { into: 'an Arc' } }));
  const addr = newRecord(memory.store(bytes), bytes.length, typeof value === 'object' && value !== null && isEncodable(value));
  return wrap<T>(addr, true);
}
ArcImpl.newCyclic = <T>(f: (me: Weak<T>) => T): Arc<T> => {
  if (typeof f !== 'function') throw new TypeError('Arc.newCyclic takes a function from a Weak of the new Arc to its value: Arc.newCyclic((me) => ({ me: me.clone(), ... }))');
  const { memory } = context();
  const addr = memory.allocRecord(WORDS);
  const base = addr >> 2;
  memory.i32[base + W.ptr] = 0;
  memory.i32[base + W.len] = 0;
  memory.i32[base + W.handle] = 0;
  // The strong Arcs' weak reference, as newRecord; the strong count stays 0 while `f` runs, so `me` cannot upgrade.
  memory.i32[base + W.weak] = 1;
  Atomics.store(memory.i32, base + W.strong, 0);
  const me = new Weak<T>(addr, false);
  let bytes: Uint8Array;
  let value: T;
  try {
    value = f(me);
    bytes = encodeValue(value, { mode: 'move', target: { into: 'an Arc' } });
  } catch (error) {
    releaseWeak(addr);
    throw error;
  } finally {
    me[MOVE]({ into: 'Arc.newCyclic, which lends its Weak only while its function runs (keep me.clone() instead)' });
  }
  memory.i32[base + W.ptr] = memory.store(bytes);
  memory.i32[base + W.len] = bytes.length;
  memory.i32[base + W.handle] = typeof value === 'object' && value !== null && isEncodable(value) ? 1 : 0;
  Atomics.store(memory.i32, base + W.strong, 1);
  return wrap<T>(addr, true);
};
ArcImpl.from = <T>(value: T): Arc<T> => new (ArcImpl as unknown as ArcConstructor)(value);
ArcImpl.clone = <T>(arc: Arc<T>): Arc<T> => cellOf(arc).cloneArc();
ArcImpl.strongCount = (arc: Arc<unknown>): number => cellOf(arc).strongCount();
ArcImpl.get = <T>(arc: Arc<T>): T => cellOf(arc).deref();
ArcImpl.tryUnwrap = <T>(arc: Arc<T>): Result<T, Arc<T>> => {
  const taken = cellOf(arc).tryTake();
  return taken === undefined ? { ok: false, value: arc } : { ok: true, value: taken.value };
};
ArcImpl.intoInner = <T>(arc: Arc<T>): T | undefined => cellOf(arc).takeIfLast()?.value;
ArcImpl.unwrapOrClone = <T>(arc: Arc<T>): T => cellOf(arc).takeOrCopy();
ArcImpl.ptrEq = <T>(a: Arc<T>, b: Arc<T>): boolean => cellOf(a).addr === cellOf(b).addr;
ArcImpl.downgrade = <T>(arc: Arc<T>): Weak<T> => cellOf(arc).downgrade();
ArcImpl.weakCount = (arc: Arc<unknown>): number => cellOf(arc).weakCount();
ArcImpl.getMut = <T>(arc: Arc<T>): ArcMut<T> | undefined => {
  const cell = cellOf(arc);
  return cell.isUnique() ? new ArcMut(cell) : undefined;
};
ArcImpl.makeMut = <T>(arc: Arc<T>): ArcMut<T> => {
  const cell = cellOf(arc);
  cell.makeUnique();
  return new ArcMut(cell);
};

export const Arc = ArcImpl as unknown as ArcConstructor;

registerDecoder(HandleKind.Arc, (addr, owned) => wrap(addr, owned));
