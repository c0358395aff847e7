import { check, count, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Job = [ms: number, value: number];
interface Bench {
  jobs: Job[];
  limit: number;
}

/** Jobs the program can't know in advance: two finish in time (one of them returns 0), three don't. */
function someBench(t: CheckContext): Bench {
  const limit = 100 + 10 * Math.floor(t.random() * 10);
  const value = () => 1 + Math.floor(t.random() * 99);
  const fast = () => 10 * (1 + Math.floor(t.random() * (limit / 10 - 1)));
  const slow = () => limit + 10 * (1 + Math.floor(t.random() * 20));
  const jobs: Job[] = [
    [slow(), value()],
    [fast(), value()],
    [slow(), value()],
    [fast(), 0],
    [slow(), value()],
  ];
  return { jobs, limit };
}

interface Logged {
  at: number;
  event: string;
  job: number;
}

function benchOf(run: ProgramRun): { outcomes: unknown[]; log: Logged[] } {
  const value = run.value as { outcomes?: unknown; log?: unknown } | undefined;
  if (!value || !Array.isArray(value.outcomes) || !Array.isArray(value.log)) {
    run.fail(`runJobs returned ${show(value)}: keep the test bench (job and runJobs) as it was given`);
  }
  const log = (value.log as unknown[]).flatMap((line) => {
    const m = /^(\d+) (\w+) (\d+)$/.exec(String(line));
    return m ? [{ at: Number(m[1]), event: m[2]!, job: Number(m[3]) }] : [];
  });
  return { outcomes: value.outcomes as unknown[], log };
}

const runJobs = (t: CheckContext, b: Bench) => t.call('runJobs', [b.jobs, b.limit], { seed: t.seeds(1)[0]! });

export default [
  check('right-outcomes', 'A job that finishes in time gives its value; a slow one gives { ok: false }', async (t) => {
    const b = someBench(t);
    const run = await runJobs(t, b);
    const { outcomes } = benchOf(run);
    b.jobs.forEach(([ms, value], i) => {
      const expected = ms <= b.limit ? { ok: true, value } : { ok: false };
      if (sameData(outcomes[i], expected)) return;
      run.fail(
        `a job taking ${ms} ms that returns ${value}, with a ${b.limit} ms limit, came back as ${show(outcomes[i])}; expected ${show(expected)}` +
          (value === 0 && ms <= b.limit ? `. Its value is 0: tell the outcome by which branch of the select won, not by the value` : ''),
      );
    });
  }),

  check('gives-up-on-time', 'withTimeout answers when the job finishes or when the limit runs out, whichever comes first', async (t) => {
    const b = someBench(t);
    const run = await runJobs(t, b);
    const { log } = benchOf(run);
    b.jobs.forEach(([ms], i) => {
      const outcome = log.find((e) => e.event === 'outcome' && e.job === i);
      const expected = Math.min(ms, b.limit);
      if (outcome?.at === expected) return;
      run.fail(
        outcome === undefined
          ? `job ${i} never got an outcome`
          : `a job taking ${ms} ms with a ${b.limit} ms limit got its outcome at ${count(outcome.at)} ms, expected at ${count(expected)} ms` +
              (ms > b.limit && outcome.at === ms ? `: withTimeout waited for the slow job to finish instead of giving up when the limit ran out` : ''),
      );
    });
  }),

  check('slow-job-is-cancelled', 'A job that runs out of time is cancelled: it cleans up once and does nothing more', async (t) => {
    const b = someBench(t);
    const run = await runJobs(t, b);
    const { log } = benchOf(run);
    b.jobs.forEach(([ms], i) => {
      if (ms <= b.limit) return;
      const outcome = log.find((e) => e.event === 'outcome' && e.job === i);
      if (outcome === undefined) return; // gives-up-on-time says so
      const later = log.filter((e) => e.job === i && e.at > outcome.at);
      const cleanups = log.filter((e) => e.job === i && e.event === 'cleanup');
      if (later.length > 0) {
        run.fail(
          `a job taking ${ms} ms timed out at ${count(outcome.at)} ms, but then went on: ${later.map((e) => `${e.event} at ${e.at} ms`).join(', ')}. ` +
            `Giving up must cancel the job: a select cancels its losing branch, but a spawned task keeps running unless you abort it`,
        );
      }
      if (cleanups.length !== 1) {
        run.fail(`a job that timed out cleaned up ${cleanups.length === 0 ? 'never' : `${cleanups.length} times`}: a cancelled job's finally runs exactly once, when it is dropped`);
      }
      if (cleanups[0]!.at !== outcome.at) {
        run.fail(
          `a job taking ${ms} ms with a ${b.limit} ms limit was cancelled (its cleanup ran) at ${count(cleanups[0]!.at)} ms, but its outcome came back at ${count(outcome.at)} ms: ` +
            `give up at exactly the limit, cancelling the job right then and answering at once`,
        );
      }
    });
  }),
];
