/**
 * RwLock<T> — Rust's `std::sync::RwLock`. https://doc.rust-lang.org/std/sync/struct.RwLock.html
 *
 * Any number of readers, or one writer. The lock is Rust's own futex
 * rwlock (library/std/src/sys/sync/rwlock/futex.rs), ported word for word
 * in futex-rwlock.ts; here are the lock's handle and guards.
 *
 * In run memory (Int32 words at `addr`):
 *   0 state: bits 0-29 the lock (0 unlocked, 1..0x3FFFFFFE that many
 *     readers, 0x3FFFFFFF write-locked); bit 30 readers are waiting (on this
 *     word); bit 31 writers are waiting (on word 8)
 *   1 poisoned flag
 *   2 value kind, 3 bytes pointer, 4 bytes length, 6-7 inline float64:
 *     the value, stored as a Mutex stores it (sync/value-cell.ts)
 *   5 writer: thread id holding the write lock (0 when none), for
 *     "already held" errors and deadlock reports. Readers are counted in the
 *     state word, not named.
 *   8 writer notify: bumped to wake one waiting writer
 *
 * Fairness: writer-preferring, like Rust's on Linux. Once a writer waits,
 * new readers wait too, so a steady stream of readers cannot starve a
 * writer; when the lock is released and both wait, one writer goes first,
 * then the waiting readers all together. Consequence (the same in Rust): a
 * thread that already holds a read guard and asks for another while a
 * writer waits would deadlock — the writer waits for the first guard, the
 * second read waits for the writer. weft reports that as an error instead
 * of hanging.
 */
