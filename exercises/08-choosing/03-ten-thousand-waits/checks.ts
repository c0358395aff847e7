import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** The subscriber's reply, as the exercise's `ping` makes it (the checks compute it on their own side). */
const reply = (id: number, delay: number) => `${id}:${(id * 7919 + delay * 31) % 1000}`;

/** `n` delays the program can't know in advance, in tens of ms from 20 to 200; the first subscriber is the slowest. */
function someDelays(t: CheckContext, n: number): number[] {
  const delays = Array.from({ length: n }, () => 20 + 10 * Math.floor(t.random() * 18));
  delays[0] = 200;
  return delays;
}

const pingAll = (t: CheckContext, delays: number[], options: { trace?: boolean; mayFail?: boolean; timeoutMs?: number } = {}) =>
  t.call('pingAll', [delays], { seed: t.seeds(1)[0]!, ...options });

/** pingAll's own task (the first on main's executor, spawned by the runner): how long it took on the paused clock. */
function elapsedMs(run: ProgramRun): number {
  const root = run.trace.tasks().find((task) => task.thread === 'main');
  if (root === undefined || root.exitedAtMs === undefined) {
    run.fail('pingAll did not run as a task on the executor: keep it an `async function` that returns the replies');
  }
  return root.exitedAtMs - root.spawnedAtMs;
}

function expectReplies(run: ProgramRun, delays: number[]): void {
  const expected = delays.map((delay, id) => reply(id, delay));
  const value = run.value;
  if (sameData(value, expected)) return;
  if (!Array.isArray(value)) run.fail(`pingAll returned ${show(value)}, expected an array of ${count(delays.length)} replies (strings)`);
  if (value.length !== expected.length) run.fail(`for ${count(delays.length)} subscribers pingAll returned ${count(value.length)} replies: one reply per subscriber`);
  const wrong = expected.findIndex((line, i) => value[i] !== line);
  run.fail(
    sameData([...value].sort(), [...expected].sort())
      ? `pingAll returned the right replies in the wrong order (reply ${wrong} is ${show(value[wrong])}, expected ${show(expected[wrong])}): reply i belongs to subscriber i, not to the i-th subscriber to answer`
      : `reply ${wrong} is ${show(value[wrong])}, expected ${show(expected[wrong])}: each reply is what ping(id, delays[id]) answers`,
  );
}

/** When pingAll started threads, their waits ran on their own clocks: the time on pingAll's says nothing, and the thread check has explained why. */
function notOnThreads(run: ProgramRun): void {
  const threads = run.trace.spawned().length;
  if (threads > 0) {
    run.fail(`not judged: pingAll started ${plural(threads, 'thread')}, as explained under “The waits need no threads”; the time is measured on pingAll's own task, with every wait in a task`);
  }
}

/** How the run's waits were woken: a wake of a task by a timer (or by a task it awaited) for each moment a subscriber answers. */
function wakes(run: ProgramRun): number {
  return run.trace.tasks().reduce((total, task) => total + task.wakes, 0);
}

