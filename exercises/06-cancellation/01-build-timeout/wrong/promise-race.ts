// fails: slow-job-is-cancelled
// Races the future against a sleep with Promise.race, as in JavaScript: the first to settle gives the outcome, but Promise.race cancels nothing, so a timed-out job runs on to the end.
import { join, select, sleep, spawn, time } from "weft/task";

/** What withTimeout gives back: the future's value, or that the time ran out. */
type Outcome<T> = { ok: true; value: T } | { ok: false };

/** Awaits `future` (an async function's future, which TypeScript types as a Promise) for at most `ms` milliseconds; cancels it if the time runs out. */
export async function withTimeout<T>(ms: number, future: Promise<T>): Promise<Outcome<T>> {
  // select cancels the branch that loses: the future at its await (its finally runs), or the sleep.
  const late = Symbol("late");
  const first = await Promise.race([future, (async () => { await sleep(ms); return late; })()]);
  return first === late ? { ok: false } : { ok: true, value: first as T };
}

// ---- the test bench: keep it as it is ----

/** A job: works for `ms` milliseconds and returns `value`, logging its start, its finish and its cleanup. */
async function job(id: number, ms: number, value: number, log: string[]): Promise<number> {
  log.push(`${time.now()} start ${id}`);
  try {
    await sleep(ms);
    log.push(`${time.now()} done ${id}`);
    return value;
  } finally {
    log.push(`${time.now()} cleanup ${id}`);
  }
}

/** Runs every job at once under withTimeout(limit, …); returns the outcomes and the log ("<ms> <event> <job>"). */
export async function runJobs(jobs: [ms: number, value: number][], limit: number): Promise<{ outcomes: Outcome<number>[]; log: string[] }> {
  const log: string[] = [];
  const outcomes = await join(
    ...jobs.map(async ([ms, value], id) => {
      const outcome = await withTimeout(limit, job(id, ms, value, log));
      log.push(`${time.now()} outcome ${id}`);
      return outcome;
    }),
  );
  await sleep(Math.max(...jobs.map(([ms]) => ms))); // long enough for a job that wasn't cancelled to finish
  return { outcomes, log };
}

async function main() {
  time.pause(); // virtual time: exact, repeatable times
  const { outcomes, log } = await runJobs([[50, 7], [300, 8], [120, 0]], 200);
  console.log(JSON.stringify(outcomes));
  for (const line of log) console.log(line);
}
