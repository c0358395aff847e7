/**
 * Barrier — Rust's `std::sync::Barrier`. https://doc.rust-lang.org/std/sync/struct.Barrier.html
 *
 * `n` threads call `wait()`; all of them block until the n-th arrives, then
 * all go on together, and exactly one of them is told it is the leader.
 * The barrier is then ready for the next phase.
 *
 * Rust builds it from a Mutex<{count, generation}> and a Condvar; weft does
 * the same with words of run memory (Int32 words at `addr`):
 *   0 lock word (Drepper futex lock, runtime/futex-lock.ts) over words 1-2
 *   1 count: threads arrived in the current phase
 *   2 generation: bumped when a phase completes; waiters sleep on this word
 *     until it changes, so a thread already racing into the next phase
 *     cannot be mistaken for one still waiting in this one
 *   3 n: threads per phase
 */
import { context } from '../runtime/context.ts';
import { ENCODE, FREE_LOCAL, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { lockWord, unlockWord } from '../runtime/futex-lock.ts';
import { blockWhileEqual, wake } from '../runtime/wait.ts';

const W = { lock: 0, count: 1, generation: 2, n: 3 } as const;
const WORDS = 4;

/** What `Barrier.wait` returns: whether this thread is the phase's leader. */
export class BarrierWaitResult {
  readonly #leader: boolean;
  constructor(leader: boolean) {
    this.#leader = leader;
  }
  /** true for exactly one of the threads released by each phase (Rust: `is_leader`). */
  isLeader(): boolean {
    return this.#leader;
  }
  toString(): string {
    return `BarrierWaitResult { is_leader: ${this.#leader} }`;
  }
}

/** Lets `n` threads wait until all of them have reached the same point. Reusable. */
export class Barrier extends MovableHandle {
  protected readonly what = 'Barrier';
  readonly #addr: number;

  /** A barrier for `n` threads. `new Barrier(0)` and `new Barrier(1)` never block. */
  constructor(n: number);
  constructor(n: number, addr?: number);
  constructor(n: number, addr?: number) {
    super();
    if (addr !== undefined) {
      this.#addr = addr;
      return;
    }
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`a Barrier needs a whole number of threads, got ${n}`);
    const { memory } = context();
    this.#addr = memory.allocRecord(WORDS);
    const base = this.#addr >> 2;
    memory.i32[base + W.n] = n;
  }

  [ENCODE]() {
    return { kind: HandleKind.Barrier, addr: this.#addr };
  }

  /** The end of its local variable's block (compile/local-drops.ts): nothing else can wait on it, so it is freed. */
  [FREE_LOCAL](): void {
    if (this.spendLocal(false)) context().memory.freeRecord(this.#addr);
  }

  /**
   * Blocks until `n` threads have called `wait` in this phase. Returns a
   * result whose `isLeader()` is true for exactly one of them (the last to
   * arrive, though Rust does not promise which).
   */
  wait(): BarrierWaitResult {
    this.assertUsable();
    const i32 = context().memory.i32;
    const base = this.#addr >> 2;
    const target = { kind: 'barrier', object: this.#addr } as const;
    lockWord(i32, base + W.lock, Infinity, target);
    const generation = i32[base + W.generation]!;
    const arrived = ++i32[base + W.count]!;
    if (arrived < i32[base + W.n]!) {
      unlockWord(i32, base + W.lock);
      while (Atomics.load(i32, base + W.generation) === generation) {
        blockWhileEqual(i32, base + W.generation, generation, Infinity, target);
      }
      return new BarrierWaitResult(false);
    }
    i32[base + W.count] = 0;
    Atomics.store(i32, base + W.generation, (generation + 1) | 0);
    unlockWord(i32, base + W.lock);
    wake(i32, base + W.generation);
    return new BarrierWaitResult(true);
  }

  toString(): string {
    return 'Barrier { .. }';
  }
}

registerDecoder(HandleKind.Barrier, (addr) => new Barrier(0, addr));
