/**
 * LazyLock<T> — Rust's `std::sync::LazyLock`. https://doc.rust-lang.org/std/sync/struct.LazyLock.html
 *
 * A value made by its closure the first time some thread asks for it, then
 * shared by every thread. The closure is lifted by the compile step
 * (compile/lazy-closures.ts), as a scoped thread's is: its captured handles
 * are borrowed, its plain data copied; so whichever thread forces the
 * LazyLock first rebuilds the closure there and runs it. It runs once:
 * callers that arrive meanwhile wait for it (sync/once.ts). If it panics,
 * the LazyLock is poisoned and every later `force` panics, as in Rust.
 *
 * Rust's `LazyLock` derefs to its value (`*LAZY`, `LAZY.len()`); a
 * JavaScript object cannot, so ask with `force()` (Rust: `LazyLock::force`).
 * A `static` is no weft thing (top-level statements run in each thread):
 * make it in `main` and share it through an Arc, as a OnceLock.
 *
 * In run memory (Int32 words at `addr`):
 *   0 Once state, 1 runner thread id (sync/once.ts)
 *   2-7 the value, as OnceLock keeps it (sync/value-cell.ts)
 *   8 the closure's lifted id, 9-10 its encoded captures (pointer, length; freed once it ran)
 */
import { context, lazyCallerLocation } from '../runtime/context.ts';
import { decodeValue, encodeCaptures } from '../runtime/codec.ts';
import { ENCODE, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { liftedOf, rebuildClosure } from '../runtime/lift.ts';
import { readPoint } from '../runtime/scheduler.ts';
import { OnceStateWord, onceState, runOnce } from './once.ts';
import { dropValue, isDroppedValue, loadValue, storeValue, type CellLayout } from './value-cell.ts';
import { DROP_CONTENTS } from '../runtime/ownership.ts';

const CELL: CellLayout = { kind: 2, ptr: 3, len: 4, number: 6 };
const F = { id: 8, ptr: 9, len: 10 } as const;
const WORDS = 12;

/** A value initialized on first access, by whichever thread gets there first (Rust's `LazyLock<T>`). */
export class LazyLock<T> extends MovableHandle {
  protected readonly what = 'LazyLock';
  readonly #addr: number;
  #loaded = false;
  #value: T | undefined;

  /** `init` runs the first time any thread calls `force()`; write it in place: `new LazyLock(() => …)`. */
  constructor(init: () => T);
  /** @internal a LazyLock that came from another thread. */
  constructor(init: undefined, addr: number);
  constructor(init: (() => T) | undefined, addr?: number) {
    super();
    if (addr !== undefined) {
      this.#addr = addr;
      return;
    }
    if (typeof init !== 'function') {
      throw new TypeError(`new LazyLock expects a closure that makes the value, like new LazyLock(() => …), but got ${init === null ? 'null' : typeof init}`);
    }
    const lifted = liftedOf(init);
    if (lifted === undefined) {
      throw new TypeError(
        'new LazyLock needs its closure written at the call, like new LazyLock(() => …) or new LazyLock(aModuleLevelFunction), ' +
          'with LazyLock imported from weft/sync: weft runs it on whichever thread forces the value first, so it must be able to send it there',
      );
    }
    const { memory } = context();
    const location = lazyCallerLocation();
    const captures = encodeCaptures(lifted.captures(), {
      mode: 'borrow',
      target: {
        into: 'a LazyLock',
        get location() {
          return location();
        },
      },
    });
    this.#addr = memory.allocRecord(WORDS);
    const base = this.#addr >> 2;
    memory.i32[base + F.id] = lifted.id;
    if (captures.length > 0) {
      memory.i32[base + F.ptr] = memory.store(captures);
      memory.i32[base + F.len] = captures.length;
    }
  }

  [ENCODE]() {
    return { kind: HandleKind.LazyLock, addr: this.#addr };
  }

  /**
   * Dropped as part of a value being dropped (the last Arc of it, a message
   * nobody received): its value goes too, as Rust drops a forced LazyLock's
   * `T`; one never forced drops its closure instead, whose captures were
   * borrowed, so only their bytes are freed.
   */
  [DROP_CONTENTS](): void {
    const { memory } = context();
    const base = this.#addr >> 2;
    const len = memory.i32[base + F.len]!;
    if (len > 0) {
      memory.i32[base + F.len] = 0;
      memory.free(memory.i32[base + F.ptr]!);
    }
    dropValue(this.#addr, CELL);
  }

  /**
   * The value, made by the closure if no thread has yet (Rust:
   * `LazyLock::force`, or `*lazy`). Threads that ask while it runs wait for
   * it. Panics if the closure panicked, now or in an earlier call.
   */
  force(): T {
    this.assertUsable();
    readPoint();
    if (this.#loaded) return this.#value as T;
    const addr = this.#addr;
    if (onceState(addr) === OnceStateWord.poisoned) {
      throw new Error('this LazyLock is poisoned: its initializer panicked in an earlier call (Rust: "LazyLock instance has previously been poisoned")');
    }
    if (onceState(addr) !== OnceStateWord.complete) {
      // Dropped with what held it before anyone forced it (a program Rust would not compile): say so, rather than run a closure whose captures are gone.
      if (isDroppedValue(addr, CELL)) loadValue(addr, CELL, 'LazyLock');
      try {
        runOnce(addr, 'LazyLock', false, () => {
          const { memory } = context();
          const base = addr >> 2;
          const len = memory.i32[base + F.len]!;
          const captures = len > 0 ? (decodeValue(memory.read(memory.i32[base + F.ptr]!, len), { owned: false }) as Record<string, unknown>) : {};
          const value = (rebuildClosure(memory.i32[base + F.id]!, captures) as () => T)();
          storeValue(addr, CELL, value, 'a LazyLock');
          // The closure is Rust's FnOnce: it has run, and its captures go.
          if (len > 0) memory.free(memory.i32[base + F.ptr]!);
          memory.i32[base + F.len] = 0;
        });
      } catch (error) {
        // A thread that waited for an initializer that panicked meanwhile: Rust's message, not Once's.
        if (error instanceof Error && error.message.startsWith('this LazyLock is poisoned')) {
          throw new Error('this LazyLock is poisoned: its initializer panicked (Rust: "LazyLock instance has previously been poisoned")');
        }
        throw error;
      }
    }
    this.#value = loadValue(addr, CELL) as T;
    this.#loaded = true;
    return this.#value;
  }

  /** Rust's `LazyLock::force(&lazy)`: the same as `lazy.force()`. */
  static force<T>(lazy: LazyLock<T>): T {
    return lazy.force();
  }

  toString(): string {
    return onceState(this.#addr) === OnceStateWord.complete ? `LazyLock(${String(this.force())})` : 'LazyLock(<uninit>)';
  }
}

registerDecoder(HandleKind.LazyLock, (addr) => new LazyLock<unknown>(undefined, addr));