export default [
  check('right-replies', 'One reply per subscriber, in subscriber order', async (t) => {
    const delays = someDelays(t, 12);
    expectReplies(await pingAll(t, delays), delays);
  }),

  check('no-thread-per-wait', 'The waits need no threads: no thread is started, and no task blocks', async (t) => {
    const delays = someDelays(t, 40);
    const run = await pingAll(t, delays, { trace: true });
    expectReplies(run, delays);
    const threads = run.trace.spawned();
    if (threads.length > 0) {
      run.fail(
        `pingAll started ${plural(threads.length, 'thread')} for ${count(delays.length)} subscribers (weft/thread's spawn and spawnBlocking both start one)` +
          ': a thread each for work that only waits. A thread costs a stack and a place in the OS scheduler; ' +
          'a waiting task is a small object on the heap, and ten thousand of them wait together on one thread. Make each ping a task, or join their futures',
        threads[0]?.line !== undefined ? { line: threads[0].line, column: 1 } : undefined,
      );
    }
    const blocking = run.trace.blockingInTasks();
    if (blocking.length > 0) {
      const first = blocking.find((b) => b.line !== undefined);
      run.fail(
        `${plural(blocking.length, 'blocking call')} stopped the executor from inside pingAll${first ? ` (line ${first.line})` : ''}: ` +
          'while a task blocks, no other task on its thread runs, so the waits cannot overlap. Await the pings instead',
        first?.line !== undefined ? { line: first.line, column: 1 } : undefined,
      );
    }
  }),

  check('waits-overlap', 'Every ping waits, and all the waits overlap: the slowest subscriber sets the time', async (t) => {
    const delays = someDelays(t, 300);
    const run = await pingAll(t, delays, { trace: true });
    expectReplies(run, delays);
    notOnThreads(run);
    const took = elapsedMs(run);
    const slowest = Math.max(...delays);
    const sum = delays.reduce((a, b) => a + b, 0);
    if (took > slowest) {
      run.fail(
        `for ${count(delays.length)} subscribers whose answers take 20 to 200 ms, pingAll took ${count(took)} ms on the paused clock` +
          (took === sum ? ' (the sum of the waits: one ping after another)' : '') +
          `; with every ping waiting at the same time it takes ${count(slowest)} ms, as long as the slowest. ` +
          'Start every ping before you await any of them: a task each (spawn, then await the handles), or one join over all of them',
      );
    }
    if (took < slowest) run.fail(`pingAll returned after ${count(took)} ms on the paused clock, before the slowest subscriber (${slowest} ms) could answer: every reply must come from ping`);
    // Waiting once for the slowest and writing the replies yourself takes as long, but nothing was pinged.
    const moments = new Set(delays).size;
    const woken = wakes(run);
    if (woken < moments) {
      run.fail(
        `the subscribers answer at ${count(moments)} different moments, but the program's tasks were woken only ${plural(woken, 'time')}: ` +
          'the replies did not come from ping. Call ping(id, delays[id]) for every subscriber and use what it answers',
      );
    }
    // And the replies come from ping itself: the trace records every call of a top-level async function. A task
    // per subscriber that sleeps its delay and writes ping's answer out from its formula pings nobody.
    const pinged = run.trace.calls('ping').length;
    if (pinged < delays.length) {
      run.fail(
        `for ${count(delays.length)} subscribers, ping was called ${plural(pinged, 'time')}: every reply must be what ping(id, delays[id]) answers, ` +
          'not a copy of its formula. Keep ping as it is and call it for every subscriber (a task each, or one join over them all)',
      );
    }
    // Every ping sleeps once, from the moment it is pinged: one wait per subscriber. Sleeping to each moment in turn
    // and writing the replies there waits once per moment, and pings nobody.
    const waited = run.trace.tasks().reduce((total, task) => total + task.timers, 0);
    if (waited < delays.length) {
      run.fail(
        `for ${count(delays.length)} subscribers the program's tasks waited on only ${plural(waited, 'sleep')}: ` +
          `each ping(id, delays[id]) waits once, so ${count(delays.length)} pings make ${count(delays.length)} waits. ` +
          'The replies did not all come from ping: start a ping for every subscriber (a task each, or one join over them all) and use what each answers',
      );
    }
  }),

  check('ten-thousand', 'Ten thousand subscribers answer in the time of the slowest', async (t) => {
    const delays = someDelays(t, 10_000);
    const run = await pingAll(t, delays, { trace: true, mayFail: true, timeoutMs: 20_000 });
    if (run.status !== 'ok') {
      const first = run.errors[0];
      run.failEnded(
        `with ${count(delays.length)} subscribers pingAll did not finish: ${first ? first.message : run.summary}` +
          (/at most \d+ threads/.test(first?.message ?? '') ? '. Threads do not scale to this many waits; tasks do' : ''),
        first?.location,
      );
    }
    expectReplies(run, delays);
    notOnThreads(run);
    const took = elapsedMs(run);
    const slowest = Math.max(...delays);
    if (took !== slowest) {
      run.fail(`with ${count(delays.length)} subscribers pingAll took ${count(took)} ms on the paused clock; the slowest answers after ${count(slowest)} ms, and so should pingAll`);
    }
  }),
];
