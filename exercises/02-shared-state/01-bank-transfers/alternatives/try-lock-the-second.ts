// Takes the lower account with lock() and the higher with a tryLock loop that yields while it is taken: the same one order (lower first), so no deadlock.
import { spawn, yieldNow } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** One transfer: move `amount` from account `from` to account `to`. */
type Transfer = [from: number, to: number, amount: number];

/** The lower account with lock(); the higher one with tryLock, yielding until it is free: still one order, lower first. */
export function transfer(accounts: Arc<Mutex<number>[]>, from: number, to: number, amount: number): void {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  using low = accounts[lo].lock();
  let high = accounts[hi].tryLock();
  while (high === undefined) {
    yieldNow();
    high = accounts[hi].tryLock();
  }
  using h = high;
  const [source, target] = from === lo ? [low, h] : [h, low];
  source.value -= amount;
  target.value += amount;
}

/** Counts all the money in the bank, holding every account's lock at once (taken from account 0 up). */
function countMoney(accounts: Arc<Mutex<number>[]>): number {
  const guards = [];
  for (let i = 0; i < accounts.length; i++) guards.push(accounts[i].lock());
  let total = 0;
  for (const guard of guards) total += guard.value;
  for (const guard of guards) guard.unlock();
  return total;
}

/**
 * Opens one account per balance, runs each plan (a list of transfers) on a
 * thread of its own, and meanwhile counts the money `audits` times.
 * Returns the final balances and what each audit counted.
 */
export function runBank(balances: number[], plans: Transfer[][], audits: number) {
  const accounts = new Arc(balances.map((balance) => new Mutex(balance)));
  const handles = [];
  for (const plan of plans) {
    const mine = accounts.clone();
    handles.push(
      spawn(() => {
        for (const [from, to, amount] of plan) transfer(mine, from, to, amount);
      }),
    );
  }
  const totals = [];
  for (let i = 0; i < audits; i++) totals.push(countMoney(accounts));
  for (const handle of handles) handle.join();
  const final = [];
  for (let i = 0; i < accounts.length; i++) {
    using account = accounts[i].lock();
    final.push(account.value);
  }
  return { balances: final, totals };
}

function main() {
  // Ann (0) and Bo (1) keep paying each other back; so do Cy (2) and Di (3).
  const forth: Transfer[] = [];
  const back: Transfer[] = [];
  for (let i = 0; i < 25; i++) {
    forth.push([0, 1, 10], [2, 3, 5]);
    back.push([1, 0, 7], [3, 2, 4]);
  }
  const { balances, totals } = runBank([1000, 1000, 1000, 1000], [forth, back], 5);
  console.log(`Balances: ${balances.join(", ")}`);
  console.log(`Audits counted: ${totals.join(", ")}`);
}
