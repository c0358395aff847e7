// fails: waits-for-approval
// Games the bench: decides each outcome from ms and limit and applies the fast transfers on the spot, without running or timing anything.
import { Elapsed, sleep, spawn, time, timeout } from "weft/task";

/** A transfer of `amount` from account `from` to account `to`, which the other bank takes `ms` milliseconds to approve. */
export interface Transfer {
  from: number;
  to: number;
  amount: number;
  ms: number;
}

/** Asks the other bank to approve a transfer: the answer comes after `ms` milliseconds. Keep it as it is. */
async function approve(ms: number): Promise<void> {
  await sleep(ms);
}

/**
 * Moves `amount` from `from` to `to`, once the other bank approves. A caller
 * may cancel it at any await: whatever happens, the money must move entirely
 * or not at all.
 */
export async function transfer(balances: number[], t: Transfer): Promise<void> {
  // Wait for the approval first: a cancellation there leaves nothing half-done.
  await approve(t.ms); // talk to the other bank
  // Then both changes together, with no await between them: nothing can stop the transfer in the middle.
  balances[t.from]! -= t.amount;
  balances[t.to]! += t.amount;
}

// ---- the test bench: keep everything below as it is ----

/**
 * Starts every transfer at once, each as a task of its own that gives up
 * after `limit` milliseconds (timeout cancels the transfer at the await it
 * is waiting at). Then waits long enough for anything still running to
 * finish, and returns the balances and each transfer's outcome.
 */
export async function runTransfers(balances: number[], transfers: Transfer[], limit: number): Promise<{ balances: number[]; outcomes: string[] }> {
  // Works the answer out instead: the fast transfers are applied at once, the slow ones are said to time out.
  const outcomes = transfers.map((t) => (t.ms <= limit ? "done" : "timed out"));
  for (const t of transfers) {
    if (t.ms <= limit) {
      balances[t.from]! -= t.amount;
      balances[t.to]! += t.amount;
    }
  }
  return { balances, outcomes };
}

async function main() {
  time.pause(); // virtual time: exact, repeatable times
  const { balances, outcomes } = await runTransfers(
    [100, 100],
    [
      { from: 0, to: 1, amount: 30, ms: 20 },
      { from: 1, to: 0, amount: 50, ms: 80 },
    ],
    50,
  );
  console.log(`outcomes: ${outcomes.join(", ")}`);
  console.log(`balances: ${balances.join(", ")} (total ${balances[0]! + balances[1]!}, was 200)`);
}
