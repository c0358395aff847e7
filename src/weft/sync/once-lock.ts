/**
 * OnceLock<T> — Rust's `std::sync::OnceLock`. https://doc.rust-lang.org/std/sync/struct.OnceLock.html
 *
 * A cell written at most once, then read by every thread. Built on Once's
 * state machine (sync/once.ts) the way Rust builds it on `Once::call_once_force`:
 * concurrent `getOrInit` callers block until the one running initializer
 * finishes, and an initializer that panics leaves the cell empty (not
 * poisoned), so the next caller tries again.
 *
 * In run memory (Int32 words at `addr`):
 *   0 Once state, 1 runner thread id (sync/once.ts)
 *   2 value kind, 3 bytes pointer, 4 bytes length, 6-7 inline float64: the
 *     value, stored as a Mutex stores it (sync/value-cell.ts); 5 unused
 *
 * Each thread decodes its own copy of the value on first `get` and keeps
 * it: as in Rust the value is shared read-only, so changing a copied object
 * changes only this thread's copy. Put a Mutex or an atomic inside to share
 * changes.
 */
import { context } from '../runtime/context.ts';
import { ENCODE, HandleKind, MOVE, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { OnceStateWord, onceState, runOnce, waitOnce } from './once.ts';
import { err, ok, type Result } from './result.ts';
import { dropValue, loadValue, storeValue, takeValue, type CellLayout } from './value-cell.ts';
import { DROP_CONTENTS } from '../runtime/ownership.ts';
import { readPoint } from '../runtime/scheduler.ts';
import { clonedData, dataEq } from './plain-data.ts';

const CELL: CellLayout = { kind: 2, ptr: 3, len: 4, number: 6 };
const WORDS = 8;

/** A thread-safe cell that is set once (Rust's `OnceLock<T>`). */
export class OnceLock<T> extends MovableHandle {
  protected readonly what = 'OnceLock';
  readonly #addr: number;
  #loaded = false;
  #value: T | undefined;
  /** This thread's copy was handed out by getMut and may have changed: written back before another thread can see it. */
  #dirty = false;

  constructor();
  constructor(addr?: number);
  constructor(addr?: number) {
    super();
    if (addr !== undefined) {
      this.#addr = addr;
      return;
    }
    const { memory } = context();
    this.#addr = memory.allocRecord(WORDS);
  }

  [ENCODE]() {
    this.#writeBack();
    return { kind: HandleKind.OnceLock, addr: this.#addr };
  }

  /** getMut's changes stored in the cell (a guard's write-back: handles inside are copies, as a Mutex guard writes them). */
  #writeBack(): void {
    if (!this.#dirty) return;
    this.#dirty = false;
    storeValue(this.#addr, CELL, this.#value);
  }

  /** Dropped as part of a value being dropped (the last Arc of it, a message nobody received): its value goes too. */
  [DROP_CONTENTS](): void {
    dropValue(this.#addr, CELL);
  }

  /**
   * The value, or undefined while the cell is empty (Rust: `Option<&T>`).
   * Never blocks: a cell being initialized right now is still empty.
   */
  get(): T | undefined {
    this.assertUsable();
    readPoint();
    if (this.#loaded) return this.#value;
    if (onceState(this.#addr) !== OnceStateWord.complete) return undefined;
    this.#value = loadValue(this.#addr, CELL, 'OnceLock') as T;
    this.#loaded = true;
    return this.#value;
  }

  /**
   * Stores `value` if the cell is empty: `{ ok: true }`. If it already holds
   * a value: `{ ok: false, value }`, handing your value back (Rust:
   * `Result<(), T>`). Blocks while another thread is initializing the cell.
   */
  set(value: T): Result<undefined, T> {
    let mine = false;
    this.getOrInit(() => {
      mine = true;
      return value;
    });
    return mine ? ok(undefined) : err(value);
  }

  /**
   * The value, running `f` to make it if the cell is empty. Exactly one
   * caller's `f` runs; concurrent callers block until it has finished and
   * then all see its value. If `f` throws, the cell stays empty and the
   * error propagates; the next caller runs its own `f`. Calling it from
   * inside `f` is a deadlock (weft throws).
   */
  getOrInit(f: () => T): T {
    this.assertUsable();
    if (onceState(this.#addr) !== OnceStateWord.complete) {
      runOnce(this.#addr, 'OnceLock', true, () => {
        const value = f();
        // The value moves into the cell (handles inside belong to it now, so the
        // object `f` returned is spent); `get` below decodes this thread's copy.
        storeValue(this.#addr, CELL, value, 'a OnceLock');
      });
    }
    return this.get() as T;
  }

  /**
   * Blocks until the cell holds a value, then returns it, initializing
   * nothing itself (Rust: `OnceLock::wait`). A failed `getOrInit` leaves the
   * cell empty, so this keeps waiting for the next one.
   */
  wait(): T {
    this.assertUsable();
    waitOnce(this.#addr, 'OnceLock', true);
    return this.get() as T;
  }

  /**
   * The value, running `f` to make it if the cell is empty, where `f` may
   * fail: `f` returns a weft Result, and an `{ ok: false }` one leaves the
   * cell empty and is returned as it is (Rust: `get_or_try_init`). Returns
   * `{ ok: true, value }` with the cell's value otherwise. A panic in `f`
   * leaves the cell empty too, as `getOrInit` does.
   */
  getOrTryInit<E>(f: () => Result<T, E>): Result<T, E> {
    this.assertUsable();
    let failed: { value: E } | undefined;
    if (onceState(this.#addr) !== OnceStateWord.complete) {
      try {
        runOnce(this.#addr, 'OnceLock', true, () => {
          const result = f();
          if (!result.ok) {
            failed = { value: result.value };
            // Leaves the Once state as an initializer that failed, so the next caller runs its own `f`.
            throw FAILED;
          }
          storeValue(this.#addr, CELL, result.value, 'a OnceLock');
        });
      } catch (error) {
        if (error !== FAILED) throw error;
      }
    }
    return failed !== undefined ? err(failed.value) : ok(this.get() as T);
  }

  /**
   * The value, to change, or undefined while the cell is empty (Rust:
   * `get_mut`, whose `&mut self` proves no other thread reads the cell
   * meanwhile). Change `value` in place or assign it; the change is stored
   * in the cell before the cell next goes to another thread (moved, shared
   * through an Arc, lent to a scoped thread).
   */
  getMut(): OnceLockMut<T> | undefined {
    this.assertUsable();
    if (onceState(this.#addr) !== OnceStateWord.complete) return undefined;
    this.get();
    return new OnceLockMut<T>(
      () => {
        this.#dirty = true;
        return this.#value as T;
      },
      (value) => {
        this.#dirty = true;
        this.#value = value;
      },
    );
  }

  /**
   * Takes the value out, leaving the cell empty, to be set again; undefined
   * if it was empty (Rust: `take`, `Option<T>`). The handles in the value are
   * the caller's now. As `getMut`, for the code that alone has the cell.
   */
  take(): T | undefined {
    this.assertUsable();
    if (onceState(this.#addr) !== OnceStateWord.complete) return undefined;
    if (this.#dirty) this.#writeBack();
    const value = takeValue(this.#addr, CELL, 'OnceLock') as T;
    this.#loaded = false;
    this.#value = undefined;
    Atomics.store(context().memory.i32, this.#addr >> 2, OnceStateWord.incomplete);
    return value;
  }

  /** A cell that already holds `value` (Rust's `OnceLock::from`). */
  static from<T>(value: T): OnceLock<T> {
    const cell = new OnceLock<T>();
    cell.set(value);
    return cell;
  }

  /**
   * Consumes the cell and returns its value, or undefined if it is empty
   * (Rust: `into_inner`, `Option<T>`); the handle is spent.
   */
  intoInner(): T | undefined {
    const value = this.take();
    this[MOVE]({ into: 'intoInner(), which consumes it' });
    return value;
  }

  /**
   * A new, independent cell holding a copy of this one's value, or an empty
   * one (Rust: `Clone for OnceLock<T: Clone>`). Setting either later does
   * not touch the other. To share one cell, put it in an Arc. A value
   * holding weft handles is refused: weft cannot clone what a handle holds.
   */
  clone(): OnceLock<T> {
    this.assertUsable();
    const copy = new OnceLock<T>();
    if (onceState(this.#addr) !== OnceStateWord.complete) return copy;
    this.#writeBack();
    copy.set(clonedData(loadValue(this.#addr, CELL, 'OnceLock') as T, 'OnceLock.clone'));
    return copy;
  }

  /**
   * Rust's `PartialEq for OnceLock`: two cells are equal when both are empty,
   * or both hold equal values (data compared field by field, as a derived
   * `PartialEq` does; see plain-data.ts `dataEq`). `==` in JavaScript only
   * tells whether two handles are the same object.
   */
  eq(other: OnceLock<T>): boolean {
    if (!(other instanceof OnceLock)) throw new TypeError('OnceLock.eq compares with another OnceLock');
    const mine = this.get();
    const theirs = other.get();
    const mineSet = mine !== undefined || onceState(this.#addr) === OnceStateWord.complete;
    const theirsSet = theirs !== undefined || onceState(other.#addr) === OnceStateWord.complete;
    return mineSet === theirsSet && (!mineSet || dataEq(mine, theirs));
  }

  /** `!a.eq(b)` (Rust's `!=`). */
  ne(other: OnceLock<T>): boolean {
    return !this.eq(other);
  }

  toString(): string {
    const value = this.get();
    return value === undefined && onceState(this.#addr) !== OnceStateWord.complete
      ? 'OnceLock(<uninit>)'
      : `OnceLock(${String(value)})`;
  }
}

/** Thrown inside the Once machine by a `getOrTryInit` whose `f` returned an error: the cell stays empty. */
const FAILED = Symbol('weft.onceLock.failed');

/**
 * What `OnceLock.getMut` gives: the cell's value to change (Rust's
 * `&mut T`). Read and change `value` in place, or assign it.
 */
export class OnceLockMut<T> {
  readonly #read: () => T;
  readonly #write: (value: T) => void;

  /** @internal made by OnceLock.getMut. */
  constructor(read: () => T, write: (value: T) => void) {
    this.#read = read;
    this.#write = write;
  }

  get value(): T {
    return this.#read();
  }

  set value(next: T) {
    this.#write(next);
  }
}

registerDecoder(HandleKind.OnceLock, (addr) => new OnceLock<unknown>(addr));
