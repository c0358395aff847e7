/**
 * Atomics — Rust's `std::sync::atomic`: AtomicI32, AtomicU32, AtomicI64,
 * AtomicU64, AtomicBool. https://doc.rust-lang.org/std/sync/atomic/
 *
 * Each is one word of run memory operated on with JavaScript's `Atomics`
 * (Int32Array, Uint32Array, BigInt64Array, BigUint64Array views of the run's
 * SharedArrayBuffer). 64-bit atomics hold `bigint`s (`5n`), because a
 * JavaScript number cannot hold every 64-bit integer.
 *
 * In run memory (Int32 words at `addr`):
 *   0 type: 0 i32, 1 u32, 2 i64, 3 u64, 4 bool, 5 i8, 6 u8, 7 i16, 8 u16,
 *     9 isize, 10 usize (the decoder reads it, so all atomics share one
 *     handle kind)
 *   1 unused
 *   2-3 the value: a 32-bit value (bool: 0 or 1) in word 2, a 64-bit one in
 *     both (8-aligned)
 *
 * Memory ordering: Rust's methods take an `Ordering`; these accept one too,
 * so ported code reads the same, but JavaScript's `Atomics` are always
 * sequentially consistent, so weft always uses SeqCst: a weaker ordering
 * never produces the extra reorderings Rust allows (nor the bugs that rely
 * on them). Orderings Rust rejects at run time (an Acquire store, a Release
 * load) are rejected here too.
 *
 * Arithmetic wraps on overflow, as Rust's atomics do (`fetchAdd(1)` on
 * u32::MAX gives 0).
 */
import { context } from '../runtime/context.ts';
import { atomicLoaded, atomicOutcome, readPoint, yieldBeforeStore, yieldPoint } from '../runtime/scheduler.ts';
import { ENCODE, FREE_LOCAL, HandleKind, MovableHandle, MOVE, registerDecoder } from '../runtime/handle.ts';
import { traceParAtomic, tracingParAtomics } from '../runtime/trace.ts';
import { err, ok, type Result } from './result.ts';

/**
 * Rust's `std::sync::atomic::Ordering`. Accepted everywhere Rust takes one;
 * weft always performs the operation with SeqCst (see the file header).
 */
export const Ordering = {
  Relaxed: 'Relaxed',
  Release: 'Release',
  Acquire: 'Acquire',
  AcqRel: 'AcqRel',
  SeqCst: 'SeqCst',
} as const;
export type Ordering = (typeof Ordering)[keyof typeof Ordering];

const Type = { i32: 0, u32: 1, i64: 2, u64: 3, bool: 4, i8: 5, u8: 6, i16: 7, u16: 8, isize: 9, usize: 10 } as const;
const VALUE_WORD = 2;
const WORDS = 4;

// Rust panics on these (library/core/src/sync/atomic.rs, atomic_load/atomic_store/atomic_compare_exchange).
function checkOrdering(order: Ordering | undefined, use: 'load' | 'store' | 'failure' | 'any'): void {
  if (order === undefined) return;
  if (!Object.hasOwn(Ordering, order)) {
    throw new TypeError(`expected an Ordering (Ordering.SeqCst, Ordering.Acquire, ...), got ${String(order)}`);
  }
  if (use === 'load' && order === 'Release') throw new Error('there is no such thing as a release load');
  if (use === 'load' && order === 'AcqRel') throw new Error('there is no such thing as an acquire-release load');
  if (use === 'store' && order === 'Acquire') throw new Error('there is no such thing as an acquire store');
  if (use === 'store' && order === 'AcqRel') throw new Error('there is no such thing as an acquire-release store');
  if (use === 'failure' && order === 'Release') throw new Error('there is no such thing as a release failure ordering');
  if (use === 'failure' && order === 'AcqRel') {
    throw new Error('there is no such thing as an acquire-release failure ordering');
  }
}

type IntArray = Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array;
type ViewOf = new (buffer: SharedArrayBuffer, byteOffset: number, length: number) => IntArray;

