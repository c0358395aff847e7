// fails: retries-until-success
// Drives op's future with .then(...) as one would a Promise: a weft future runs only when it is awaited (as a Rust future runs only when polled), and its then() refuses, so no call is ever made. The check says what retry threw.
import { join, sleep, spawn, time } from "weft/task";

/** How often to try, and how long to wait between tries. */
export interface Backoff {
  /** The most calls to make, the first one included. */
  attempts: number;
  /** The wait after the first failure; each later wait is twice the one before... */
  baseMs: number;
  /** ...but never longer than this. */
  maxMs: number;
}

/**
 * Calls `op` until it succeeds, at most `policy.attempts` times, and returns its value. After a failed call it
 * waits baseMs, then 2 × baseMs, 4 × baseMs and so on, never more than maxMs. When the last attempt fails too,
 * it throws that attempt's error at once.
 */
export async function retry<T>(op: () => Promise<T>, policy: Backoff): Promise<T> {
  const delays = Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => Math.min(policy.maxMs, policy.baseMs * 2 ** i));
  let lastError: unknown = new Error("no attempts");
  for (const delay of [...delays, undefined]) {
    const outcome = await op().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    if (outcome.ok) return outcome.value;
    lastError = outcome.error;
    if (delay === undefined) break;
    await sleep(delay);
  }
  throw lastError;
}

// ---- the test bench: keep it as it is ----

/**
 * Starts one task per client of a flaky service, all at once, each calling it through your `retry`. A client's
 * first `failures` calls fail with a 503, and every call takes `latencyMs`. Returns the log of every call
 * ("<ms> call <client> <n>") and each client's outcome ("<ms> ok <reply>" or "<ms> error <message>").
 */
export async function runClients(clients: [failures: number, latencyMs: number][], policy: Backoff): Promise<{ log: string[]; outcomes: string[] }> {
  time.pause(); // virtual time: every time below is exact, and the whole run takes no real time
  const log: string[] = [];
  const tasks = clients.map(([failures, latencyMs], client) =>
    spawn(async () => {
      let calls = 0;
      const callService = async () => {
        const n = ++calls;
        log.push(`${time.now()} call ${client} ${n}`);
        await sleep(latencyMs); // the round trip
        if (n <= failures) throw new Error(`503 Service Unavailable (client ${client}, call ${n})`);
        return `200 OK (client ${client}, call ${n})`;
      };
      try {
        const reply = await retry(callService, policy);
        return `${time.now()} ok ${reply}`;
      } catch (error) {
        return `${time.now()} error ${(error as Error).message}`;
      }
    }),
  );
  const outcomes = await join(...tasks);
  return { log, outcomes };
}

async function main() {
  const policy = { attempts: 4, baseMs: 100, maxMs: 300 };
  const { log, outcomes } = await runClients([[0, 30], [2, 30], [9, 50]], policy);
  for (const line of log) console.log(line);
  outcomes.forEach((outcome, client) => console.log(`client ${client}: ${outcome}`));
}
