import { join, select, sleep, spawn, time } from "weft/task";
type Outcome<T> = { ok: true; value: T } | { ok: false };

export async function withTimeout<T>(ms: number, future: Promise<T>): Promise<Outcome<T>> {
  const settled = async (): Promise<Outcome<T>> => ({ ok: true, value: await future });
  const expired = async (): Promise<Outcome<T>> => {
    await sleep(ms);
    console.log(`gave up after ${ms} ms`);
    return { ok: false };
  };
  const { value } = await select({ settled: settled(), expired: expired() });
  return value;
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
