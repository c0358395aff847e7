/**
 * tokio::time: sleep, sleep_until, interval (with MissedTickBehavior),
 * timeout, and the paused clock (pause, resume, advance).
 * https://docs.rs/tokio/latest/tokio/time/index.html
 *
 * Times are milliseconds on the runtime's clock (`now()`: ms since the
 * runtime started). They are JavaScript numbers, not Rust's exact integer
 * nanoseconds: whole milliseconds add and subtract exactly (paused time
 * starts on a whole millisecond), but a fraction such as `advance(51.592)`
 * is a binary float, so `now() - before` may differ from 51.592 in the
 * last bits (about 1e-14 ms), where Tokio's `elapsed()` equals the
 * Duration exactly: compare sub-millisecond times with a tolerance. A timer is an entry in the executor's heap that wakes
 * its task when due (runtime/time-driver.ts); nothing here uses setTimeout.
 *
 * Paused time (`pause()`, and every seeded run): the clock stands still
 * while any task can run, and when every task waits it jumps straight to
 * the next timer. A program that sleeps for an hour finishes at once, and
 * prints the same thing every run.
 */
import { consume, hasBudgetRemaining, proceed, restoreBudget, withoutBudget } from './runtime/coop.ts';
import { awaitable, dropFuture, intoFuture, PENDING, Poll, refuseThen, type Awaitable, type Context, type Future, type IntoFuture, type Waker } from './future.ts';
import type { Runtime } from './runtime/scheduler.ts';
import type { Timer } from './runtime/time-driver.ts';
import { currentRuntime, runtimeOrThrow } from './runtime/context.ts';
import { runningTask } from './runtime/task.ts';
import { markErrValue } from '../runtime/unwind.ts';
import { traceTaskTimer, tracing } from '../runtime/trace.ts';

/** The runtime's clock, in ms since it started (Tokio's `Instant::now()`): virtual while time is paused. */
export function now(): number {
  return runtimeOrThrow('time.now').time.now();
}

/** A future that finishes at `deadline` on the runtime's clock (tokio::time::Sleep). */
export class Sleep implements Future<void> {
  #deadline: number;
  #delay: number;
  #timer: Timer | null = null;
  #runtime: Runtime | undefined;
  declare then: Awaitable<void>['then'];

  constructor(deadline: number | undefined, delay: number) {
    this.#runtime = currentRuntime();
    this.#delay = delay;
    // Like Tokio, the deadline is fixed when the Sleep is made (inside a runtime), not when first polled.
    this.#deadline = deadline ?? (this.#runtime ? this.#runtime.time.now() + delay : NaN);
  }

  /** When it finishes, on the runtime's clock. */
  deadline(): number {
    return this.#deadline;
  }

