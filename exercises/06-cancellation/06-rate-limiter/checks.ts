import { check, count, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Plan {
  arrivals: number[];
  intervalMs: number;
  burst: number;
}

/**
 * Arrivals the program can't know in advance: a backlog at 0 (more than the burst), a request listed first that
 * arrives one interval later (while earlier ones still wait), a flood after a long quiet spell, a few requests spaced
 * wider than the interval (all these on multiples of the interval), then a burst and two requests off the grid.
 */
function somePlan(t: CheckContext): Plan {
  const intervalMs = t.random() < 0.5 ? 50 : 100;
  const burst = 2 + Math.floor(t.random() * 3);
  const arrivals = [intervalMs]; // listed first, so it is the first to look when its time comes
  for (let i = 0; i < burst + 3; i++) arrivals.push(0);
  const flood = (burst + 15 + Math.floor(t.random() * 5)) * intervalMs;
  for (let i = 0; i < 2 * burst + 1; i++) arrivals.push(flood);
  let at = flood + (2 * burst + 4) * intervalMs;
  for (let i = 0; i < 3; i++, at += 2 * intervalMs) arrivals.push(at);
  // Last, off the grid: once the bucket is full again, a burst that empties it, then one request an interval and a half
  // later (a token is back, and half of the next) and one 0.7 of an interval after that (the next token is back by then).
  // A bucket that counts only whole intervals since it last looked, and forgets the rest, serves the last one late.
  const last = at + (burst + 2) * intervalMs;
  for (let i = 0; i < burst; i++) arrivals.push(last);
  arrivals.push(last + 1.5 * intervalMs, last + 2.2 * intervalMs);
  return { arrivals, intervalMs, burst };
}

/** Requests in the order they arrive (ties in list order). */
const byArrival = (p: Plan) => p.arrivals.map((at, i) => ({ at, i })).sort((a, b) => a.at - b.at || a.i - b.i);

/** When each request goes through a token bucket that starts full and serves requests in arrival order. */
function bucketTimes(p: Plan): number[] {
  const through = new Array<number>(p.arrivals.length);
  let full = 0; // when the bucket would be full again
  for (const { at, i } of byArrival(p)) {
    const go = Math.max(at, full - (p.burst - 1) * p.intervalMs);
    full = Math.max(full, go) + p.intervalMs;
    through[i] = go;
  }
  return through;
}

function throughOf(run: ProgramRun, p: Plan): number[] {
  const through = run.value;
  if (!Array.isArray(through) || through.length !== p.arrivals.length) {
    run.fail(`runRequests returned ${show(through)}: keep the test bench (runRequests) as it was given`);
  }
  const stuck = through.findIndex((t) => typeof t !== 'number' || t < 0);
  if (stuck >= 0) run.fail(`request ${stuck} never got through`);
  return through as number[];
}

/** 1st, 2nd, 3rd, 4th, 11th, 21st … */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const sorted = (list: number[]) => [...list].sort((a, b) => a - b);
async function runRequests(t: CheckContext, p: Plan): Promise<ProgramRun> {
  const run = await t.call('runRequests', [p.arrivals, p.intervalMs, p.burst], { seed: t.seeds(1)[0]!, mayFail: true });
  if (run.status === 'ok') return run;
  const first = run.errors[0];
  return run.fail(
    run.status === 'timeout'
      ? `runRequests never finished (stopped after ${count(Math.round(run.timeoutMs / 1000))} s). On paused time the clock moves only when every task waits on a timer: ` +
          `a request that waits by looping (yieldNow, or checking time.now() again and again) keeps it from ever moving, so its token never comes. ` +
          `Wait with await sleep(ms) or sleepUntil(t), never spin`
      : first
        ? `${first.message}${first.location ? ` (line ${first.location.line})` : ''}`
        : run.summary,
    first?.location,
  );
}
const describe = (p: Plan) => `one token every ${p.intervalMs} ms, a burst of ${p.burst}`;

export default [
  check('in-arrival-order', 'Requests go through in the order they arrived', async (t) => {
    const p = somePlan(t);
    const run = await runRequests(t, p);
    const through = throughOf(run, p);
    const order = byArrival(p);
    for (let a = 0; a < order.length; a++) {
      for (let b = a + 1; b < order.length; b++) {
        const early = order[a]!;
        const late = order[b]!;
        if (early.at < late.at && through[early.i]! > through[late.i]!) {
          run.fail(
            `request ${late.i} arrived at ${count(late.at)} ms and went through at ${count(through[late.i]!)} ms, ahead of request ${early.i}, ` +
              `which had been waiting since ${count(early.at)} ms and went through only at ${count(through[early.i]!)} ms. ` +
              `The requests that wait must be served first come, first served, not by whoever looks first when a token is back`,
          );
        }
      }
    }
  }),

  check('never-faster-than-the-bucket', 'No more requests go through than the bucket allows', async (t) => {
    const p = somePlan(t);
    const run = await runRequests(t, p);
    const actual = sorted(throughOf(run, p));
    const allowed = sorted(bucketTimes(p));
    const k = actual.findIndex((at, n) => at < allowed[n]!);
    if (k < 0) return;
    const by = actual[k]!;
    run.fail(
      `with ${describe(p)}, ${count(k + 1)} requests had gone through by ${count(by)} ms, but the bucket allows only ${count(allowed.filter((a) => a <= by).length)} by then ` +
        `(the ${ordinal(k + 1)} no earlier than ${count(allowed[k]!)} ms). Tokens come back at the rate, and the bucket never holds more than ${p.burst}, however long it sat unused`,
    );
  }),

  check('no-needless-waiting', 'A request goes through as soon as the bucket has a token for it', async (t) => {
    const p = somePlan(t);
    const run = await runRequests(t, p);
    const actual = sorted(throughOf(run, p));
    const allowed = sorted(bucketTimes(p));
    const k = actual.findIndex((at, n) => at > allowed[n]!);
    if (k < 0) return;
    run.fail(
      `with ${describe(p)}, the ${ordinal(k + 1)} request to go through went at ${count(actual[k]!)} ms, though the bucket had a token for it at ${count(allowed[k]!)} ms ` +
        `(times out of the bucket: ${show(allowed)}; yours: ${show(actual)}). A full bucket lets ${p.burst} requests through at once`,
    );
  }),
  check('sleeps-until-its-token', 'A waiting request sleeps until its token is back, without waking to look again and again', async (t) => {
    const p = somePlan(t);
    const run = await t.call('runRequests', [p.arrivals, p.intervalMs, p.burst], { seed: t.seeds(1)[0]!, trace: true });
    throughOf(run, p);
    // The bench sleeps once per request until it arrives; a request that has to wait needs one more sleep, until its
    // token is back (two, if it is woken once early). Waking every few milliseconds to see whether a token is back is polling.
    const timers = run.trace.tasks().reduce((sum, task) => sum + task.timers, 0);
    if (timers <= 3 * p.arrivals.length) return;
    run.fail(
      `${count(p.arrivals.length)} requests waited on ${count(timers)} timers: a request that finds no token sleeps a little and looks again, over and over. ` +
        `Work out when its token will be back and sleep once until then (sleep or sleepUntil), keeping the requests in line`,
    );
  }),
];
