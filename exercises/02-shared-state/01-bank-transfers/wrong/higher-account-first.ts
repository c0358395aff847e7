// fails: locks-in-one-order
// Agrees on one order, but the wrong one: the higher account first. Transfers never deadlock with each other, but countMoney locks from account 0 up, so an audit holding account 0 and a transfer holding account 1 each wait for the other.
import { spawn } from "weft/thread";
import { Arc, Mutex } from "weft/sync";

/** One transfer: move `amount` from account `from` to account `to`. */
type Transfer = [from: number, to: number, amount: number];

/** Moves `amount` from account `from` to account `to`. Each account is its own Mutex. */
export function transfer(accounts: Arc<Mutex<number>[]>, from: number, to: number, amount: number): void {
  // One order for every transfer: the higher account index first.
  const first = Math.max(from, to);
  const second = Math.min(from, to);
  using a = accounts[first].lock();
  using b = accounts[second].lock();
  const source = from === first ? a : b;
  const target = from === first ? b : a;
  source.value -= amount;
  target.value += amount;
}

// ---- You don't need to change anything below this line. ----

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
