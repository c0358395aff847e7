/**
 * Tokio's cooperative scheduling budget (tokio::task::coop): each time a
 * task is polled it may make 128 steps of progress on the runtime's
 * resources (as in Tokio 1.24: an mpsc or oneshot message received, a
 * Semaphore permit or a lock acquired, a task or spawnBlocking joined, a
 * timer fired; not broadcast, watch or Notify); after that, those resources answer "pending" and wake the
 * task at once, so it goes to the back of the queue and the other tasks
 * get their turn even when it never waits for real.
 * https://docs.rs/tokio/latest/tokio/task/index.html#cooperative-scheduling
 *
 * One number per thread (the running task's budget; a module variable is
 * thread-local). Outside a task's poll it is unconstrained. A resource asks
 * `proceed(cx)` before it makes progress and calls `consume()` when it
 * does; `unconstrained(future)` (task/spawn.ts) polls a future without a
 * budget, as Tokio's does.
 */
import type { Context } from '../future.ts';
import { runLocal } from '../../runtime/run-local.ts';

/** Tokio's budget per task poll. */
export const BUDGET = 128;
const UNCONSTRAINED = -1;

let budget = UNCONSTRAINED;
runLocal(() => (budget = UNCONSTRAINED));

/** A task's poll begins: it gets a fresh budget. Returns the budget to restore when it ends. */
export function startBudget(): number {
  const previous = budget;
  budget = BUDGET;
  return previous;
}

/** Puts back the budget `startBudget` or `withoutBudget` returned. */
export function restoreBudget(previous: number): void {
  budget = previous;
}

/** Polls without a budget from here until `restoreBudget` (Tokio's `with_unconstrained`). */
export function withoutBudget(): number {
  const previous = budget;
  budget = UNCONSTRAINED;
  return previous;
}

/**
 * Whether a resource may make progress now (Tokio's `poll_proceed`): false
 * once the budget is spent, having woken the task so it runs again after
 * the others.
 */
export function proceed(cx: Context): boolean {
  if (budget !== 0) return true;
  cx.waker().wakeByRef();
  return false;
}

/** A resource made progress: one step of the budget is spent. */
export function consume(): void {
  if (budget > 0) budget--;
}

/** Whether the budget has steps left (Tokio's `has_budget_remaining`). */
export function hasBudgetRemaining(): boolean {
  return budget !== 0;
}
