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
import { readPoint, yieldPoint } from '../runtime/scheduler.ts';
import { callerLocation, context, type Owned, type ThreadContext } from '../runtime/context.ts';
import { ENCODE, HandleKind, MOVE, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { lockWord, lockWordWatching, tryLockWord, unlockWord } from '../runtime/futex-lock.ts';
import { holdGuard, releaseGuard } from '../runtime/ownership.ts';
import { UNWINDING } from '../runtime/unwind.ts';
import { describeThread } from '../runtime/thread-table.ts';
import { PoisonError, refusePoisoned } from './errors.ts';
import { loadValue as loadCell, storeValue as storeCell, type CellLayout } from './value-cell.ts';

const W = { lock: 0, poisoned: 1, kind: 2, ptr: 3, len: 4, holder: 5, number: 6 } as const;
const CELL: CellLayout = { kind: W.kind, ptr: W.ptr, len: W.len, number: W.number };
const WORDS = 8;
/** Loads a thread makes watching a held Mutex before it sleeps on it. */
const LOCK_WATCHES = 100;
const Kind = { undefined: 0, number: 1 } as const;

/** Fixed-length views of one Mutex record (see the header comment). */
interface RecordViews {
  words: Int32Array;
  /** The inline float64 (words 6-7). */
  number: Float64Array;
}

function recordViews(addr: number): RecordViews {
  const { buffer } = context().memory;
  return { words: new Int32Array(buffer, addr, WORDS), number: new Float64Array(buffer, addr + W.number * 4, 1) };
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
      return;
    }
    const { memory } = context();
    this.#addr = memory.allocRecord(WORDS);
    storeValue(this.#addr, value, true);
  }

  [ENCODE]() {
    return { kind: HandleKind.Mutex, addr: this.#addr };
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
    return this.#lock(true);
  }

  /** `lock()`; with `checkPoison` false, a poisoned lock is taken as any other (PoisonError.intoInner). */
  #lock(checkPoison: boolean): MutexGuard<T> {
    this.assertUsable();
    const ctx = context();
    if (ctx.scheduled) yieldPoint();
    const views = (this.#views ??= recordViews(this.#addr));
    // The uncontended case: one compare-exchange on the fixed view.
    if (Atomics.compareExchange(views.words, W.lock, 0, 1) === 0) return checkPoison ? this.#acquired(ctx, views) : this.#held(ctx, views);
    const { memory, threadId } = ctx;
    // Our own holder write, if any, is what this reads (a plain access: see #acquired).
    const holder = views.words[W.holder];
    if (holder === threadId) {
      const where = callerLocation();
      throw new Error(
        `deadlock: thread '${describeThread(memory, threadId)}' already holds this Mutex and tried to lock it again` +
          (where ? ` at line ${where.line}` : '') +
          ' (Rust would hang forever here; release the first guard before locking again)',
      );
    }
    // Held by another thread, usually for a few instructions: watched on the fixed view, then the futex path on it too.
    lockWordWatching(views.words, W.lock, LOCK_WATCHES, { kind: 'mutex', object: this.#addr });
    return checkPoison ? this.#acquired(ctx, views) : this.#held(ctx, views);
  }

  /** Takes the lock if it is free; returns undefined if another thread holds it (Rust: `WouldBlock`). */
  tryLock(): MutexGuard<T> | undefined {
    this.assertUsable();
    readPoint();
    const ctx = context();
    if (!tryLockWord(ctx.memory.i32, (this.#addr >> 2) + W.lock)) return undefined;
    return this.#acquired(ctx, (this.#views ??= recordViews(this.#addr)));
  }

  /**
   * The lock is ours. The holder word and the poisoned flag are written and
   * read with plain accesses: the lock word's atomics order them (taking the
   * lock is a sequentially consistent compare-exchange, releasing it an
   * atomic subtract after them), and a plain access costs ~1 ns against ~7
   * for an atomic one; an uncontended lock/unlock is then two atomics, as
   * Rust's (issue 15). Other threads read the holder only for messages and
   * deadlock reports, which look twice.
   */
  #acquired(ctx: ThreadContext, views: RecordViews): MutexGuard<T> {
    const guard = this.#held(ctx, views);
    if (views.words[W.poisoned] !== 0) refusePoisoned(guard, 'Mutex', () => this.#lock(false));
    return guard;
  }

  /** The guard of a lock this thread has just taken, with the holder recorded and the trace told. */
  #held(ctx: ThreadContext, views: RecordViews): MutexGuard<T> {
    views.words[W.holder] = ctx.threadId;
    if (ctx.traced) traceEvent('lock', this.#addr);
    return new MutexGuard<T>(this.#addr, views, ctx);
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
    const value = guard.value;
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
    const i32 = context().memory.i32;
    if (!tryLockWord(i32, (this.#addr >> 2) + W.lock)) {
      const holder = Atomics.load(i32, (this.#addr >> 2) + W.holder);
      throw new Error(
        `${api} needs this Mutex to itself, but thread '${describeThread(context().memory, holder)}' holds its lock ` +
          '(in Rust, ownership rules this out at compile time: use lock() to share it)',
      );
    }
    return this.#held(context(), (this.#views ??= recordViews(this.#addr)));
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

  toString(): string {
    return 'Mutex { .. }';
  }
}

registerDecoder(HandleKind.Mutex, (addr) => new Mutex<unknown>(undefined, addr));

/** @internal The key of MutexGuard's hook for Condvar; not exported from weft/sync. */
export const WHILE_UNLOCKED = Symbol('weft.mutexGuard.whileUnlocked');

/**
 * Proof that this thread holds the lock, and access to the value
 * (Rust's `MutexGuard`, whose Deref is `guard.value` here).
 */
export class MutexGuard<T> implements Owned, Disposable {
  readonly #addr: number;
  readonly #views: RecordViews;
  #loaded = false;
  #value: T | undefined;
  #released = false;
  /** A throw is leaving the block that holds this guard (runtime/unwind.ts): its release poisons the lock. */
  #unwinding = false;

  constructor(addr: number, views: RecordViews, ctx: ThreadContext) {
    this.#addr = addr;
    this.#views = views;
    holdGuard(ctx, this);
  }

  /** The protected value. Reading copies it in; assigning replaces it; either way it is written back on unlock. */
  get value(): T {
    this.#assertHeld();
    if (!this.#loaded) {
      // A number is read straight from the record; anything else through the codec (value-cell.ts).
      this.#value = (this.#views.words[W.kind] === Kind.number ? this.#views.number[0] : loadValue(this.#addr)) as T;
      this.#loaded = true;
    }
    return this.#value as T;
  }

  set value(next: T) {
    this.#assertHeld();
    this.#value = next;
    this.#loaded = true;
  }

  /** Releases the lock (Rust: dropping the guard). Safe to call twice. */
  unlock(): void {
    const ctx = context();
    this.#release(ctx, false);
    if (ctx.scheduled) yieldPoint();
  }

  [Symbol.dispose](): void {
    const ctx = context();
    this.#release(ctx, this.#unwinding);
    if (ctx.scheduled) yieldPoint();
  }

  /** @internal a panic is unwinding through the block that holds this guard (compiled `using`). */
  [UNWINDING](): void {
    this.#unwinding = true;
  }

  /** @internal the owning thread ended; a panic poisons the lock. */
  dropOnExit(panicking: boolean): void {
    this.#release(context(), panicking);
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
    this.#assertHeld();
    const { memory, threadId } = context();
    const i32 = memory.i32;
    const base = this.#addr >> 2;
    const held = this.#numberHeld();
    if (this.#loaded) storeValue(this.#addr, this.#value, false);
    this.#loaded = false;
    this.#value = undefined;
    // Marked released while unlocked, so a drop during the wait cannot unlock another thread's hold.
    this.#released = true;
    Atomics.store(i32, base + W.holder, 0);
    // The trace shows the wait as it is: the lock released, the wait, the lock taken again.
    traceValue('unlock', this.#addr, held);
    unlockWord(i32, base + W.lock);
    let result: R;
    try {
      result = block(this.#addr);
    } finally {
      lockWord(i32, base + W.lock, Infinity, { kind: 'mutex', object: this.#addr });
      Atomics.store(i32, base + W.holder, threadId);
      this.#released = false;
      traceEvent('lock', this.#addr);
    }
    if (Atomics.load(i32, base + W.poisoned) !== 0) throw new PoisonError(this);
    return result;
  }

  #assertHeld(): void {
    if (this.#released) {
      throw new Error('this MutexGuard was already released: lock the Mutex again to use its value');
    }
  }

  /** The value as this holder leaves it, when it is a number (for the trace: runtime/trace.ts traceValue). */
  #numberHeld(): unknown {
    if (this.#loaded) return this.#value;
    return this.#views.words[W.kind] === Kind.number ? this.#views.number[0] : undefined;
  }

  #release(ctx: ThreadContext, poison: boolean): void {
    if (this.#released) return;
    this.#released = true;
    if (ctx.traced) traceValue('unlock', this.#addr, this.#numberHeld());
    releaseGuard(ctx, this);
    const { words, number } = this.#views;
    try {
      if (this.#loaded) {
        const kind = words[W.kind];
        if (typeof this.#value === 'number' && (kind === Kind.number || kind === Kind.undefined)) {
          number[0] = this.#value;
          if (kind !== Kind.number) words[W.kind] = Kind.number;
        } else {
          storeValue(this.#addr, this.#value, false);
        }
      }
    } finally {
      // Plain stores, made visible by the unlock's atomic subtract (#acquired).
      if (poison) words[W.poisoned] = 1;
      words[W.holder] = 0;
      // unlockWord only touches the lock word and wakes its waiters, so the fixed view serves.
      unlockWord(words, W.lock);
    }
  }

  toString(): string {
    return `MutexGuard { value: ${String(this.#released ? '<released>' : this.value)} }`;
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
  return loadCell(addr, CELL);
}
