import { spawn, ThreadPanic } from "weft/thread";
import { Arc, Mutex, MutexGuard, PoisonError } from "weft/sync";

/** The bank's books: every account's balance, and the undo record of the transfer in progress. */
interface Ledger {
  balances: number[];
  /** Written before a transfer changes a balance, cleared (null) when it is done: the two balances as they were before it. */
  undo: { from: number; to: number; fromBefore: number; toBefore: number } | null;
}

function lockLedger(ledger: Arc<Mutex<Ledger>>): MutexGuard<Ledger> {
  let guard: MutexGuard<Ledger>;
  let poisoned = false;
  try {
    guard = ledger.lock();
  } catch (e) {
    if (e instanceof PoisonError) {
      guard = e.intoInner() as MutexGuard<Ledger>;
      poisoned = true;
    } else {
      throw e;
    }
  }
  if (poisoned) {
    const { undo, balances } = guard.value;
    if (undo) {
      balances[undo.from] = undo.fromBefore;
      balances[undo.to] = undo.toBefore;
      guard.value.undo = null;
    }
    ledger.clearPoison();
  }
  return guard;
}
// ---- the bank: keep everything below as it is ----

/** A transfer of `amount` from account `from` to account `to`; `crash` makes it panic halfway, a bug in the bank's code. */
export interface Transfer {
  from: number;
  to: number;
  amount: number;
  crash: boolean;
}

/** Moves the money, under the ledger's lock, recording first what it is about to change. */
function transfer(ledger: Arc<Mutex<Ledger>>, t: Transfer): void {
  using books = lockLedger(ledger);
  const b = books.value;
  b.undo = { from: t.from, to: t.to, fromBefore: b.balances[t.from]!, toBefore: b.balances[t.to]! };
  b.balances[t.from]! -= t.amount;
  if (t.crash) throw new Error(`the transfer of ${t.amount} from account ${t.from} to account ${t.to} crashed halfway`);
  b.balances[t.to]! += t.amount;
  b.undo = null;
}

/**
 * Runs every transfer on a thread of its own, all at once, then reads the
 * books. Returns the final balances, the transfers whose thread panicked
 * (their indexes) and whether the ledger's lock was still poisoned at the end.
 */
export function runBank(balances: number[], transfers: Transfer[]): { balances: number[]; failed: number[]; poisoned: boolean } {
  const ledger = new Arc(new Mutex<Ledger>({ balances, undo: null }));
  const handles = transfers.map((t) => {
    const mine = ledger.clone();
    return spawn(() => transfer(mine, t));
  });
  const failed: number[] = [];
  handles.forEach((handle, i) => {
    try {
      handle.join();
    } catch (error) {
      if (!(error instanceof ThreadPanic)) throw error;
      failed.push(i);
    }
  });
  using books = lockLedger(ledger);
  return { balances: books.value.balances, failed, poisoned: ledger.isPoisoned() };
}

function main() {
  const { balances, failed, poisoned } = runBank(
    [100, 100, 100],
    [
      { from: 0, to: 1, amount: 30, crash: false },
      { from: 1, to: 2, amount: 50, crash: true },
      { from: 2, to: 0, amount: 20, crash: false },
    ],
  );
  console.log(`balances: ${balances.join(", ")} (total ${balances.reduce((a, b) => a + b, 0)}, was 300)`);
  console.log(`failed transfers: ${failed.join(", ")}; lock still poisoned: ${poisoned}`);
}
