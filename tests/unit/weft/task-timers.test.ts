/**
 * The runtime's timer heap (task/runtime/time-driver.ts) on its own: a
 * cancelled timer must not stay in the heap until its deadline, and dropping
 * cancelled timers all at once must keep the rest firing in deadline order.
 */
import { describe, expect, it } from 'vitest';
import { TimeDriver } from '../../../src/weft/task/runtime/time-driver.ts';
import type { Waker } from '../../../src/weft/task/future.ts';

function recorder(fired: number[], id: number): Waker {
  return { wake: () => fired.push(id) } as unknown as Waker;
}

describe('the timer heap', () => {
  it('holds only the live timers when a loop keeps cancelling long timeouts', () => {
    const time = new TimeDriver(true);
    const fired: number[] = [];
    const keep = [];
    // What `select(recv, sleep(30_000))` in a busy loop does: a 30 s timer made and cancelled each time round.
    for (let i = 0; i < 100_000; i++) {
      const timer = time.addTimer(30_000 + i, recorder(fired, i));
      if (i % 10_000 === 0) keep.push(i);
      else time.cancelTimer(timer);
    }
    expect(time.heldTimers).toBeLessThan(200);
    time.advance(200_000);
    expect(fired).toEqual(keep);
  });

  it('fires the timers left after a clean-up in order of deadline, then of making', () => {
    const time = new TimeDriver(true);
    const fired: number[] = [];
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const live: { id: number; deadline: number }[] = [];
    for (let i = 0; i < 5_000; i++) {
      const deadline = 1 + Math.floor(random() * 500); // many equal deadlines: made first, fired first
      const timer = time.addTimer(deadline, recorder(fired, i));
      if (random() < 0.8) time.cancelTimer(timer);
      else live.push({ id: i, deadline });
    }
    expect(time.heldTimers).toBeLessThan(5_000);
    time.advance(1_000);
    const expected = [...live].sort((a, b) => a.deadline - b.deadline || a.id - b.id).map((t) => t.id);
    expect(fired).toEqual(expected);
  });

  it('a timer cancelled twice, or after it fired, is counted once', () => {
    const time = new TimeDriver(true);
    const fired: number[] = [];
    const timers = Array.from({ length: 300 }, (_, i) => time.addTimer(10 + i, recorder(fired, i)));
    time.advance(50); // timers 0..40 fire
    for (const timer of timers) {
      time.cancelTimer(timer);
      time.cancelTimer(timer);
    }
    // At most a few dozen cancelled timers wait to be dropped lazily; the 259 cancelled here went in bulk.
    expect(time.heldTimers).toBeLessThanOrEqual(64);
    time.addTimer(400, recorder(fired, 999));
    time.advance(1_000);
    expect(fired).toEqual([...Array.from({ length: 41 }, (_, i) => i), 999]);
    expect(time.heldTimers).toBe(0);
  });
});
