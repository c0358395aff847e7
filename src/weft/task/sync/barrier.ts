/**
 * tokio::sync::Barrier: `n` tasks wait until all of them have reached the
 * same point. https://docs.rs/tokio/latest/tokio/sync/struct.Barrier.html
 *
 * As in Tokio: reusable (each time `n` tasks have arrived, a new round
 * starts), the last task to arrive in a round is its leader, and
 * `new Barrier(0)` behaves like `new Barrier(1)` (no task waits).
 */
import { localHandle } from '../../runtime/local-handle.ts';
import { PENDING, Poll, type Awaitable, type Context, type Waker } from '../future.ts';
import { BarrierWaitResult } from '../../sync/barrier.ts';
import { pollFn } from './poll-fn.ts';

export class Barrier {
  readonly #n: number;
  #arrived = 0;
  #generation = 0;
  #waiters = new Set<Waker>();

  /** A barrier for `n` tasks (0 counts as 1, as in Tokio). */
  constructor(n: number) {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`a Barrier needs a whole number of tasks, got ${n}`);
    this.#n = Math.max(1, n);
  }

  /**
   * Waits until `n` tasks have called `wait` in this round; one of them, the
   * last to arrive, gets a result whose `isLeader()` is true. Not cancel
   * safe, as Tokio's: a task cancelled while it waits still counts as
   * arrived.
   */
  wait(): Awaitable<BarrierWaitResult> {
    let generation = -1;
    let waker: Waker | null = null;
    return pollFn(
      (cx: Context): Poll<BarrierWaitResult> => {
        if (generation === -1) {
          generation = this.#generation;
          if (++this.#arrived >= this.#n) {
            this.#arrived = 0;
            this.#generation++;
            const waiters = [...this.#waiters];
            this.#waiters.clear();
            for (const w of waiters) w.wake();
            return Poll.ready(new BarrierWaitResult(true));
          }
        } else if (this.#generation !== generation) {
          return Poll.ready(new BarrierWaitResult(false));
        }
        if (waker !== null) this.#waiters.delete(waker);
        waker = cx.waker();
        this.#waiters.add(waker);
        return PENDING;
      },
      () => `${this.#n - this.#arrived} more task${this.#n - this.#arrived === 1 ? '' : 's'} to reach a Barrier of ${this.#n}`,
      () => {
        if (waker !== null) this.#waiters.delete(waker);
      },
    );
  }

  toString(): string {
    return 'Barrier { .. }';
  }
}

// It may go into an Arc shared by this thread's tasks, as Tokio's is (runtime/local-handle.ts).
localHandle(Barrier, 'a weft/task Barrier');