import { callerLocation, context, type Owned } from '../runtime/context.ts';
import { DEBUG_STRUCT, DISPLAY_AS, DROP_OWNED, ENCODE, type DebugStruct, FREE_LOCAL, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { DROP_CONTENTS, dropTree, own } from '../runtime/ownership.ts';
import { UNWINDING } from '../runtime/unwind.ts';
import { describeThread } from '../runtime/thread-table.ts';
import { traceEvent, tracing } from '../runtime/trace.ts';
import { atomicOutcome, preemptHolder, readPoint, yieldPoint } from '../runtime/scheduler.ts';
import { PoisonError, refusePoisoned } from './errors.ts';
import { debugData } from './debug.ts';
import { clonedData, deepFreeze } from './plain-data.ts';
import { spend } from './mutex.ts';
import { dropOwnedLock, dropValue, loadValue, loadValueSeeing, storeValue, takeValue, writeBackValue, type CellLayout } from './value-cell.ts';
import {
  downgradeWord,
  isReadLockable,
  isUnlocked,
  readContended,
  readUnlock,
  READ_LOCKED,
  W,
  WORDS,
  writeContended,
  writeUnlock,
  WRITE_LOCKED,
} from './futex-rwlock.ts';
import { runLocal } from '../runtime/run-local.ts';

const CELL: CellLayout = { kind: W.kind, ptr: W.ptr, len: W.len, number: W.number };

/**
 * Read guards this thread holds, per lock (thread-local: each worker has
 * its own module instance, and one worker runs one weft thread at a time).
 * Lets weft name the self-deadlocks Rust would hang on.
 */
const readsHeld = new Map<string, number>();
runLocal(() => readsHeld.clear());
const readKey = (threadId: number, addr: number) => `${threadId}:${addr}`;

function countRead(addr: number, delta: number): void {
  const key = readKey(context().threadId, addr);
  const n = (readsHeld.get(key) ?? 0) + delta;
  if (n === 0) readsHeld.delete(key);
  else readsHeld.set(key, n);
}

/**
 * A reader-writer lock around one value: many threads may read it at once,
 * one thread may write it. Writer-preferring: once a writer waits, new
 * readers queue behind it, so writers are not starved.
 */
export class RwLock<T> extends MovableHandle {
  protected readonly what = 'RwLock';
  readonly #addr: number;

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
    storeValue(this.#addr, CELL, value, 'an RwLock');
  }

  [ENCODE]() {
    return { kind: HandleKind.RwLock, addr: this.#addr };
  }

  /** Dropped as part of a value being dropped (the last Arc of it, a message nobody received): its value goes too. */
  [DROP_CONTENTS](): void {
    dropValue(this.#addr, CELL);
  }

  /** Made here by `new` (this handle owns the RwLock), not decoded from an Arc's value or a capture (which borrow it). */
  readonly #made: boolean;

  /** `drop(lock)` (sync/drop.ts DROP_OWNED): the value is dropped with the RwLock made here; a borrowed handle answers false. */
  [DROP_OWNED](): boolean {
    if (!this.#made) return false;
    this.assertUsable();
    dropOwnedLock(this, this.#addr, CELL, W.state, 'RwLock');
    return true;
  }

  /** The end of its local variable's block (compile/local-drops.ts): freed with its value, unless a guard still holds it. */
  [FREE_LOCAL](): void {
    const addr = this.#addr;
    const { memory } = context();
    // A plain read: no other thread has this RwLock. Non-zero: a guard that left the block holds it.
    if (!this.spendLocal(memory.i32[(addr >> 2) + W.state] !== 0)) return;
    dropValue(addr, CELL);
    memory.freeRecord(addr);
  }

  /**
   * Blocks until no writer holds or waits for the lock, then takes a shared
   * read lock. Other readers may hold it at the same time. Throws
   * PoisonError if a writer panicked (the lock released again; the error's
   * `intoInner()` takes it and gives the guard). Asking again from
   * a thread that already reads while a writer waits is a deadlock (in Rust
   * too); weft throws instead of hanging.
   */
  read(): RwLockReadGuard<T> {
    return this.#read(true);
  }

  /** `read()`; with `checkPoison` false, a poisoned lock is taken as any other (PoisonError.intoInner). */
  #read(checkPoison: boolean): RwLockReadGuard<T> {
    this.assertUsable();
    yieldPoint(); // a synchronization point for the seeded scheduler, as Mutex.lock is
    const { memory, threadId } = context();
    const i32 = memory.i32;
    const index = (this.#addr >> 2) + W.state;
    this.#refuseIfWriting('read');
    const state = Atomics.load(i32, index);
    if (!isReadLockable(state) || Atomics.compareExchange(i32, index, state, (state + READ_LOCKED) | 0) !== state) {
      readContended(i32, index, this.#addr, () => {
        if ((readsHeld.get(readKey(threadId, this.#addr)) ?? 0) > 0) {
          this.#selfDeadlock(
            'holds a read guard of this RwLock and asked for another while a writer waits (the writer waits for the first guard, the new read waits for the writer)',
            'reuse the read guard you hold',
          );
        }
      });
    }
    return this.#readAcquired(checkPoison);
  }

  /** Takes a read lock if that needs no waiting; undefined otherwise (Rust: `WouldBlock`). */
  tryRead(): RwLockReadGuard<T> | undefined {
    return this.#tryRead(true);
  }

  /** `tryRead`; `stalls` false for a look that is not the program's own (Debug printing). Under a seed, a miss stalls as Mutex.tryLock's does. */
  #tryRead(stalls: boolean): RwLockReadGuard<T> | undefined {
    readPoint(false, stalls ? this.#addr : undefined);
    this.assertUsable();
    const i32 = context().memory.i32;
    const index = (this.#addr >> 2) + W.state;
    for (let state = Atomics.load(i32, index); isReadLockable(state); ) {
      const seen = Atomics.compareExchange(i32, index, state, (state + READ_LOCKED) | 0);
      if (seen === state) {
        const guard = this.#readAcquired();
        if (stalls && context().scheduled) preemptHolder(); // held, and another thread runs (scheduler.ts, fault injection)
        return guard;
      }
      state = seen;
    }
    if (stalls && context().scheduled) atomicOutcome(this.#addr, false);
    return undefined;
  }

  /**
   * Blocks until no one else reads or writes, then takes the exclusive
   * write lock. Throws PoisonError if a writer panicked, as `read` does.
   */
  write(): RwLockWriteGuard<T> {
    return this.#write(true);
  }

  /** `write()`; with `checkPoison` false, a poisoned lock is taken as any other (PoisonError.intoInner). */
  #write(checkPoison: boolean): RwLockWriteGuard<T> {
    this.assertUsable();
    yieldPoint(); // a synchronization point for the seeded scheduler, as Mutex.lock is
    const { memory, threadId } = context();
    const i32 = memory.i32;
    const index = (this.#addr >> 2) + W.state;
    this.#refuseIfWriting('write');
    if ((readsHeld.get(readKey(threadId, this.#addr)) ?? 0) > 0) {
      this.#selfDeadlock('holds a read guard of this RwLock and asked for the write lock', 'drop the read guard before writing');
    }
    if (Atomics.compareExchange(i32, index, 0, WRITE_LOCKED) !== 0) writeContended(i32, index, this.#addr);
    return this.#writeAcquired(checkPoison);
  }

  /** Takes the write lock if it is free; undefined otherwise (Rust: `WouldBlock`). */
  tryWrite(): RwLockWriteGuard<T> | undefined {
    return this.#tryWrite(true);
  }

  /** `tryWrite`; `stalls` false for a look that is not the program's own (Debug printing). Under a seed, a miss stalls as Mutex.tryLock's does. */
  #tryWrite(stalls: boolean): RwLockWriteGuard<T> | undefined {
    readPoint(false, stalls ? this.#addr : undefined);
    this.assertUsable();
    const i32 = context().memory.i32;
    const index = (this.#addr >> 2) + W.state;
    for (let state = Atomics.load(i32, index); isUnlocked(state); ) {
      const seen = Atomics.compareExchange(i32, index, state, (state + WRITE_LOCKED) | 0);
      if (seen === state) {
        const guard = this.#writeAcquired();
        if (stalls && context().scheduled) preemptHolder(); // held, and another thread runs (scheduler.ts, fault injection)
        return guard;
      }
      state = seen;
    }
    if (stalls && context().scheduled) atomicOutcome(this.#addr, false);
    return undefined;
  }

  /**
   * Consumes the RwLock and returns its value (Rust: `RwLock::into_inner`).
   * The RwLock is spent afterwards. Throws PoisonError whose `intoInner()`
   * is the value if a writer panicked. Throws if another thread holds the
   * lock (Rust's ownership rules that out at compile time).
   */
  intoInner(): T {
    this.assertUsable();
    const guard = this.#exclusive('intoInner');
    // Taken, not copied: the handles inside are the caller's now (dropped when its thread ends), as Rust's value moves out.
    const value = takeValue(this.#addr, CELL, 'RwLock') as T;
    const poisoned = this.#poisoned();
    guard.unlock();
    spend(this);
    if (poisoned) throw new PoisonError(value, 'RwLock');
    return value;
  }

  /**
   * Write access without waiting, for the code that alone owns the RwLock
   * (Rust: `RwLock::get_mut`): a write guard, since the value lives in
   * shared memory. Throws if another thread holds the lock, and PoisonError
   * holding the guard if a writer panicked.
   */
  getMut(): RwLockWriteGuard<T> {
    this.assertUsable();
    const guard = this.#exclusive('getMut');
    if (this.#poisoned()) refusePoisoned(guard, 'RwLock', () => this.#exclusive('getMut'));
    return guard;
  }

  /** The write lock taken without waiting, poisoned or not, or an error: `api` needs the RwLock to itself. */
  #exclusive(api: string): RwLockWriteGuard<T> {
    const { memory, threadId } = context();
    const i32 = memory.i32;
    if (Atomics.compareExchange(i32, (this.#addr >> 2) + W.state, 0, WRITE_LOCKED) !== 0) {
      throw new Error(
        `${api} needs this RwLock to itself, but another thread holds it ` +
          '(in Rust, ownership rules this out at compile time: use read() or write() to share it)',
      );
    }
    Atomics.store(i32, (this.#addr >> 2) + W.writer, threadId);
    traceEvent('lock', this.#addr);
    return new RwLockWriteGuard<T>(this.#addr);
  }

  /** true if a thread panicked while holding the write lock. */
  isPoisoned(): boolean {
    this.assertUsable();
    return Atomics.load(context().memory.i32, (this.#addr >> 2) + W.poisoned) !== 0;
  }

  /** Marks the RwLock as not poisoned (Rust: `clear_poison`). */
  clearPoison(): void {
    this.assertUsable();
    Atomics.store(context().memory.i32, (this.#addr >> 2) + W.poisoned, 0);
  }

  #readAcquired(checkPoison = true): RwLockReadGuard<T> {
    countRead(this.#addr, 1);
    traceEvent('lock', this.#addr);
    const guard = new RwLockReadGuard<T>(this.#addr);
    if (checkPoison && this.#poisoned()) refusePoisoned(guard, 'RwLock', () => this.#read(false));
    return guard;
  }

  #writeAcquired(checkPoison = true): RwLockWriteGuard<T> {
    const { memory, threadId } = context();
    Atomics.store(memory.i32, (this.#addr >> 2) + W.writer, threadId);
    traceEvent('lock', this.#addr);
    const guard = new RwLockWriteGuard<T>(this.#addr);
    if (checkPoison && this.#poisoned()) refusePoisoned(guard, 'RwLock', () => this.#write(false));
    return guard;
  }

  #poisoned(): boolean {
    return Atomics.load(context().memory.i32, (this.#addr >> 2) + W.poisoned) !== 0;
  }

  #refuseIfWriting(api: 'read' | 'write'): void {
    const { memory, threadId } = context();
    if (Atomics.load(memory.i32, (this.#addr >> 2) + W.writer) === threadId) {
      this.#selfDeadlock(`holds the write lock of this RwLock and asked for ${api === 'read' ? 'a read lock' : 'it again'}`, 'release the write guard first');
    }
  }

  #selfDeadlock(what: string, fix: string): never {
    const { memory, threadId } = context();
    const where = callerLocation();
    throw new Error(
      `deadlock: thread '${describeThread(memory, threadId)}' already ${what}` +
        (where ? ` at line ${where.line}` : '') +
        ` (Rust would hang forever here; ${fix})`,
    );
  }

  /**
   * A copy of the value, taken under a read lock (Rust: `get_cloned`,
   * nightly `lock_value_accessors`): this thread's own, to change, unlike a
   * read guard's frozen value. Throws PoisonError (whose `intoInner()` is
   * undefined, Rust's `PoisonError<()>`) if a writer panicked, and a
   * TypeError for a value holding weft handles, which weft cannot clone.
   */
  getCloned(): T {
    let guard: RwLockReadGuard<T>;
    try {
      guard = this.read();
    } catch (error) {
      if (error instanceof PoisonError) throw new PoisonError<undefined>(undefined, 'RwLock');
      throw error;
    }
    try {
      return clonedData(loadValue(this.#addr, CELL, 'RwLock') as T, 'RwLock.getCloned');
    } finally {
      guard.unlock();
    }
  }

  /**
   * Replaces the value under the write lock; the old one is dropped (Rust:
   * `set`, nightly `lock_value_accessors`). If a writer panicked, nothing is
   * stored and PoisonError is thrown, its `intoInner()` the value you gave.
   */
  set(value: T): void {
    dropTree(this.replace(value));
  }

  /**
   * Replaces the value under the write lock and returns the old one (Rust:
   * `replace`, nightly `lock_value_accessors`). If a writer panicked,
   * nothing is stored and PoisonError is thrown, its `intoInner()` the value
   * you gave.
   */
  replace(value: T): T {
    let guard: RwLockWriteGuard<T>;
    try {
      guard = this.write();
    } catch (error) {
      if (error instanceof PoisonError) throw new PoisonError<T>(value, 'RwLock');
      throw error;
    }
    try {
      // The old value taken out (its handles the caller's), the new one moved in; the guard, never read, writes nothing back.
      const old = takeValue(this.#addr, CELL, 'RwLock') as T;
      storeValue(this.#addr, CELL, value, 'an RwLock');
      return old;
    } finally {
      guard.unlock();
    }
  }

  toString(): string {
    return 'RwLock { .. }';
  }

  /** Rust's Debug: `RwLock { data: 7, poisoned: false, .. }`, the data `<locked>` while a writer holds it (sync/debug.ts). */
  [DEBUG_STRUCT](): DebugStruct {
    const data = debugData(() => this.#tryRead(false));
    return { name: 'RwLock', fields: { data, poisoned: this.isPoisoned() }, nonExhaustive: true };
  }
}

registerDecoder(HandleKind.RwLock, (addr) => new RwLock<unknown>(undefined, addr));

const isArray = Array.isArray;
const defineProperty = Object.defineProperty;
const freeze = Object.freeze;
/** The longest array a traced read guard counts the reads of: enough for a check's small inputs, cheap to make. */
const COUNTED_ITEMS = 4096;

/**
 * A frozen copy of `array` whose items are getters that call `counted` (an index, a loop, slice, for-of, spread,
 * structuredClone: every read of an item goes through one). Not a Proxy, which structuredClone refuses.
 */
function countingView(array: readonly unknown[], counted: () => void): unknown[] {
  const view: unknown[] = [];
  view.length = array.length;
  for (let i = 0; i < array.length; i++) {
    const item = array[i];
    defineProperty(view, i, {
      get() {
        counted();
        return item;
      },
      enumerable: true,
      configurable: false,
    });
  }
  freeze(view);
  return view;
}

/** Shared read access (Rust's `RwLockReadGuard`, whose Deref is `guard.value` here). */
export class RwLockReadGuard<T> implements Owned, Disposable {
  readonly #addr: number;
  #loaded = false;
  #value: T | undefined;
  #released = false;

  constructor(addr: number) {
    this.#addr = addr;
    own(this);
  }

  /**
   * The protected value, read-only. It is a copy taken on first read; plain
   * objects and arrays in it are frozen, because changes made through a read
   * guard would be lost (Rust would not compile them): take `write()` to
   * change the value.
   */
  get value(): T {
    if (this.#released) throw new Error('this RwLockReadGuard was already released: read the RwLock again to use its value');
    if (!this.#loaded) {
      const value = deepFreeze(loadValue(this.#addr, CELL, 'RwLock')) as T;
      // In a traced run an array (of up to COUNTED_ITEMS items) is read through a view that counts the items read, for
      // the trace at release: which threads read the data, and how much of it (TraceView.itemsRead).
      this.#value = tracing() && isArray(value) && value.length <= COUNTED_ITEMS ? (countingView(value, () => this.#itemsRead++) as T) : value;
      this.#loaded = true;
    }
    return this.#value as T;
  }

  /** Items of an array value read through this guard (a traced run only). */
  #itemsRead = 0;

  /** Releases the read lock (Rust: dropping the guard). Safe to call twice. */
  unlock(): void {
    this.#release();
  }

  [Symbol.dispose](): void {
    this.#release();
  }

  /** @internal the owning thread ended; a reader's panic does not poison (as in Rust). */
  dropOnExit(): void {
    this.#release();
  }

  #release(): void {
    if (this.#released) return;
    this.#released = true;
    if (this.#itemsRead > 0) traceEvent('read-items', this.#addr, [this.#itemsRead]);
    traceEvent('unlock', this.#addr);
    context().owned.delete(this);
    countRead(this.#addr, -1);
    readUnlock(this.#addr);
  }

  /** Rust's Display and Debug of a guard print the value itself: so do `String(guard)` and `console.log` (DISPLAY_AS). */
  toString(): string {
    return String(this[DISPLAY_AS]);
  }

  get [DISPLAY_AS](): unknown {
    return this.#released ? '<released>' : this.value;
  }
}

/** Exclusive write access (Rust's `RwLockWriteGuard`). The value is written back on unlock. */
export class RwLockWriteGuard<T> implements Owned, Disposable {
  readonly #addr: number;
  #loaded = false;
  #value: T | undefined;
  #released = false;
  /** A throw is leaving the block that holds this guard (runtime/unwind.ts): its release poisons the lock. */
  #unwinding = false;

  constructor(addr: number) {
    this.#addr = addr;
    own(this);
  }

  /** The protected value. Reading copies it in; assigning replaces it; either way it is written back on unlock. */
  get value(): T {
    this.#assertHeld();
    if (!this.#loaded) {
      const seen: object[] = [];
      this.#value = loadValueSeeing(this.#addr, CELL, 'RwLock', seen) as T;
      this.#seen = seen;
      this.#loaded = true;
    }
    return this.#value as T;
  }

  /** The handles its read of the value lent out, or null if it never read it (value-cell.ts writeBackValue). */
  #seen: object[] | null = null;

  /** The value written back with Rust's ownership: handles put in move into the RwLock. */
  #writeBack(): void {
    const seen = this.#seen;
    this.#seen = null;
    writeBackValue(this.#addr, CELL, this.#value, 'an RwLock', seen);
  }

  set value(next: T) {
    this.#assertHeld();
    this.#value = next;
    this.#loaded = true;
  }

  /** Releases the write lock (Rust: dropping the guard). Safe to call twice. */
  unlock(): void {
    this.#release(false);
  }

  [Symbol.dispose](): void {
    this.#release(this.#unwinding);
  }

  /** @internal a panic is unwinding through the block that holds this guard (compiled `using`); read guards do not poison. */
  [UNWINDING](): void {
    this.#unwinding = true;
  }

  /** @internal the owning thread ended; a panic poisons the lock. */
  dropOnExit(panicking: boolean): void {
    this.#release(panicking);
  }

  /**
   * Turns this write lock into a read lock without letting any writer in
   * between (Rust: `RwLockWriteGuard::downgrade`): readers waiting may now
   * read alongside; writers still wait. This guard is released; use the
   * returned read guard, which sees what was written.
   */
  downgrade(): RwLockReadGuard<T> {
    this.#assertHeld();
    this.#released = true;
    context().owned.delete(this);
    const i32 = context().memory.i32;
    const base = this.#addr >> 2;
    if (this.#loaded) this.#writeBack();
    Atomics.store(i32, base + W.writer, 0);
    countRead(this.#addr, 1);
    // Rust's futex downgrade: the write bits become one reader, atomically.
    downgradeWord(this.#addr);
    return new RwLockReadGuard<T>(this.#addr);
  }

  /**
   * `guard.downgrade()`, written as Rust writes it: `RwLockWriteGuard::downgrade(guard)`
   * is an associated function there, not a method.
   */
  static downgrade<T>(guard: RwLockWriteGuard<T>): RwLockReadGuard<T> {
    if (!(guard instanceof RwLockWriteGuard)) throw new TypeError('RwLockWriteGuard.downgrade expects the write guard that write() returned');
    return guard.downgrade();
  }

  #assertHeld(): void {
    if (this.#released) {
      throw new Error('this RwLockWriteGuard was already released: write-lock the RwLock again to use its value');
    }
  }

  #release(poison: boolean): void {
    if (this.#released) return;
    this.#released = true;
    traceEvent('unlock', this.#addr);
    context().owned.delete(this);
    const i32 = context().memory.i32;
    const base = this.#addr >> 2;
    try {
      if (this.#loaded) this.#writeBack();
    } finally {
      if (poison) Atomics.store(i32, base + W.poisoned, 1);
      Atomics.store(i32, base + W.writer, 0);
      writeUnlock(this.#addr);
    }
  }

  /** Rust's Display and Debug of a guard print the value itself: so do `String(guard)` and `console.log` (DISPLAY_AS). */
  toString(): string {
    return String(this[DISPLAY_AS]);
  }

  get [DISPLAY_AS](): unknown {
    return this.#released ? '<released>' : this.value;
  }
}
