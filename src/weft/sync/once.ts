/**
 * Once — Rust's `std::sync::Once`. https://doc.rust-lang.org/std/sync/struct.Once.html
 *
 * Runs an initializer exactly once, however many threads ask at the same
 * time: one runs it, the others block until it has finished. The state
 * machine is Rust's futex Once (library/std/src/sys/sync/once/futex.rs);
 * OnceLock (sync/once-lock.ts) is built on the same machine.
 *
 * In run memory (Int32 words at `addr`):
 *   0 state: 0 incomplete, 1 poisoned (an initializer panicked), 2 running,
 *     3 running with threads waiting (they sleep on this word), 4 complete
 *   1 runner: thread id running the initializer (0 when none), for
 *     deadlock reports and the "called from its own initializer" error
 *
 * Rust declares a Once as a `static`. In weft, top-level statements run
 * once per thread, so a module-level `new Once()` would be one Once per
 * thread: make it in `main` and share it, e.g. `new Arc(new Once())`.
 */
import { callerLocation, context } from '../runtime/context.ts';
import { ENCODE, FREE_LOCAL, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { describeThread } from '../runtime/thread-table.ts';
import { blockWhileEqual, wake } from '../runtime/wait.ts';
import { readPoint } from '../runtime/scheduler.ts';

const W = { state: 0, runner: 1 } as const;
const WORDS = 2;

/** The Once state machine's values (word 0). */
export const OnceStateWord = { incomplete: 0, poisoned: 1, running: 2, queued: 3, complete: 4 } as const;
const S = OnceStateWord;

/** What `callOnceForce` tells its initializer (Rust's `OnceState`). */
export class OnceState {
  readonly #poisoned: boolean;
  constructor(poisoned: boolean) {
    this.#poisoned = poisoned;
  }
  /** true if an earlier initializer panicked. */
  isPoisoned(): boolean {
    return this.#poisoned;
  }
}

/**
 * @internal Runs `init` on the record at `addr` unless it already completed;
 * concurrent callers block until the running initializer is done. A throwing
 * `init` leaves the record poisoned and wakes the waiters; with
 * `ignorePoison` a later call runs its initializer anyway (Rust's
 * `call_once_force`, which OnceLock uses), without it the call panics.
 */
export function runOnce(addr: number, what: string, ignorePoison: boolean, init: (poisoned: boolean) => void): void {
  const { memory, threadId } = context();
  const i32 = memory.i32;
  const index = (addr >> 2) + W.state;
  const runner = (addr >> 2) + W.runner;
  let state = Atomics.load(i32, index);
  for (;;) {
    switch (state) {
      case S.complete:
        return;
      case S.poisoned:
        if (!ignorePoison) {
          throw new Error(`this ${what} is poisoned: its initializer panicked in an earlier call (Rust: "Once instance has previously been poisoned")`);
        }
      // falls through: a forced call runs its initializer over the poisoned state
      case S.incomplete: {
        const seen = Atomics.compareExchange(i32, index, state, S.running);
        if (seen !== state) {
          state = seen;
          continue;
        }
        Atomics.store(i32, runner, threadId);
        let next: number = S.poisoned;
        try {
          init(state === S.poisoned);
          next = S.complete;
        } finally {
          Atomics.store(i32, runner, 0);
          Atomics.store(i32, index, next);
          // Every waiter wakes: callers queued behind this initializer, and
          // `wait`ers, who sleep on an incomplete or poisoned state too.
          wake(i32, index);
        }
        return;
      }
      case S.running:
      case S.queued: {
        if (Atomics.load(i32, runner) === threadId) {
          const where = callerLocation();
          throw new Error(
            `deadlock: thread '${describeThread(memory, threadId)}' asked this ${what} to initialize from inside its own initializer` +
              (where ? ` at line ${where.line}` : '') +
              ' (Rust would hang forever here)',
          );
        }
        if (state === S.running) {
          const seen = Atomics.compareExchange(i32, index, S.running, S.queued);
          if (seen !== S.running) {
            state = seen;
            continue;
          }
        }
        blockWhileEqual(i32, index, S.queued, Infinity, { kind: 'once', object: addr });
        state = Atomics.load(i32, index);
        continue;
      }
      default:
        throw new Error(`weft internal error: bad ${what} state ${state}`);
    }
  }
}

/**
 * @internal Blocks until the record at `addr` is complete, running nothing
 * (Rust's `Once::wait` / `wait_force`). A poisoned record panics unless
 * `ignorePoison`, in which case it waits for a forced initializer to finish.
 */
export function waitOnce(addr: number, what: string, ignorePoison: boolean): void {
  const i32 = context().memory.i32;
  const index = (addr >> 2) + W.state;
  for (let state = Atomics.load(i32, index); state !== S.complete; state = Atomics.load(i32, index)) {
    if (state === S.poisoned && !ignorePoison) {
      throw new Error(`this ${what} is poisoned: its initializer panicked (Rust: "Once instance has previously been poisoned")`);
    }
    blockWhileEqual(i32, index, state, Infinity, { kind: 'once', object: addr });
  }
}

/** The state word of the record at `addr` (for `isCompleted` and OnceLock.get). */
export function onceState(addr: number): number {
  return Atomics.load(context().memory.i32, (addr >> 2) + W.state);
}

/** Words a Once-based record starts with; OnceLock lays its value out after them. */
export const ONCE_WORDS = WORDS;

/** A one-time initialization: `callOnce(f)` runs `f` the first time only. */
export class Once extends MovableHandle {
  protected readonly what = 'Once';
  readonly #addr: number;

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
    return { kind: HandleKind.Once, addr: this.#addr };
  }

  /** The end of its local variable's block (compile/local-drops.ts): nothing else can wait on it, so it is freed. */
  [FREE_LOCAL](): void {
    if (this.spendLocal(false)) context().memory.freeRecord(this.#addr);
  }

  /**
   * Runs `f` if no call has completed yet; blocks while another thread runs
   * its initializer. If an initializer panics (throws), the Once is poisoned
   * and this and every later `callOnce` panics — use `callOnceForce` to
   * retry. Calling it from inside `f` is a deadlock (weft throws).
   */
  callOnce(f: () => void): void {
    this.assertUsable();
    runOnce(this.#addr, 'Once', false, () => f());
  }

  /** Like `callOnce`, but runs even when poisoned; `f` learns whether it is (Rust: `call_once_force`). */
  callOnceForce(f: (state: OnceState) => void): void {
    this.assertUsable();
    runOnce(this.#addr, 'Once', true, (poisoned) => f(new OnceState(poisoned)));
  }

  /**
   * Blocks until some call has completed this Once, without running
   * anything itself (Rust: `Once::wait`). Panics if the Once is or becomes
   * poisoned; `waitForce` waits through that for a `callOnceForce`.
   */
  wait(): void {
    this.assertUsable();
    waitOnce(this.#addr, 'Once', false);
  }

  /** Like `wait`, but a poisoned Once is waited on, not a panic (Rust: `Once::wait_force`). */
  waitForce(): void {
    this.assertUsable();
    waitOnce(this.#addr, 'Once', true);
  }

  /** true once an initializer has finished without panicking. */
  isCompleted(): boolean {
    this.assertUsable();
    readPoint();
    return onceState(this.#addr) === S.complete;
  }

  toString(): string {
    return 'Once { .. }';
  }
}

registerDecoder(HandleKind.Once, (addr) => new Once(addr));
