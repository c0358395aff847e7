import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Client = [failures: number, latencyMs: number];
interface Backoff {
  attempts: number;
  baseMs: number;
  maxMs: number;
}
interface Plan {
  clients: Client[];
  policy: Backoff;
}

/**
 * A policy and clients the program can't know in advance. The cap lies strictly between 2 × baseMs and 4 × baseMs,
 * so it shortens the third wait and every later one. One client succeeds at once, two after a few failures, one
 * on its very last attempt, and one never does.
 */
function somePlan(t: CheckContext): Plan {
  const attempts = 4 + Math.floor(t.random() * 2);
  const baseMs = 10 * (2 + Math.floor(t.random() * 5));
  const maxMs = 2 * baseMs + 10 * (1 + Math.floor(t.random() * (baseMs / 5 - 1)));
  const latency = () => 5 + 5 * Math.floor(t.random() * 8);
  const clients: Client[] = [
    [2, latency()],
    [0, latency()],
    [attempts + 3, latency()],
    [attempts - 1, latency()],
    [1, latency()],
  ];
  return { clients, policy: { attempts, baseMs, maxMs } };
}

/** What a client does under the policy: when each call starts, and when and how it ends. */
function expected([failures, latencyMs]: Client, policy: Backoff): { calls: number[]; waits: number[]; endsAt: number; ok: boolean; lastCall: number } {
  const calls: number[] = [];
  const waits: number[] = [];
  let now = 0;
  let delay = policy.baseMs;
  for (let n = 1; ; n++) {
    calls.push(now);
    now += latencyMs;
    if (n > failures) return { calls, waits, endsAt: now, ok: true, lastCall: n };
    if (n === policy.attempts) return { calls, waits, endsAt: now, ok: false, lastCall: n };
    waits.push(delay);
    now += delay;
    delay = Math.min(2 * delay, policy.maxMs);
  }
}

interface Seen {
  /** When each call of each client started. */
  calls: number[][];
  outcomes: { at: number; ok: boolean; text: string }[];
}

function seenOf(run: ProgramRun, plan: Plan): Seen {
  const value = run.value as { log?: unknown; outcomes?: unknown } | undefined;
  if (!value || !Array.isArray(value.log) || !Array.isArray(value.outcomes) || value.outcomes.length !== plan.clients.length) {
    run.fail(`runClients returned ${show(value)}: keep the test bench (runClients) as it was given`);
  }
  const calls: number[][] = plan.clients.map(() => []);
  for (const line of value.log as unknown[]) {
    const m = /^(\d+) call (\d+) (\d+)$/.exec(String(line));
    if (m && calls[Number(m[2])] !== undefined) calls[Number(m[2])]!.push(Number(m[1]));
  }
  const outcomes = (value.outcomes as unknown[]).map((o, c) => {
    const m = /^(\d+) (ok|error) (.*)$/.exec(String(o));
    if (!m) run.fail(`client ${c}'s outcome was ${show(o)}: keep the test bench (runClients) as it was given`);
    return { at: Number(m[1]), ok: m[2] === 'ok', text: m[3]! };
  });
  return { calls, outcomes };
}

const describe = (p: Backoff) => `under the policy { attempts: ${p.attempts}, baseMs: ${p.baseMs}, maxMs: ${p.maxMs} }`;
const clientDescription = ([failures, latencyMs]: Client) =>
  (failures === 0 ? 'a client whose first call works' : `a client whose first ${plural(failures, 'call')} fail${failures === 1 ? 's' : ''}`) +
  ` (each call takes ${latencyMs} ms)`;

/** Why a client made no call, from how it ended: retry returned or threw before op's future ever ran. */
const noCall = (outcome: { ok: boolean; text: string }) =>
  outcome.ok
    ? `retry ended with ${show(outcome.text)} without running op's future`
    : `retry threw ${show(outcome.text)} before op's future ever ran`;

const runClients = (t: CheckContext, plan: Plan, request: { seed?: number; trace?: boolean }) =>
  t.call('runClients', [plan.clients, plan.policy], request);

