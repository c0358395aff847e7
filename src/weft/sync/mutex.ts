/**
 * Mutex<T> — Rust's `std::sync::Mutex`. https://doc.rust-lang.org/std/sync/struct.Mutex.html
 *
 * In run memory (Int32 words at `addr`):
 *   0 lock word (Drepper's three-state futex lock, runtime/futex-lock.ts)
 *   1 poisoned flag
 *   2 value kind: 0 undefined, 1 number stored inline as a float64, 2 encoded bytes
 *   3 bytes pointer, 4 bytes length
 *   5 holder thread id (0 when unlocked): for "already held" errors and deadlock reports
 *   6-7 the inline float64
 *
 * Lock, unlock and a number value go through fixed-length views of the
 * record (`RecordViews`): an access through the run memory's length-tracking
 * views costs ~55 ns, through a fixed-length one ~10 ns (atomic.ts), and an
 * uncontended lock/unlock makes about ten of them. The buffer only grows, so
 * a fixed view of a record stays valid for the whole run.
 *
 * The value lives in shared memory, so a guard *copies* it in when first
 * read and writes it back on unlock. Numbers take the fast path (8 bytes,
 * no encoding); any other value is encoded and decoded with the codec, which
 * costs time proportional to its size on every lock that reads it.
 */
import { traceEvent, traceValue } from '../runtime/trace.ts';
import { atomicOutcome, preemptHolder, readPoint, yieldPoint } from '../runtime/scheduler.ts';
import { callerLocation, context, type Owned, type ThreadContext } from '../runtime/context.ts';
import { DEBUG_STRUCT, DISPLAY_AS, DROP_OWNED, ENCODE, type DebugStruct, FREE_LOCAL, HandleKind, MOVE, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { lockWord, lockWordWatching, tryLockWord, unlockWord } from '../runtime/futex-lock.ts';
import { DROP_CONTENTS, dropTree, holdGuard, releaseGuard } from '../runtime/ownership.ts';
import { disposeDirectly, UNWINDING } from '../runtime/unwind.ts';
import { describeThread } from '../runtime/thread-table.ts';
import { PoisonError, refusePoisoned } from './errors.ts';
import { debugData } from './debug.ts';
import { clonedData } from './plain-data.ts';
import { dropOwnedLock, dropValue, loadValue as loadCell, loadValueSeeing, storeValue as storeCell, takeValue, writeBackValue, type CellLayout } from './value-cell.ts';

const W = { lock: 0, poisoned: 1, kind: 2, ptr: 3, len: 4, holder: 5, number: 6 } as const;
const CELL: CellLayout = { kind: W.kind, ptr: W.ptr, len: W.len, number: W.number };
const WORDS = 8;
/** Loads a thread makes watching a held Mutex before it sleeps on it. */
const LOCK_WATCHES = 100;
const Kind = { undefined: 0, number: 1, bytes: 2 } as const;

/** Fixed-length views of one Mutex record (see the header comment), and its address. */
interface RecordViews {
  addr: number;
  words: Int32Array;
  /** The inline float64 (words 6-7). */
  number: Float64Array;
}

function recordViews(addr: number): RecordViews {
  const { buffer } = context().memory;
  return { addr, words: new Int32Array(buffer, addr, WORDS), number: new Float64Array(buffer, addr + W.number * 4, 1) };
}

/**
 * The lock is ours: the holder recorded, the guard on the thread's stack
 * (dropped if the thread ends holding it), the trace told. The holder word
 * and the poisoned flag are written and read with plain accesses: the lock
 * word's atomics order them (taking the lock is a sequentially consistent
 * compare-exchange, releasing it an atomic subtract after them), and a
 * plain access costs ~1 ns against ~7 for an atomic one; an uncontended
 * lock/unlock is then two atomics, as Rust's (issue 15). Other threads
 * read the holder only for messages and deadlock reports, which look twice.
 */
function held(ctx: ThreadContext, guard: MutexGuard<unknown>, views: RecordViews): void {
  views.words[5] = ctx.threadId; // W.holder
  guard[TAKEN]();
  holdGuard(ctx, guard);
  if (ctx.traced) traceEvent('lock', views.addr);
}

/** Mutual exclusion around one value: only the holder of the guard may touch it. */
export class Mutex<T> extends MovableHandle {
  protected readonly what = 'Mutex';
  readonly #addr: number;
  #views: RecordViews | undefined;

  constructor(value: T);
  constructor(value: T, addr?: number);
  constructor(value: T, addr?: number) {
    super();
    if (addr !== undefined) {
      this.#addr = addr;
      this.#made = false;
      return;
    }
    this.#made = true;
    const { memory } = context();
    this.#addr = memory.allocRecord(WORDS);
    storeValue(this.#addr, value, true);
  }

  [ENCODE]() {
    return { kind: HandleKind.Mutex, addr: this.#addr };
  }

  /** Dropped as part of a value being dropped (the last Arc of it, a message nobody received): its value goes too. */
  [DROP_CONTENTS](): void {
    dropValue(this.#addr, CELL);
  }

  /** Made here by `new` (this handle owns the Mutex), not decoded from an Arc's value or a capture (which borrow it). */
  readonly #made: boolean;

  /** `drop(lock)` (sync/drop.ts DROP_OWNED): the value is dropped with the Mutex made here; a borrowed handle answers false. */
  [DROP_OWNED](): boolean {
    if (!this.#made) return false;
    this.assertUsable();
    dropOwnedLock(this, this.#addr, CELL, W.lock, 'Mutex');
    return true;
  }

  /** The end of its local variable's block (compile/local-drops.ts): freed with its value, unless a guard still holds it. */
  [FREE_LOCAL](): void {
    const addr = this.#addr;
    const { memory } = context();
    // A plain read: no other thread has this Mutex. Non-zero: a guard that left the block holds it.
    if (!this.spendLocal(memory.i32[(addr >> 2) + W.lock] !== 0)) return;
    if (memory.i32[(addr >> 2) + W.kind]! > Kind.number) dropValue(addr, CELL);
    memory.freeRecord(addr);
  }

  /**
   * Blocks until the lock is free, takes it, and returns the guard.
   * Release it with `using guard = m.lock()` (at the end of the block, like
   * Rust's drop) or `guard.unlock()`. Throws PoisonError if a thread
   * panicked while holding the lock: the lock is released again, and the
   * error's `intoInner()` takes it and gives the guard (Rust's
   * `lock().unwrap_or_else(|e| e.into_inner())`).
   */
  lock(): MutexGuard<T> {
    // Kept short, in bytecode: V8 inlines a call only when the callee's bytecode and what its own optimised code
    // inlined come to under 460 bytes. Once a contended run has made #wait hot (another program's, in a reused
    // worker), lock() with #wait inlined came to 217 + 286 bytes and was called, not inlined, from the reader's loop:
    // lock/+1/unlock ~60 against ~37 ns (issue 15). Now 184 + 250.
    this.assertUsable();
    const ctx = context();
    if (ctx.scheduled) yieldPoint();
    const views = this.#views ?? this.#makeViews();
    // Made before the lock is taken, so allocating it (and a collection that may start) is not done while holding it.
    const guard = new MutexGuard<T>(views);
    // The uncontended case: one compare-exchange on the fixed view. Word 0 is W.lock, 1 W.poisoned: numbers here, as
    // a lookup in W is bytecode that counts against that limit.
    if (Atomics.compareExchange(views.words, 0, 0, 1) !== 0) this.#wait(ctx, views);
    held(ctx, guard, views);
    if (views.words[1] !== 0) this.#refusePoisoned(guard);
    return guard;
  }

  /** The record's fixed views, made at this handle's first use (apart from the lock methods, to keep lock() short). */
  #makeViews(): RecordViews {
    return (this.#views = recordViews(this.#addr));
  }

  /**
   * A lock method took a poisoned lock: PoisonError, whose intoInner() takes it again. Apart from lock() because
   * its closure captures `this`: in lock() itself V8 would allocate that capture's context on every call
   * (40 bytes a lock, whether poisoned or not; issue 15).
   */
  #refusePoisoned(guard: MutexGuard<T>): never {
    refusePoisoned(guard, 'Mutex', () => this.#lockPoisoned());
  }

  /**
   * `lock()` taking a poisoned lock as any other (PoisonError.intoInner). The same steps as lock()'s, written out
   * there rather than shared: lock() calling a shared method was one call too deep for V8 to inline into a `using`
   * block (lock/+1/unlock with `using` 37 -> 44 ns, measured when sharing them was tried).
   */
  #lockPoisoned(): MutexGuard<T> {
    this.assertUsable();
    const ctx = context();
    if (ctx.scheduled) yieldPoint();
    const views = this.#views ?? this.#makeViews();
    const guard = new MutexGuard<T>(views);
    if (Atomics.compareExchange(views.words, W.lock, 0, 1) !== 0) this.#wait(ctx, views);
    held(ctx, guard, views);
    return guard;
  }

  /** The lock is held: by this thread (a self-deadlock, named), or by another (waited for). */
  #wait(ctx: ThreadContext, views: RecordViews): void {
    // Our own holder write, if any, is what this reads (a plain access: see held).
    if (views.words[W.holder] === ctx.threadId) {
      const where = callerLocation();
      throw new Error(
        `deadlock: thread '${describeThread(ctx.memory, ctx.threadId)}' already holds this Mutex and tried to lock it again` +
          (where ? ` at line ${where.line}` : '') +
          ' (Rust would hang forever here; release the first guard before locking again)',
      );
    }
    // Held by another thread, usually for a few instructions: watched on the fixed view, then the futex path on it too.
    lockWordWatching(views.words, W.lock, LOCK_WATCHES, { kind: 'mutex', object: this.#addr });
  }

  /** Takes the lock if it is free; returns undefined if another thread holds it (Rust: `WouldBlock`). */
  tryLock(): MutexGuard<T> | undefined {
    return this.#tryLock(true);
  }

  /**
   * `tryLock`; `stalls` false for a look that is not the program's own (Debug printing). Under a seed, the program's
   * first tryLock that finds the lock taken keeps the turn at this lock for a while, as when its holder is off its
   * core (scheduler.ts, "Fault injection"): a loop that gives up after some tries and goes on without the lock meets
   * the holder inside.
   */
  #tryLock(stalls: boolean): MutexGuard<T> | undefined {
    this.assertUsable();
    readPoint(false, stalls ? this.#addr : undefined);
    const ctx = context();
    const views = this.#views ?? this.#makeViews();
    if (!tryLockWord(views.words, W.lock)) {
      if (stalls && ctx.scheduled) atomicOutcome(this.#addr, false);
      return undefined;
    }
    const guard = new MutexGuard<T>(views);
    held(ctx, guard, views);
    if (views.words[W.poisoned] !== 0) this.#refusePoisoned(guard);
    if (stalls && ctx.scheduled) preemptHolder();
    return guard;
  }

  /**
   * Consumes the Mutex and returns its value (Rust: `Mutex::into_inner`).
   * The Mutex is spent afterwards: using it throws "use of moved value".
   * If a holder panicked, throws PoisonError whose `intoInner()` is the value
   * (Rust's `Err(PoisonError(value))`). Rust's ownership guarantees nobody
   * holds the lock; weft checks it, and throws if another thread does.
   */
  intoInner(): T {
    this.assertUsable();
    const guard = this.#exclusive('intoInner');
    // Taken, not copied: the handles inside are the caller's now (dropped when its thread ends), as Rust's value moves out.
    const value = takeValue(this.#addr, CELL, 'Mutex') as T;
    guard[FORGET]();
    const poisoned = this.isPoisoned();
    guard.unlock();
    spend(this);
    if (poisoned) throw new PoisonError(value);
    return value;
  }

  /**
   * Access to the value without waiting, for the code that alone owns the
   * Mutex (Rust: `Mutex::get_mut`, where `&mut self` proves it). The value
   * lives in shared memory, so the access is a guard, as from `lock()`,
   * written back when released. Where Rust's borrow checker would refuse a
   * program in which another thread holds the lock, weft throws. Throws
   * PoisonError holding the guard if a holder panicked.
   */
  getMut(): MutexGuard<T> {
    this.assertUsable();
    const guard = this.#exclusive('getMut');
    if (this.isPoisoned()) refusePoisoned(guard, 'Mutex', () => this.#exclusive('getMut'));
    return guard;
  }

  /** The lock taken without waiting (poisoned or not), or an error: `api` needs the Mutex to itself. */
  #exclusive(api: string): MutexGuard<T> {
    const views = this.#views ?? this.#makeViews();
    if (!tryLockWord(views.words, W.lock)) {
      const holder = Atomics.load(views.words, W.holder);
      throw new Error(
        `${api} needs this Mutex to itself, but thread '${describeThread(context().memory, holder)}' holds its lock ` +
          '(in Rust, ownership rules this out at compile time: use lock() to share it)',
      );
    }
    const guard = new MutexGuard<T>(views);
    held(context(), guard, views);
    return guard;
  }

  /** true if a thread panicked while holding the lock. */
  isPoisoned(): boolean {
    this.assertUsable();
    readPoint();
    return Atomics.load(context().memory.i32, (this.#addr >> 2) + W.poisoned) !== 0;
  }

  /** Marks the Mutex as not poisoned (Rust: `clear_poison`). */
  clearPoison(): void {
    this.assertUsable();
    Atomics.store(context().memory.i32, (this.#addr >> 2) + W.poisoned, 0);
  }

  /**
   * A copy of the value, taken under the lock (Rust: `get_cloned`, nightly
   * `lock_value_accessors`). Throws PoisonError (whose `intoInner()` is
   * undefined, Rust's `PoisonError<()>`) if a holder panicked, and a
   * TypeError for a value holding weft handles, which weft cannot clone.
   */
  getCloned(): T {
    const guard = this.#lockOr(() => new PoisonError<undefined>(undefined));
    try {
      return clonedData(guard.value, 'Mutex.getCloned');
    } finally {
      guard.unlock();
    }
  }

  /**
   * Replaces the value under the lock; the old one is dropped (Rust: `set`,
   * nightly `lock_value_accessors`). If a holder panicked, nothing is
   * stored and PoisonError is thrown, its `intoInner()` the value you gave.
   */
  set(value: T): void {
    dropTree(this.replace(value));
  }

  /**
   * Replaces the value under the lock and returns the old one (Rust:
   * `replace`, nightly `lock_value_accessors`): `const old = g.value;
   * g.value = value` in one call. If a holder panicked, nothing is stored
   * and PoisonError is thrown, its `intoInner()` the value you gave.
   */
  replace(value: T): T {
    const guard = this.#lockOr(() => new PoisonError<T>(value));
    try {
      // The old value taken out (its handles the caller's), the new one moved in; the guard forgets its copy, so writes nothing back.
      const old = takeValue(this.#addr, CELL, 'Mutex') as T;
      storeValue(this.#addr, value, true);
      guard[FORGET]();
      return old;
    } finally {
      guard.unlock();
    }
  }

  /** lock(), throwing `poisoned()` in place of a PoisonError that would hand out the guard. */
  #lockOr(poisoned: () => Error): MutexGuard<T> {
    try {
      return this.lock();
    } catch (error) {
      if (error instanceof PoisonError) throw poisoned();
      throw error;
    }
  }

  toString(): string {
    return 'Mutex { .. }';
  }

  /** Rust's Debug: `Mutex { data: 7, poisoned: false, .. }`, the data `<locked>` while a guard holds it (sync/debug.ts). */
  [DEBUG_STRUCT](): DebugStruct {
    const data = debugData(() => this.#tryLock(false));
    return { name: 'Mutex', fields: { data, poisoned: this.isPoisoned() }, nonExhaustive: true };
  }
}

registerDecoder(HandleKind.Mutex, (addr) => new Mutex<unknown>(undefined, addr));

/** @internal The key of MutexGuard's hook for Mutex: its lock is taken. */
const TAKEN = Symbol('weft.mutexGuard.taken');

/** @internal The key of MutexGuard's hook for Mutex: the value was replaced in the record, so the guard's copy is stale. */
const FORGET = Symbol('weft.mutexGuard.forget');

/** @internal The key of MutexGuard's hook for Condvar; not exported from weft/sync. */
export const WHILE_UNLOCKED = Symbol('weft.mutexGuard.whileUnlocked');

/** What a guard that read a value other than a number decoded of it: the handles it lent out (value-cell.ts loadValueSeeing). */
const seenBy = new WeakMap<object, object[]>();

/** MutexGuard's state bits: the value copied in (or assigned), the lock released, a panic unwinding through its block. */
const LOADED = 1;
const RELEASED = 2;
const UNWOUND = 4;

/**
 * Proof that this thread holds the lock, and access to the value
 * (Rust's `MutexGuard`, whose Deref is `guard.value` here).
 *
 * Three fields (the record's views, the value's copy, a state word), so
 * the one allocation per lock is small.
 */
export class MutexGuard<T> implements Owned, Disposable {
  readonly #views: RecordViews;
  #value: unknown = undefined;
  /** LOADED | RELEASED | UNWOUND (a throw is leaving the block that holds this guard, runtime/unwind.ts: its release poisons the lock). */
  #state = 0;

  /** @internal made by Mutex, which records it as held once the lock is taken. */
  constructor(views: RecordViews) {
    this.#views = views;
  }

  /**
   * @internal The lock is taken: a number value is copied in at once (two
   * plain reads of a record the lock has just brought to this thread), so
   * the getter's usual path is a field read and not a call into #load,
   * inside the critical section (under contention, 12.5 M/s without the
   * value touched against 8.3 with it, before this). Any other value stays
   * lazy: it is decoded only if read.
   */
  [TAKEN](): void {
    const views = this.#views;
    if (views.words[2] === 1) {
      // W.kind is Kind.number (as numbers: this is part of lock()'s inlined path)
      this.#value = views.number[0];
      this.#state = LOADED;
    }
  }

  /** @internal Mutex.replace and intoInner wrote the record themselves: the copy is dropped, and nothing is written back. */
  [FORGET](): void {
    this.#value = undefined;
    this.#state &= ~LOADED;
  }

  /** The protected value. Reading copies it in; assigning replaces it; either way it is written back on unlock. */
  get value(): T {
    if (this.#state !== LOADED) MutexGuard.#load(this);
    return this.#value as T;
  }

  set value(next: T) {
    const state = this.#state;
    if ((state & RELEASED) !== 0) MutexGuard.#assertHeld(this);
    this.#value = next;
    this.#state = state | LOADED;
  }

  /** The value copied in, unless it already is (or the guard is released: an error). */
  static #load(guard: MutexGuard<unknown>): void {
    MutexGuard.#assertHeld(guard);
    if ((guard.#state & LOADED) !== 0) return;
    // A number is read straight from the record; anything else through the codec (value-cell.ts).
    const views = guard.#views;
    const kind = views.words[W.kind];
    if (kind === Kind.number) guard.#value = views.number[0];
    else if (kind === Kind.bytes) {
      // What handles it lends out, so the write-back knows what was taken out, left in or put in (value-cell.ts).
      const seen: object[] = [];
      guard.#value = loadValueSeeing(views.addr, CELL, 'Mutex', seen);
      seenBy.set(guard, seen);
    } else guard.#value = loadValue(views.addr);
    guard.#state |= LOADED;
  }

  /** Releases the lock (Rust: dropping the guard). Safe to call twice. */
  unlock(): void {
    const ctx = context();
    MutexGuard.#release(this, ctx, false);
    if (ctx.scheduled) yieldPoint();
  }

  [Symbol.dispose](): void {
    MutexGuard.#dispose(this);
  }

  static #dispose(guard: MutexGuard<unknown>): void {
    const ctx = context();
    MutexGuard.#release(guard, ctx, (guard.#state & UNWOUND) !== 0);
    if (ctx.scheduled) yieldPoint();
  }

  static {
    // A compiled `using` calls this dispose as a plain function, not through Reflect.apply (runtime/unwind.ts, disposeDirectly).
    disposeDirectly(MutexGuard.prototype[Symbol.dispose], (guard: MutexGuard<unknown>) => MutexGuard.#dispose(guard));
  }

  /** @internal a panic is unwinding through the block that holds this guard (compiled `using`). */
  [UNWINDING](): void {
    this.#state |= UNWOUND;
  }

  /** @internal the owning thread ended; a panic poisons the lock. */
  dropOnExit(panicking: boolean): void {
    MutexGuard.#release(this, context(), panicking);
  }

  /**
   * @internal Condvar.wait (sync/condvar.ts): writes the value back and
   * releases the lock while `block` runs, then takes the lock again and
   * forgets this guard's copy, so the next read sees what other threads
   * wrote meanwhile. The guard object stays the one the caller holds (a
   * `using` declaration still releases it). Throws PoisonError holding this
   * guard when the lock was poisoned meanwhile, as Rust's `wait` returns
   * `Err(PoisonError(guard))`.
   */
  [WHILE_UNLOCKED]<R>(block: (mutexAddr: number) => R): R {
    MutexGuard.#assertHeld(this);
    const { threadId } = context();
    const { addr, words } = this.#views;
    const held = MutexGuard.#numberHeld(this);
    if ((this.#state & LOADED) !== 0) MutexGuard.#writeBack(this);
    this.#value = undefined;
    // Marked released while unlocked, so a drop during the wait cannot unlock another thread's hold.
    this.#state = (this.#state & UNWOUND) | RELEASED;
    Atomics.store(words, W.holder, 0);
    // The trace shows the wait as it is: the lock released, the wait, the lock taken again.
    traceValue('unlock', addr, held);
    unlockWord(words, W.lock);
    let result: R;
    try {
      result = block(addr);
    } finally {
      lockWord(words, W.lock, Infinity, { kind: 'mutex', object: addr });
      Atomics.store(words, W.holder, threadId);
      this.#state &= UNWOUND;
      traceEvent('lock', addr);
    }
    if (Atomics.load(words, W.poisoned) !== 0) throw new PoisonError(this);
    return result;
  }

  static #assertHeld(guard: MutexGuard<unknown>): void {
    if ((guard.#state & RELEASED) !== 0) {
      throw new Error('this MutexGuard was already released: lock the Mutex again to use its value');
    }
  }

  /** The value as this holder leaves it, when it is a number (for the trace: runtime/trace.ts traceValue). */
  static #numberHeld(guard: MutexGuard<unknown>): unknown {
    if ((guard.#state & LOADED) !== 0) return guard.#value;
    const views = guard.#views;
    return views.words[W.kind] === Kind.number ? views.number[0] : undefined;
  }

  /**
   * Writes the value back and releases the lock. The usual case (a number
   * read or assigned, or the value untouched) is kept short, so V8 inlines
   * it into the caller; any other value is written back by #releaseStoring.
   */
  static #release(guard: MutexGuard<unknown>, ctx: ThreadContext, poison: boolean): void {
    const state = guard.#state;
    if ((state & RELEASED) !== 0) return;
    const views = guard.#views;
    const words = views.words;
    const value = guard.#value;
    if ((state & LOADED) !== 0 && !(typeof value === 'number' && words[W.kind] === Kind.number)) {
      MutexGuard.#releaseStoring(guard, ctx, poison);
      return;
    }
    guard.#state = state | RELEASED;
    if (ctx.traced) traceValue('unlock', views.addr, MutexGuard.#numberHeld(guard));
    if ((state & LOADED) !== 0) views.number[0] = value as number;
    // Plain stores, made visible by the unlock's atomic subtract (held, above).
    if (poison) words[W.poisoned] = 1;
    words[W.holder] = 0;
    // unlockWord only touches the lock word and wakes its waiters, so the fixed view serves.
    unlockWord(words, W.lock);
    releaseGuard(ctx, guard);
  }

  /** #release for a value that is not a number already stored as one: the kind word changes, or the codec encodes it. */
  static #releaseStoring(guard: MutexGuard<unknown>, ctx: ThreadContext, poison: boolean): void {
    const state = guard.#state;
    guard.#state = state | RELEASED;
    const views = guard.#views;
    if (ctx.traced) traceValue('unlock', views.addr, MutexGuard.#numberHeld(guard));
    const words = views.words;
    try {
      const value = guard.#value;
      const kind = words[W.kind];
      if (typeof value === 'number' && (kind === Kind.number || kind === Kind.undefined)) {
        views.number[0] = value;
        if (kind !== Kind.number) words[W.kind] = Kind.number;
      } else {
        MutexGuard.#writeBack(guard);
      }
    } finally {
      if (poison) words[W.poisoned] = 1;
      words[W.holder] = 0;
      unlockWord(words, W.lock);
      releaseGuard(ctx, guard);
    }
  }

  /** The value written back with Rust's ownership (value-cell.ts writeBackValue): handles put in move into the Mutex. */
  static #writeBack(guard: MutexGuard<unknown>): void {
    const seen = seenBy.get(guard) ?? null;
    if (seen !== null) seenBy.delete(guard);
    writeBackValue(guard.#views.addr, CELL, guard.#value, 'a Mutex', seen);
  }

  /** Rust's Display and Debug of a MutexGuard print the value itself: so do `String(guard)` and `console.log` (DISPLAY_AS). */
  toString(): string {
    return String(this[DISPLAY_AS]);
  }

  get [DISPLAY_AS](): unknown {
    return (this.#state & RELEASED) !== 0 ? '<released>' : this.value;
  }
}

/** Marks a lock consumed by `intoInner`: later use throws "use of moved value", naming the line. */
export function spend(handle: MovableHandle): void {
  const where = callerLocation();
  handle[MOVE](where === undefined ? { into: 'its value (intoInner)' } : { into: 'its value (intoInner)', location: where });
}

function storeValue(addr: number, value: unknown, fresh: boolean): void {
  // A fresh value moves into the Mutex; handles inside it belong to the Mutex now.
  storeCell(addr, CELL, value, fresh ? 'a Mutex' : undefined);
}

function loadValue(addr: number): unknown {
  return loadCell(addr, CELL, 'Mutex');
}