/**
 * A fixed-length view of the one value word(s) at `addr`. Measured (Node 24,
 * this machine): an Atomics operation through a length-tracking view of a
 * growable SharedArrayBuffer costs ~55 ns, through a fixed-length view of the
 * same buffer ~10 ns. A fixed view stays valid because the buffer only grows.
 */
function valueView(kind: ViewOf, addr: number): IntArray {
  return new kind(context().memory.buffer, addr + VALUE_WORD * 4, 1);
}

function allocate(type: number): number {
  const { memory } = context();
  const addr = memory.allocRecord(WORDS);
  memory.i32[addr >> 2] = type;
  return addr;
}

/** None, for `fetchUpdate`'s function: Rust's `Option::None` is undefined (or null) here. */
const isNone = (value: unknown) => value === undefined || value === null;

type Word = number | bigint;
type Rmw = 'add' | 'sub' | 'and' | 'or' | 'xor' | 'exchange';

/**
 * What every atomic shares: one word of run memory holding a `W` (a number
 * or a bigint), seen by the reader as a `T` (the same number, or a boolean).
 */
abstract class Atomic<T, W extends Word> extends MovableHandle {
  protected readonly addr: number;
  #view: IntArray | undefined;

  /** Subclasses store the first value themselves, once their fields (`what`) exist. */
  protected constructor(type: number, addr: number | undefined) {
    super();
    this.addr = addr ?? allocate(type);
  }

  [ENCODE]() {
    return { kind: HandleKind.Atomic, addr: this.addr };
  }

  /** The end of its local variable's block (compile/local-drops.ts): nothing else can reach its word, so it is freed. */
  [FREE_LOCAL](): void {
    if (this.spendLocal(false)) context().memory.freeRecord(this.addr);
  }

  /** Which typed array the word is read through. */
  protected abstract viewKind(): ViewOf;
  /** The word for a value; throws TypeError for a value of the wrong type. */
  protected abstract toWord(value: T): W;
  /** The value a word holds. */
  protected abstract fromWord(word: W): T;

  /** The typed view of the word (made on first use, then kept); the word is its element 0. */
  #word(): IntArray {
    return (this.#view ??= valueView(this.viewKind(), this.addr));
  }

