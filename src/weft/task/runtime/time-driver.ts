/**
 * The runtime's clock and timers: where timers fire. Tokio's time driver
 * (`runtime::time`), which `tokio::time::sleep` registers with.
 * https://docs.rs/tokio/latest/tokio/time/index.html
 *
 * A timer is an entry in a heap ordered by deadline (then by when it was
 * made, so two timers due at once fire in order); a due timer wakes its
 * task. The executor fires due timers whenever its queue runs dry, and
 * every 61 polls of a busy queue (scheduler.ts). With nothing queued and
 * a timer ahead, real time sleeps until it is due (`sleepMs`); paused time
 * jumps to it (`jump`, Tokio's `time::pause` auto-advance).
 *
 * Time is paused automatically under a seeded run (so a seed replays async
 * programs too); a program may pause it itself (task/time.ts `pause`). With
 * time paused and no real thread or Promise involved, one program prints the
 * same thing every run.
 */
import { context, hasContext } from '../../runtime/context.ts';
import { S, slot } from '../../runtime/thread-table.ts';
import { blockWhileEqual } from '../../runtime/wait.ts';
import type { Waker } from '../future.ts';

/** A wake-up at `deadline`; `waker` is null once it fired or was cancelled. */
export interface Timer {
  deadline: number;
  seq: number;
  waker: Waker | null;
}

export class TimeDriver {
  #timers: Timer[] = [];
  /** Cancelled timers still in the heap: dropped when they reach its top, or all at once when they are most of it. */
  #cancelled = 0;
  #timerSeq = 0;
  #paused: boolean;
  /** Whether the program paused it (time.pause()), rather than a seeded run. */
  #pausedByProgram = false;
  /** A seeded run's clock: paused for good, whatever the program pauses and resumes (its replays stay the same). */
  readonly #seeded: boolean;
  #virtualNow = 0;
  /** Whether anything has read the real clock yet (a sleep's deadline, time.now()). */
  #clockRead = false;
  #realStart = performance.now();

  constructor(paused: boolean) {
    this.#paused = paused;
    this.#seeded = paused;
  }

  /** Milliseconds since the runtime started: virtual while paused. */
  now(): number {
    if (this.#paused) return this.#virtualNow;
    this.#clockRead = true;
    return performance.now() - this.#realStart;
  }

  /** The clock for a trace event, without counting as a read (a read before `pause()` would move where paused time starts). */
  clockForTrace(): number {
    return this.#paused ? this.#virtualNow : performance.now() - this.#realStart;
  }

  get paused(): boolean {
    return this.#paused;
  }

  /**
   * tokio::time::pause, which panics if time is already frozen. Time a seeded run paused by itself (as
   * `start_paused = true` would) may still be paused once by the program, which is written for free runs too.
   */
  pause(): void {
    if (this.#pausedByProgram) throw new Error('time is already frozen: time.pause() was called a second time (tokio::time::pause panics here too)');
    this.#pausedByProgram = true;
    if (this.#paused) return;
    // Paused before anything read the clock (at the start of main), it reads 0, however long the start took on a
    // loaded machine; later, whole milliseconds. Either way printed times are the same every run.
    this.#virtualNow = this.#clockRead ? Math.floor(this.now()) : 0;
    this.#paused = true;
  }

  /** tokio::time::resume, which panics if time is not frozen (by the program: a seeded run's own pause is not the program's to undo). */
  resume(): void {
    if (!this.#pausedByProgram) throw new Error('time is not frozen: time.resume() was called while the clock runs (tokio::time::resume panics here too)');
    this.#pausedByProgram = false;
    if (this.#seeded) return;
    this.#realStart = performance.now() - this.#virtualNow;
    this.#paused = false;
  }

  /** Moves paused time forward by `ms` and wakes what became due. */
  advance(ms: number): void {
    if (!this.#paused) throw new Error('time.advance needs paused time: call time.pause() first (as tokio::time::advance does)');
    this.#virtualNow += Math.max(0, ms);
    this.fireTimers();
  }

  /** Registers a wake-up at `deadline` (runtime ms); returns the timer, to be re-armed or cancelled. */
  addTimer(deadline: number, waker: Waker): Timer {
    const timer: Timer = { deadline, seq: this.#timerSeq++, waker };
    const heap = this.#timers;
    heap.push(timer);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!earlier(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
    return timer;
  }

  cancelTimer(timer: Timer): void {
    if (timer.waker === null) return; // fired or cancelled already
    timer.waker = null; // removed lazily when it reaches the top…
    // …or, once cancelled timers are most of the heap, all at once, so a loop that races a long timeout against
    // quick work (select over sleep(30_000), timeout(…)) holds only the timers still live, as Tokio's wheel does.
    if (++this.#cancelled > 64 && this.#cancelled * 2 > this.#timers.length) this.#dropCancelled();
  }

  /** How many timers the heap holds, cancelled ones not yet dropped included. */
  get heldTimers(): number {
    return this.#timers.length;
  }

  #dropCancelled(): void {
    const heap = this.#timers.filter((timer) => timer.waker !== null);
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    this.#timers = heap;
    this.#cancelled = 0;
  }

  #popTimer(): Timer {
    const heap = this.#timers;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      siftDown(heap, 0);
    }
    if (top.waker === null) this.#cancelled--;
    return top;
  }

  /** The earliest live timer's deadline, or Infinity. */
  nextDeadline(): number {
    while (this.#timers.length > 0 && this.#timers[0]!.waker === null) this.#popTimer();
    return this.#timers.length > 0 ? this.#timers[0]!.deadline : Infinity;
  }

  /** Wakes every timer that is due; true if any was. */
  fireTimers(): boolean {
    if (this.#timers.length === 0) return false;
    const now = this.now();
    let fired = false;
    while (this.#timers.length > 0 && this.#timers[0]!.deadline <= now) {
      const timer = this.#popTimer();
      const waker = timer.waker;
      timer.waker = null;
      if (waker !== null) {
        fired = true;
        waker.wake();
      }
    }
    return fired;
  }

  /** Paused time: jump to the next timer and fire it. */
  jump(): void {
    const deadline = this.nextDeadline();
    if (deadline > this.#virtualNow) this.#virtualNow = deadline;
    this.fireTimers();
  }
}

function siftDown(heap: Timer[], i: number): void {
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && earlier(heap[l]!, heap[m]!)) m = l;
    if (r < heap.length && earlier(heap[r]!, heap[m]!)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m]!, heap[i]!];
    i = m;
  }
}

function earlier(a: Timer, b: Timer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.seq < b.seq);
}

let fallbackSleepWord: Int32Array | undefined;

/** A real sleep of this thread: weft's blocking wait when in a run (the watchdog sees it as timed), else a plain Atomics.wait. */
export function sleepMs(ms: number): void {
  if (ms <= 0) return;
  if (hasContext()) {
    const { memory, threadId } = context();
    blockWhileEqual(memory.i32, slot(threadId, S.sleep), Atomics.load(memory.i32, slot(threadId, S.sleep)), ms, { kind: 'sleep', object: 0 });
    return;
  }
  fallbackSleepWord ??= new Int32Array(new SharedArrayBuffer(4));
  Atomics.wait(fallbackSleepWord, 0, 0, ms === Infinity ? undefined : ms);
}
