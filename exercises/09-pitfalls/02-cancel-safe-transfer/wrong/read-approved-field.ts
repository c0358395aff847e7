// fails: waits-for-approval
// Waits t.ms and reads t.approved instead of asking the bank: the same outcomes at the same times, but approve is never called.
import { Elapsed, sleep, spawn, time, timeout } from "weft/task";

/**
 * A transfer of `amount` from account `from` to account `to`. The other bank
 * answers after `ms` milliseconds, and says yes when `approved` is true.
 */
export interface Transfer {
  from: number;
  to: number;
  amount: number;
  ms: number;
  approved: boolean;
}

/** Asks the other bank whether the transfer may go ahead: the answer comes after `t.ms` milliseconds. Keep it as it is. */
async function approve(t: Transfer): Promise<boolean> {
  await sleep(t.ms);
  return t.approved;
}

/**
 * Moves `amount` from `from` to `to` if the other bank approves, and says
 * whether it did. A caller may cancel it at any await: whatever happens, the
 * money must move entirely or not at all.
 */
export async function transfer(balances: number[], t: Transfer): Promise<boolean> {
  // Wait for the answer first: a cancellation there leaves nothing half-done.
  await sleep(t.ms); // as long as the bank takes...
  const ok = t.approved; // ...but its answer is right there in the transfer
  if (!ok) return false;
  // Then both changes together, with no await between them: nothing can stop the transfer in the middle.
  balances[t.from]! -= t.amount;
  balances[t.to]! += t.amount;
  return true;
}

// ---- the test bench: keep everything below as it is ----

/**
 * Starts every transfer at once, each as a task of its own that gives up
 * after `limit` milliseconds (timeout cancels the transfer at the await it
 * is waiting at). Then waits long enough for anything still running to
 * finish, and returns the balances and each transfer's outcome.
 */
export async function runTransfers(balances: number[], transfers: Transfer[], limit: number): Promise<{ balances: number[]; outcomes: string[] }> {
  const tasks = transfers.map((t) =>
    spawn(async () => {
      try {
        return (await timeout(limit, transfer(balances, t))) ? "done" : "refused";
      } catch (error) {
        if (!(error instanceof Elapsed)) throw error;
        return "timed out";
      }
    }),
  );
  const outcomes: string[] = [];
  for (const task of tasks) outcomes.push(await task);
  await sleep(Math.max(...transfers.map((t) => t.ms)));
  return { balances, outcomes };
}

async function main() {
  time.pause(); // virtual time: exact, repeatable times
  const { balances, outcomes } = await runTransfers(
    [100, 100],
    [
      { from: 0, to: 1, amount: 30, ms: 20, approved: true },
      { from: 1, to: 0, amount: 10, ms: 30, approved: false },
      { from: 1, to: 0, amount: 50, ms: 80, approved: true },
    ],
    50,
  );
  console.log(`outcomes: ${outcomes.join(", ")}`);
  console.log(`balances: ${balances.join(", ")} (total ${balances[0]! + balances[1]!}, was 200)`);
}