  /** One read-modify-write `Atomics` operation; returns the previous value. */
  protected rmw(name: Rmw, value: T): T {
    this.assertUsable();
    const word = this.toWord(value);
    const found = (Atomics[name] as (a: IntArray, i: number, v: W) => W)(this.#word(), 0, word);
    const previous = this.fromWord(found);
    if (tracingParAtomics()) traceParAtomic(this.addr, previous, this.#after(name, previous, word));
    if (context().scheduled) atomicOutcome(this.addr, this.toWord(this.#after(name, previous, word)) !== found);
    return previous;
  }

  /** The value a read-modify-write left, from the one it found (for the trace: recomputed, not read again). */
  #after(name: Rmw, previous: T, word: W): T {
    if (name === 'exchange') return this.fromWord(word);
    const p = this.toWord(previous) as number & bigint;
    const w = word as number & bigint;
    const next = name === 'add' ? p + w : name === 'sub' ? p - w : name === 'and' ? p & w : name === 'or' ? p | w : p ^ w;
    return this.fromWord(this.toWord(this.fromWord(next as W)));
  }

  /** Applies `f` in a compare-exchange loop until it sticks; undefined from `f` stops. */
  protected casLoop(f: (current: T) => T | undefined | null): Result<T, T> {
    this.assertUsable();
    const view = this.#word();
    const cas = Atomics.compareExchange as (a: IntArray, i: number, e: W, r: W) => W;
    for (let seen = (Atomics.load as (a: IntArray, i: number) => W)(view, 0); ; ) {
      const current = this.fromWord(seen);
      const next = f(current);
      if (isNone(next)) return err(current);
      const found = cas(view, 0, seen, this.toWord(next as T));
      if (found === seen) {
        if (tracingParAtomics()) traceParAtomic(this.addr, current, this.fromWord(this.toWord(next as T)));
        return ok(current);
      }
      seen = found;
    }
  }

  /** The value. */
  load(order?: Ordering): T {
    readPoint(true, this.addr); // a synchronization point for the seeded scheduler (and a spin-detecting read)
    checkOrdering(order, 'load');
    this.assertUsable();
    const value = this.fromWord((Atomics.load as (a: IntArray, i: number) => W)(this.#word(), 0));
    atomicLoaded(this.addr); // under a seed, a store that follows lets another thread in first (scheduler.ts)
    return value;
  }

  /** Replaces the value. */
  store(value: T, order?: Ordering): void {
    yieldBeforeStore(this.addr); // a synchronization point; under a seed, forced to switch threads right after a load of this atomic
    checkOrdering(order, 'store');
    this.assertUsable();
    (Atomics.store as (a: IntArray, i: number, v: W) => W)(this.#word(), 0, this.toWord(value));
    if (tracingParAtomics()) traceParAtomic(this.addr, undefined, this.fromWord(this.toWord(value)));
  }

  /** Replaces the value and returns the previous one. */
  swap(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('exchange', value);
  }

  /**
   * Stores `next` if the value is `current`. `{ ok: true, value: previous }`
   * when it did, `{ ok: false, value: actual }` when the value was something
   * else (Rust: `Result<T, T>`).
   */
  compareExchange(current: T, next: T, success?: Ordering, failure?: Ordering): Result<T, T> {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(success, 'any');
    checkOrdering(failure, 'failure');
    this.assertUsable();
    const expected = this.toWord(current);
    const cas = Atomics.compareExchange as (a: IntArray, i: number, e: W, r: W) => W;
    const seen = cas(this.#word(), 0, expected, this.toWord(next));
    if (context().scheduled) atomicOutcome(this.addr, seen === expected && seen !== this.toWord(next));
    if (seen !== expected) return err(this.fromWord(seen));
    if (tracingParAtomics()) traceParAtomic(this.addr, this.fromWord(seen), this.fromWord(this.toWord(next)));
    return ok(this.fromWord(seen));
  }

  /** Rust's `compare_exchange_weak`, which may fail spuriously; weft's never does. */
  compareExchangeWeak(current: T, next: T, success?: Ordering, failure?: Ordering): Result<T, T> {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    return this.compareExchange(current, next, success, failure);
  }

  /**
   * Applies `f` to the value until it sticks (a compare-exchange loop; `f`
   * may run more than once under contention, so keep it pure). `f` returns
   * the new value, or undefined to stop: then `{ ok: false, value: current }`.
   * On success `{ ok: true, value: previous }` (Rust: `Result<T, T>`).
   * Rust's form `fetchUpdate(setOrder, fetchOrder, f)` is accepted too.
   */
  fetchUpdate(f: (current: T) => T | undefined | null): Result<T, T>;
  fetchUpdate(setOrder: Ordering, fetchOrder: Ordering, f: (current: T) => T | undefined | null): Result<T, T>;
  fetchUpdate(
    a: Ordering | ((current: T) => T | undefined | null),
    b?: Ordering,
    c?: (current: T) => T | undefined | null,
  ): Result<T, T> {
    const f = typeof a === 'function' ? a : c;
    if (typeof f !== 'function') throw new TypeError('fetchUpdate expects a function from the current value to the new one');
    if (typeof a !== 'function') {
      checkOrdering(a, 'any');
      checkOrdering(b, 'failure');
    }
    return this.casLoop(f);
  }

  /**
   * Rust's `try_update` (Rust 1.95, the new name of `fetch_update`, which
   * Rust now deprecates): the same compare-exchange loop, the same answer.
   * `f` returns the new value, or undefined to stop. As with fetchUpdate,
   * the orderings may be left out: `tryUpdate(f)`.
   */
  tryUpdate(f: (current: T) => T | undefined | null): Result<T, T>;
  tryUpdate(setOrder: Ordering, fetchOrder: Ordering, f: (current: T) => T | undefined | null): Result<T, T>;
  tryUpdate(a: Ordering | ((current: T) => T | undefined | null), b?: Ordering, c?: (current: T) => T | undefined | null): Result<T, T> {
    return typeof a === 'function' ? this.fetchUpdate(a) : this.fetchUpdate(a, b as Ordering, c as (current: T) => T | undefined | null);
  }

  /**
   * Rust's `update` (Rust 1.95): applies `f` until it sticks, as
   * `tryUpdate`, but `f` always gives the new value, and the answer is the
   * previous value itself, not a Result. `f` may run more than once under
   * contention, so keep it pure. `update(f)` without orderings works too.
   */
  update(f: (current: T) => T): T;
  update(setOrder: Ordering, fetchOrder: Ordering, f: (current: T) => T): T;
  update(a: Ordering | ((current: T) => T), b?: Ordering, c?: (current: T) => T): T {
    const f = typeof a === 'function' ? a : c;
    if (typeof f !== 'function') throw new TypeError('update expects (setOrder, fetchOrder, f), f a function from the current value to the new one');
    if (typeof a !== 'function') {
      checkOrdering(a, 'any');
      checkOrdering(b, 'failure');
    }
    return this.casLoop((current) => {
      const next = f(current);
      if (isNone(next)) throw new TypeError(`update's function must give the new value, and it gave ${String(next)}: to stop without storing, use tryUpdate`);
      return next;
    }).value;
  }

  /**
   * The value, to read and change through `.value` (Rust: `get_mut`, a
   * `&mut` to the value, for code that alone holds the atomic). Rust's
   * `&mut self` proves no other thread uses the atomic meanwhile; weft does
   * not check that, and reads and writes the word as `load` and `store` do.
   */
  getMut(): { value: T } {
    this.assertUsable();
    const load = () => this.load();
    const store = (value: T) => this.store(value);
    return {
      get value(): T {
        return load();
      },
      set value(next: T) {
        store(next);
      },
    };
  }

  /** Consumes the atomic and returns its value (Rust: `into_inner`); the handle is spent. */
  intoInner(): T {
    const value = this.load();
    this[MOVE]({ into: 'intoInner(), which consumes it' });
    return value;
  }

  toString(): string {
    return String(this.load());
  }
}

/** What the four integer atomics add; `T` is number (32-bit) or bigint (64-bit). */
abstract class AtomicInteger<T extends number | bigint> extends Atomic<T, T> {
  protected abstract nand(a: T, b: T): T;

  protected fromWord(word: T): T {
    return word;
  }

  /** The previous value of a CAS-loop update that always applies. */
  #apply(f: (current: T) => T): T {
    return this.casLoop(f).value;
  }

  /** Adds (wrapping on overflow) and returns the previous value. */
  fetchAdd(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('add', value);
  }

  /** Subtracts (wrapping on overflow) and returns the previous value. */
  fetchSub(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('sub', value);
  }

  /** Bitwise and; returns the previous value. */
  fetchAnd(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('and', value);
  }

  /** Bitwise nand (`!(old & value)`); returns the previous value. */
  fetchNand(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    const operand = this.toWord(value);
    return this.#apply((current) => this.nand(current, operand));
  }

  /** Bitwise or; returns the previous value. */
  fetchOr(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('or', value);
  }

  /** Bitwise xor; returns the previous value. */
  fetchXor(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('xor', value);
  }

  /** Stores the larger of the value and `value`; returns the previous value. */
  fetchMax(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    const operand = this.toWord(value);
    return this.#apply((current) => (operand > current ? operand : current));
  }

  /** Stores the smaller of the value and `value`; returns the previous value. */
  fetchMin(value: T, order?: Ordering): T {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    const operand = this.toWord(value);
    return this.#apply((current) => (operand < current ? operand : current));
  }
}

function checkInteger(what: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new TypeError(`${what} holds whole numbers, got ${typeof value === 'bigint' ? `${value}n (a bigint)` : String(value)}`);
  }
  return value;
}

function checkBigInt(what: string, value: unknown): bigint {
  if (typeof value !== 'bigint') {
    throw new TypeError(`${what} holds bigint values (write 5n, not 5), got ${String(value)}`);
  }
  return value;
}

/** Rust's `AtomicI32`: a 32-bit signed integer shared between threads. */
export class AtomicI32 extends AtomicInteger<number> {
  protected readonly what = 'AtomicI32';
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super(Type.i32, addr);
    if (addr === undefined) this.store(value);
  }
  protected viewKind(): ViewOf {
    return Int32Array;
  }
  protected toWord(value: number): number {
    return checkInteger(this.what, value) | 0;
  }
  protected nand(a: number, b: number): number {
    return ~(a & b);
  }
}

/** Rust's `AtomicU32`: a 32-bit unsigned integer shared between threads. */
export class AtomicU32 extends AtomicInteger<number> {
  protected readonly what = 'AtomicU32';
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super(Type.u32, addr);
    if (addr === undefined) this.store(value);
  }
  protected viewKind(): ViewOf {
    return Uint32Array;
  }
  protected toWord(value: number): number {
    return checkInteger(this.what, value) >>> 0;
  }
  protected nand(a: number, b: number): number {
    return ~(a & b) >>> 0;
  }
}

/** Rust's `AtomicI64`: a 64-bit signed integer shared between threads; values are bigints. */
export class AtomicI64 extends AtomicInteger<bigint> {
  protected readonly what = 'AtomicI64';
  constructor(value: bigint);
  constructor(value: bigint, addr?: number);
  constructor(value: bigint, addr?: number) {
    super(Type.i64, addr);
    if (addr === undefined) this.store(value);
  }
  protected viewKind(): ViewOf {
    return BigInt64Array;
  }
  protected toWord(value: bigint): bigint {
    return BigInt.asIntN(64, checkBigInt(this.what, value));
  }
  protected nand(a: bigint, b: bigint): bigint {
    return BigInt.asIntN(64, ~(a & b));
  }
}

/** Rust's `AtomicU64`: a 64-bit unsigned integer shared between threads; values are bigints. */
export class AtomicU64 extends AtomicInteger<bigint> {
  protected readonly what = 'AtomicU64';
  constructor(value: bigint);
  constructor(value: bigint, addr?: number);
  constructor(value: bigint, addr?: number) {
    super(Type.u64, addr);
    if (addr === undefined) this.store(value);
  }
  protected viewKind(): ViewOf {
    return BigUint64Array;
  }
  protected toWord(value: bigint): bigint {
    return BigInt.asUintN(64, checkBigInt(this.what, value));
  }
  protected nand(a: bigint, b: bigint): bigint {
    return BigInt.asUintN(64, ~(a & b));
  }
}

/**
 * The integer atomics that hold a JavaScript number and have no class of
 * their own above (Rust's AtomicI8, AtomicU8, AtomicI16, AtomicU16, and
 * AtomicIsize/AtomicUsize at 32 bits): the low bytes of the value word, read
 * through a view of that width, so they wrap at their width as Rust's do.
 * Each is a named class over NarrowAtomic (weft's declarations for the
 * editor need a named class to hide protected members behind).
 */
const NARROW = {
  [Type.i8]: { view: Int8Array, wrap: (v: number) => (v << 24) >> 24 },
  [Type.u8]: { view: Uint8Array, wrap: (v: number) => v & 0xff },
  [Type.i16]: { view: Int16Array, wrap: (v: number) => (v << 16) >> 16 },
  [Type.u16]: { view: Uint16Array, wrap: (v: number) => v & 0xffff },
  [Type.isize]: { view: Int32Array, wrap: (v: number) => v | 0 },
  [Type.usize]: { view: Uint32Array, wrap: (v: number) => v >>> 0 },
} as const;

abstract class NarrowAtomic extends AtomicInteger<number> {
  protected readonly what: string;
  readonly #width: (typeof NARROW)[keyof typeof NARROW];
  protected constructor(what: string, type: keyof typeof NARROW, value: number, addr: number | undefined) {
    super(type, addr);
    this.what = what;
    this.#width = NARROW[type];
    if (addr === undefined) this.store(value);
  }
  protected viewKind(): ViewOf {
    return this.#width.view;
  }
  protected toWord(value: number): number {
    return this.#width.wrap(checkInteger(this.what, value));
  }
  protected nand(a: number, b: number): number {
    return this.#width.wrap(~(a & b));
  }
}

/** Rust's `AtomicI8`: an 8-bit signed integer shared between threads. */
export class AtomicI8 extends NarrowAtomic {
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super('AtomicI8', Type.i8, value, addr);
  }
}

/** Rust's `AtomicU8`: an 8-bit unsigned integer shared between threads. */
export class AtomicU8 extends NarrowAtomic {
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super('AtomicU8', Type.u8, value, addr);
  }
}

/** Rust's `AtomicI16`: a 16-bit signed integer shared between threads. */
export class AtomicI16 extends NarrowAtomic {
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super('AtomicI16', Type.i16, value, addr);
  }
}