export default [
  check('retries-until-success', "A client gets the reply of the first call that works, or, after the last attempt, that call's error", async (t) => {
    const plan = somePlan(t);
    const run = await runClients(t, plan, { seed: t.seeds(1)[0]! });
    const seen = seenOf(run, plan);
    plan.clients.forEach((client, c) => {
      const want = expected(client, plan.policy);
      const made = seen.calls[c]!.length;
      const outcome = seen.outcomes[c]!;
      const who = `${describe(plan.policy)}, ${clientDescription(client)}`;
      if (made === 0 && outcome.ok) {
        run.fail(
          `${who} made no call at all and got back ${show(outcome.text)}: retry returned op's future (or another future) without running it. ` +
            `In weft, as in Rust, a future runs only when awaited: write return await op(), not return op()`,
        );
      }
      if (made === 0) run.fail(`${who} made no call at all: ${noCall(outcome)}`);
      if (made !== want.lastCall) {
        run.fail(
          `${who} made ${plural(made, 'call')}; expected ${count(want.lastCall)}. ` +
            (made === 1
              ? 'retry never called the service again after a failure'
              : made > plan.policy.attempts
                ? `attempts counts every call, the first one included: at most ${plan.policy.attempts} calls in all`
                : want.ok
                  ? `it gave up before the call that would have worked`
                  : `it gave up before using all ${plan.policy.attempts} attempts`),
        );
      }
      const reply = want.ok ? `200 OK (client ${c}, call ${want.lastCall})` : `503 Service Unavailable (client ${c}, call ${want.lastCall})`;
      if (outcome.ok !== want.ok || outcome.text !== reply) {
        run.fail(
          `${who} ended with ${outcome.ok ? 'the reply' : 'the error'} ${show(outcome.text)}; expected ${want.ok ? 'the reply' : 'the error'} ${show(reply)}` +
            (!want.ok && !outcome.ok ? `: when every attempt fails, throw the last call's error, not another one` : ''),
        );
      }
    });
  }),

  check('exact-backoff', 'After a failure it waits baseMs, then twice as long each time, never longer than maxMs', async (t) => {
    const plan = somePlan(t);
    await t.eachRun({ seeds: 1, free: 1, call: { name: 'runClients', args: [plan.clients, plan.policy] } }, (run) => {
      const seen = seenOf(run, plan);
      plan.clients.forEach((client, c) => {
        const want = expected(client, plan.policy);
        const got = seen.calls[c]!;
        const k = want.calls.findIndex((at, n) => got[n] !== at);
        if (k < 0) return;
        // The waits the program really made: from the end of one call to the start of the next.
        const waits = got.slice(1).map((at, n) => at - got[n]! - client[1]);
        const who = `${describe(plan.policy)}, ${clientDescription(client)}`;
        if (got.length === 0) run.fail(`${who} made no call at all (it should call at ${show(want.calls)} ms): ${noCall(seen.outcomes[c]!)}`);
        if (got[k] === undefined) {
          run.fail(`${who} made only ${plural(got.length, 'call')}: it should call at ${show(want.calls)} ms`);
        }
        run.fail(
          `${who} called at ${show(got)} ms, expected at ${show(want.calls)} ms: ` +
            `it waited ${show(waits)} ms between a failed call's end and the next call, expected ${show(want.waits)} ms` +
            (waits.every((w) => w === 0)
              ? `. It didn't wait on the runtime's clock: weft/thread's sleep, a Promise on a real timer (setTimeout) or a busy loop don't move paused time; await weft/task's sleep`
              : waits.some((w) => w > plan.policy.maxMs)
                ? `. No wait may be longer than maxMs (${plan.policy.maxMs} ms)`
                : waits.length > 0 && waits.every((w, n) => w + client[1] === want.waits[n])
                  ? `. Each wait was counted from the start of the failed call: a wait starts when the failed call ends`
                  : `. Double the wait after each failure, starting from baseMs, and cap it at maxMs`),
        );
      });
    });
  }),

  check('gives-up-at-once', 'The outcome comes back as soon as the last call ends, with no wait after the last attempt', async (t) => {
    const plan = somePlan(t);
    const run = await runClients(t, plan, { seed: t.seeds(1)[0]! });
    const seen = seenOf(run, plan);
    plan.clients.forEach((client, c) => {
      const got = seen.calls[c]!;
      const outcome = seen.outcomes[c]!;
      if (got.length === 0) run.fail(`client ${c} never called the service: ${noCall(outcome)}`);
      const lastEnd = got[got.length - 1]! + client[1];
      if (outcome.at === lastEnd) return;
      run.fail(
        `${describe(plan.policy)}, ${clientDescription(client)} had its last call end at ${count(lastEnd)} ms, ` +
          `but its ${outcome.ok ? 'reply' : 'error'} came back only at ${count(outcome.at)} ms` +
          (outcome.ok ? '' : `: after the last attempt, throw its error at once. Waiting again first only makes the caller wait for nothing`),
      );
    });
  }),

  check('waits-without-blocking', 'The clients wait at the same time: a wait is a timer, not a blocked thread', async (t) => {
    const plan = somePlan(t);
    const run = await runClients(t, plan, { seed: t.seeds(1)[0]!, trace: true });
    const blocking = run.trace.blockingInTasks();
    if (blocking.length > 0) {
      const lines = [...new Set(blocking.map((b) => b.line).filter((line) => line !== undefined))];
      run.fail(
        `retry blocked the executor ${plural(blocking.length, 'time')}` +
          (lines.length > 0 ? ` (at ${lines.length === 1 ? 'line' : 'lines'} ${lines.join(', ')})` : '') +
          `: while one client's task sleeps with weft/thread's sleep, no other client's task can run, so their calls and waits are delayed. ` +
          `Wait with weft/task's await sleep(ms)`,
        blocking[0]!.line !== undefined ? { line: blocking[0]!.line, column: 1 } : undefined,
      );
    }
    // The bench's client tasks, in spawn order: each must end on the runtime's clock when its outcome came back.
    const tasks = run.trace.tasks().filter((task) => task.spawnLine !== undefined);
    if (tasks.length < plan.clients.length) run.fail(`runClients started ${plural(tasks.length, 'task')} for ${plural(plan.clients.length, 'client')}: keep the test bench as it was given`);
    plan.clients.forEach((client, c) => {
      const want = expected(client, plan.policy).endsAt;
      const ended = tasks[c]!.exitedAtMs;
      if (ended === want) return;
      if (ended !== undefined && ended < want) {
        run.fail(
          `${describe(plan.policy)}, ${clientDescription(client)} should be done at ${count(want)} ms on the runtime's clock, but its task ended already at ${count(ended)} ms: ` +
            `it waited less than the schedule says (a wait starts when the failed call ends, and lasts baseMs, then twice as long each time, up to maxMs)`,
        );
      }
      run.fail(
        `${describe(plan.policy)}, ${clientDescription(client)} should be done at ${count(want)} ms on the runtime's clock, ` +
          `but its task ended at ${ended === undefined ? 'no time at all (it never ended)' : `${count(ended)} ms`}: ` +
          `the calls and the waits must really take their time on the runtime's clock, with await sleep, while the other clients wait too`,
      );
    });
  }),
];
