/**
 * tokio::sync::Notify: wake a task without sending it data.
 * https://docs.rs/tokio/latest/tokio/sync/struct.Notify.html
 *
 * `notifyOne` wakes the longest-waiting task, or, when none waits, leaves a
 * single permit that the next `notified()` consumes at once (so a
 * notification sent just before the wait is not lost). `notifyWaiters`
 * wakes every task waiting now and leaves no permit; as in Tokio, a
 * `notified()` future receives it from the moment it is made, polled or
 * not, so "make `notified()`, check the condition, then await" loses no
 * wakeup.
 */
import { localHandle } from '../../runtime/local-handle.ts';
import { PENDING, Poll, type Awaitable, type Context, type Waker } from '../future.ts';
import { pollFn } from './poll-fn.ts';

interface Waiter {
  /** Null for a future enabled (`enable()`) but not polled yet. */
  waker: Waker | null;
  /** Woken, and by which: a notifyOne's notification passes on if the waiter is dropped unseen, a notifyWaiters' does not. */
  notified: false | 'one' | 'all';
}

export class Notify {
  #permit = false;
  readonly #waiters: Waiter[] = [];
  /** How many times notifyWaiters was called: a `notified()` made before the latest one is notified. */
  #generation = 0;

  notifyOne(): void {
    const waiter = this.#waiters.shift();
    if (waiter === undefined) {
      this.#permit = true;
      return;
    }
    waiter.notified = 'one';
    waiter.waker?.wake();
  }

  /** Like `notifyOne`, but wakes the task that started waiting last (Tokio's `notify_last`). */
  notifyLast(): void {
    const waiter = this.#waiters.pop();
    if (waiter === undefined) {
      this.#permit = true;
      return;
    }
    waiter.notified = 'one';
    waiter.waker?.wake();
  }

  notifyWaiters(): void {
    this.#generation++;
    for (const waiter of this.#waiters.splice(0)) {
      waiter.notified = 'all';
      waiter.waker?.wake();
    }
  }

  /**
   * Waits for a notification. The future's `enable()` puts it in the queue
   * (or takes a stored permit) without polling it, and says whether it has
   * been notified already (Tokio's `Notified::enable`).
   */
  notified(): Awaitable<void> & { enable(): boolean } {
    let waiter: Waiter | null = null;
    let done = false;
    const generation = this.#generation;
    /** Without waiting: true once notified, else queued as a waiter (with `waker`, when polled). */
    const check = (waker: Waker | null): boolean => {
      if (done) return true;
      if (waiter === null) {
        // A notifyWaiters since this future was made, polled or not, is its notification.
        if (this.#generation !== generation || this.#permit) {
          if (this.#generation === generation) this.#permit = false;
          done = true;
          return true;
        }
        waiter = { waker, notified: false };
        this.#waiters.push(waiter);
        return false;
      }
      if (waiter.notified) {
        waiter = null;
        done = true;
        return true;
      }
      if (waker !== null) waiter.waker = waker;
      return false;
    };
    const future = pollFn(
      (cx: Context): Poll<void> => (check(cx.waker()) ? Poll.ready(undefined) : PENDING),
      () => 'a Notify to be notified',
      () => {
        if (waiter === null) return;
        const i = this.#waiters.indexOf(waiter);
        if (i >= 0) this.#waiters.splice(i, 1);
        // A notifyOne that chose this waiter but was never seen passes to the next one, as in Tokio; a notifyWaiters does not.
        else if (waiter.notified === 'one') this.notifyOne();
        waiter = null;
      },
    ) as Awaitable<void> & { enable(): boolean };
    future.enable = () => check(null);
    return future;
  }
}

// It may go into an Arc shared by this thread's tasks, as Tokio's is (runtime/local-handle.ts).
localHandle(Notify, 'a weft/task Notify');