/** Rust's `AtomicU16`: a 16-bit unsigned integer shared between threads. */
export class AtomicU16 extends NarrowAtomic {
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super('AtomicU16', Type.u16, value, addr);
  }
}

/** Rust's `AtomicUsize`, 32 bits wide as on wasm32 (a JavaScript number, like
 * AtomicU32): it wraps at 2^32, where a 64-bit target's usize wraps at 2^64. */
export class AtomicUsize extends NarrowAtomic {
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super('AtomicUsize', Type.usize, value, addr);
  }
}

/** Rust's `AtomicIsize`, 32 bits wide as on wasm32 (like AtomicI32). */
export class AtomicIsize extends NarrowAtomic {
  constructor(value: number);
  constructor(value: number, addr?: number);
  constructor(value: number, addr?: number) {
    super('AtomicIsize', Type.isize, value, addr);
  }
}

/** Rust's `AtomicBool`: a boolean shared between threads (one Int32 word, 0 or 1). */
export class AtomicBool extends Atomic<boolean, number> {
  protected readonly what = 'AtomicBool';
  constructor(value: boolean);
  constructor(value: boolean, addr?: number);
  constructor(value: boolean, addr?: number) {
    super(Type.bool, addr);
    if (addr === undefined) this.store(value);
  }
  protected viewKind(): ViewOf {
    return Int32Array;
  }
  protected toWord(value: boolean): number {
    if (typeof value !== 'boolean') throw new TypeError(`AtomicBool holds true or false, got ${String(value)}`);
    return value ? 1 : 0;
  }
  protected fromWord(word: number): boolean {
    return word !== 0;
  }