  isElapsed(): boolean {
    return (this.#runtime ?? runtimeOrThrow('Sleep')).time.now() >= this.#deadline;
  }

  /**
   * Moves the deadline (tokio's `Sleep::reset`). A task already waiting on
   * this Sleep goes on waiting for the new deadline, and is woken at once if
   * the new deadline has passed, as in Tokio.
   */
  reset(deadline: number): void {
    this.#deadline = checkMs(deadline, 'Sleep.reset');
    const waker = this.#timer?.waker ?? null;
    this.#cancel();
    const runtime = this.#runtime;
    if (waker === null || runtime === undefined) return;
    if (runtime.time.now() >= this.#deadline) waker.wake();
    else this.#timer = runtime.time.addTimer(this.#deadline, waker);
  }

  poll(cx: Context): Poll<void> {
    const runtime = (this.#runtime ??= runtimeOrThrow('sleep'));
    if (Number.isNaN(this.#deadline)) this.#deadline = runtime.time.now() + this.#delay;
    // A timer that fires spends the task's coop budget, as Tokio's Sleep does (runtime/coop.ts).
    if (!proceed(cx)) return PENDING;
    if (runtime.time.now() >= this.#deadline) {
      this.#cancel();
      consume();
      return Poll.ready(undefined);
    }
    if (this.#timer === null || this.#timer.waker === null) {
      if (this.#timer === null) {
        // A sleep that had to wait: counted once, for the trace (a task-exit's timers).
        const task = runningTask();
        if (task !== null) task.timers++;
        if (tracing()) traceTaskTimer(task?.id ?? 0, runtime.time.clockForTrace(), this.#deadline);
      }
      this.#timer = runtime.time.addTimer(this.#deadline, cx.waker());
    } else this.#timer.waker = cx.waker();
    return PENDING;
  }

  #cancel(): void {
    if (this.#timer !== null) this.#runtime?.time.cancelTimer(this.#timer);
    this.#timer = null;
  }

  [Symbol.dispose](): void {
    this.#cancel();
  }

  describe(): string {
    return `a timer due at ${this.#deadline} ms`;
  }
}

function checkMs(ms: number, api: string): number {
  if (typeof ms !== 'number' || Number.isNaN(ms)) throw new TypeError(`${api} expects a number of milliseconds, got ${String(ms)}`);
  return Math.max(0, ms);
}

/** Waits `ms` milliseconds without blocking the thread: other tasks run meanwhile (tokio::time::sleep). */
export function sleep(ms: number): Sleep {
  return new Sleep(undefined, checkMs(ms, 'sleep'));
}

/** Waits until the runtime's clock reads `deadline` (tokio::time::sleep_until). */
export function sleepUntil(deadline: number): Sleep {
  return new Sleep(checkMs(deadline, 'sleepUntil'), 0);
}

/** What an Interval does when ticks were missed because the task was late (tokio::time::MissedTickBehavior). */
export const MissedTickBehavior = {
  /** Fire the missed ticks at once, one after another, to catch up (the default). */
  Burst: 'burst',
  /** Start again from now: the next tick is one period after the late one. */
  Delay: 'delay',
  /** Drop the missed ticks: the next tick is the next one on the original schedule. */
  Skip: 'skip',
} as const;
export type MissedTickBehavior = (typeof MissedTickBehavior)[keyof typeof MissedTickBehavior];

/** Ticks every `period` ms; the first tick is immediate (tokio::time::Interval). */
export class Interval {
  readonly #period: number;
  #next: number;
  #behavior: MissedTickBehavior = MissedTickBehavior.Burst;
  #sleep: Sleep | null = null;

  constructor(start: number, period: number) {
    if (!(period > 0)) throw new RangeError('interval: the period must be more than 0 ms');
    this.#period = period;
    this.#next = start;
  }

  period(): number {
    return this.#period;
  }

  missedTickBehavior(): MissedTickBehavior {
    return this.#behavior;
  }

  setMissedTickBehavior(behavior: MissedTickBehavior): void {
    if (!Object.values(MissedTickBehavior).includes(behavior)) {
      throw new TypeError(`setMissedTickBehavior expects MissedTickBehavior.Burst, .Delay or .Skip, got ${String(behavior)}`);
    }
    this.#behavior = behavior;
  }

  /** Waits for the next tick; finishes with the time it was scheduled for. */
  tick(): Awaitable<number> {
    const future: Future<number> & { describe(): string; [Symbol.dispose](): void } = {
      poll: (cx: Context) => {
        const runtime = runtimeOrThrow('Interval.tick');
        const now = runtime.time.now();
        if (now < this.#next) {
          this.#sleep ??= sleepUntil(this.#next);
          return this.#sleep.poll(cx) as Poll<number>;
        }
        dropFuture(this.#sleep);
        this.#sleep = null;
        const scheduled = this.#next;
        this.#next = this.#after(scheduled, now);
        return Poll.ready(scheduled);
      },
      describe: () => `the next tick of an interval, at ${this.#next} ms`,
      [Symbol.dispose]: () => {
        dropFuture(this.#sleep);
        this.#sleep = null;
      },
    };
    return awaitable(future);
  }

  /** The tick after one scheduled at `scheduled`, seen at `now`. Tokio treats a tick less than 5 ms late as on time. */
  #after(scheduled: number, now: number): number {
    const period = this.#period;
    if (now <= scheduled + 5) return scheduled + period;
    switch (this.#behavior) {
      case 'burst':
        return scheduled + period;
      case 'delay':
        return now + period;
      case 'skip':
        return now + period - ((now - scheduled) % period);
    }
  }

  /**
   * Polls for the next tick by hand, for a future or stream written with
   * `poll` (Tokio's `Interval::poll_tick`): ready with the time the tick was
   * scheduled for, or pending with `cx`'s waker registered for it. As in
   * Tokio, a ready tick registers nothing: whoever polls must arrange its
   * own next wake-up.
   */
  pollTick(cx: Context): Poll<number> {
    return this.tick().poll(cx);
  }

  /** Starts the schedule again: the next tick is one period from now. */
  reset(): void {
    this.#resetTo(runtimeOrThrow('Interval.reset').time.now() + this.#period);
  }

  /** Starts the schedule again from now: the next tick is immediate (Tokio's `reset_immediately`). */
  resetImmediately(): void {
    this.#resetTo(runtimeOrThrow('Interval.resetImmediately').time.now());
  }

  /** Starts the schedule again: the next tick is `ms` from now, then every period (Tokio's `reset_after`). */
  resetAfter(ms: number): void {
    this.#resetTo(runtimeOrThrow('Interval.resetAfter').time.now() + checkMs(ms, 'resetAfter'));
  }

  /** Starts the schedule again: the next tick is at `deadline` on the runtime's clock, then every period (Tokio's `reset_at`). */
  resetAt(deadline: number): void {
    this.#resetTo(checkMs(deadline, 'resetAt'));
  }

  #resetTo(next: number): void {
    this.#next = next;
    // As Tokio resets the Interval's one Sleep: a task waiting for a tick now waits for the new one.
    this.#sleep?.reset(next);
  }
}

/** An Interval whose first tick is immediate and then every `period` ms (tokio::time::interval). */
export function interval(period: number): Interval {
  const runtime = runtimeOrThrow('interval');
  return new Interval(runtime.time.now(), checkMs(period, 'interval'));
}

/** An Interval whose first tick is at `start` (tokio::time::interval_at). */
export function intervalAt(start: number, period: number): Interval {
  return new Interval(checkMs(start, 'intervalAt'), checkMs(period, 'intervalAt'));
}

/** Thrown by `timeout` when the deadline passes first (tokio::time::error::Elapsed). */
export class Elapsed extends Error {
  constructor(ms: number) {
    super(`deadline has elapsed (${ms} ms)`);
    this.name = 'Elapsed';
  }
}

/**
 * Awaits `future`, but for at most `ms` milliseconds: if the time runs out
 * first, the future is cancelled (at its await point) and an Elapsed error
 * is thrown (tokio::time::timeout; Rust returns `Err(Elapsed)`).
 */
export function timeout<T>(ms: number, future: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
  checkMs(ms, 'timeout');
  return timeoutOn(sleep(ms), `a timeout of ${ms} ms`, () => new Elapsed(ms), future);
}

/**
 * Like `timeout`, but with a deadline on the runtime's clock (`time.now()`
 * plus something) instead of a duration (tokio::time::timeout_at). A
 * deadline already past still polls the future once before giving up, as
 * Tokio does.
 */
export function timeoutAt<T>(deadline: number, future: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
  checkMs(deadline, 'timeoutAt');
  return timeoutOn(sleepUntil(deadline), `a timeout at ${deadline} ms`, () => new Elapsed(Math.max(0, deadline - now())), future);
}

/** `future` raced against `delay`: the timer wins with `elapsed()` thrown, the future cancelled. */
function timeoutOn<T>(delay: Sleep, what: string, elapsed: () => Elapsed, future: IntoFuture<T> | (() => IntoFuture<T>)): Awaitable<T> {
  let inner: Future<T> | null = null;
  const made: Future<T> & { awaiting(): Future<unknown> | null; describe(): string; [Symbol.dispose](): void } = {
    poll(cx: Context) {
      inner ??= intoFuture<T>(future, 'timeout');
      const hadBudget = hasBudgetRemaining();
      let result: Poll<T>;
      try {
        result = inner.poll(cx);
      } catch (error) {
        dropFuture(delay); // a panic passes through; the timer goes with it
        throw error;
      }
      if (result.ready) {
        dropFuture(delay);
        return result;
      }
      // A future that spent the whole coop budget must not keep the timeout from firing: Tokio polls the
      // timer without a budget then (tests/time_timeout.rs timeout_is_not_exhausted_by_future).
      const spent = hadBudget && !hasBudgetRemaining();
      const previous = spent ? withoutBudget() : 0;
      let due: boolean;
      try {
        due = delay.poll(cx).ready;
      } finally {
        if (spent) restoreBudget(previous);
      }
      if (due) {
        dropFuture(inner);
        throw elapsed();
      }
      return PENDING;
    },
    awaiting: () => inner,
    describe: () => what,
    [Symbol.dispose]() {
      dropFuture(inner);
      dropFuture(delay);
    },
  };
  return awaitable(made);
}

/**
 * Stops the clock (tokio::time::pause): from now on it jumps to the next timer whenever every task waits.
 * Throws if the program paused it already, as Tokio panics ("time is already frozen"); a seeded run's own pause
 * does not count.
 */
export function pause(): void {
  runtimeOrThrow('time.pause').time.pause();
}

/** Lets the clock follow real time again (tokio::time::resume); throws if it is not paused, as Tokio panics ("time is not frozen"). */
export function resume(): void {
  runtimeOrThrow('time.resume').time.resume();
}

/** Moves paused time forward by `ms`, firing the timers that become due, then yields once (tokio::time::advance). */
export function advance(ms: number): Awaitable<void> {
  let advanced = false;
  const future: Future<void> & { describe(): string } = {
    poll(cx: Context) {
      if (advanced) return Poll.ready(undefined);
      advanced = true;
      runtimeOrThrow('time.advance').time.advance(checkMs(ms, 'advance'));
      (cx.waker() as Waker).wakeByRef();
      return PENDING;
    },
    describe: () => 'its turn after time.advance',
  };
  return awaitable(future);
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(Elapsed);

refuseThen(Sleep);