  /** Logical and; returns the previous value. */
  fetchAnd(value: boolean, order?: Ordering): boolean {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('and', value);
  }

  /** Logical nand (`!(old && value)`); returns the previous value. */
  fetchNand(value: boolean, order?: Ordering): boolean {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    const operand = this.fromWord(this.toWord(value));
    return this.casLoop((current) => !(current && operand)).value;
  }

  /** Logical or; returns the previous value. */
  fetchOr(value: boolean, order?: Ordering): boolean {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('or', value);
  }

  /** Logical xor; returns the previous value. */
  fetchXor(value: boolean, order?: Ordering): boolean {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('xor', value);
  }

  /** Logical not; returns the previous value. */
  fetchNot(order?: Ordering): boolean {
    yieldPoint(this.addr); // a synchronization point for the seeded scheduler
    checkOrdering(order, 'any');
    return this.rmw('xor', true);
  }
}

registerDecoder(HandleKind.Atomic, (addr) => {
  switch (context().memory.i32[addr >> 2]) {
    case Type.i32:
      return new AtomicI32(0, addr);
    case Type.u32:
      return new AtomicU32(0, addr);
    case Type.i64:
      return new AtomicI64(0n, addr);
    case Type.u64:
      return new AtomicU64(0n, addr);
    case Type.bool:
      return new AtomicBool(false, addr);
    case Type.i8:
      return new AtomicI8(0, addr);
    case Type.u8:
      return new AtomicU8(0, addr);
    case Type.i16:
      return new AtomicI16(0, addr);
    case Type.u16:
      return new AtomicU16(0, addr);
    case Type.isize:
      return new AtomicIsize(0, addr);
    case Type.usize:
      return new AtomicUsize(0, addr);
    default:
      throw new Error(`weft internal error: bad atomic type at ${addr}`);
  }
});
