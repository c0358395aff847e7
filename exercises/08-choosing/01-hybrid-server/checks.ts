import { check, count, plural, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Request = [latency: number, n: number];

/** The exercise's crunch, to compare with (the checks run it on their own side). */
function crunch(n: number): number {
  let total = 0;
  for (let i = 1; i <= n; i++) {
    let x = i;
    while (x !== 1) {
      x = x % 2 === 0 ? x / 2 : 3 * x + 1;
      total++;
    }
  }
  return total;
}

/** Requests the program can't know in advance: different sizes, and latencies that don't follow the order of the requests. */
function someRequests(t: CheckContext, k: number, sameLatency = false, smallest = 300): Request[] {
  const sizes = new Set<number>();
  while (sizes.size < k) sizes.add(smallest + Math.floor(t.random() * 4 * smallest));
  const latency = 20 + 10 * Math.floor(t.random() * 5);
  return [...sizes].map((n, i) => [sameLatency ? latency : i === 0 ? 120 : 20 + 10 * Math.floor(t.random() * 8), n]);
}

/**
 * Requests whose crunch takes long enough to see on the real clock (100–200 ms on a quiet machine), many times
 * what a task's polls cost when they only spawn threads and wait: two of them, ready almost at once.
 */
function bigRequests(t: CheckContext): Request[] {
  const n = 100_000 + Math.floor(t.random() * 25_000);
  return [
    [1 + Math.floor(t.random() * 5), n],
    [1 + Math.floor(t.random() * 5), n + 1 + Math.floor(t.random() * 5_000)],
  ];
}

/** How long the executor's thread spent inside the program's tasks (in their polls), ms; real time in a free run. */
function executorBusyMs(run: ProgramRun): number {
  return run.trace.tasks().reduce((busy, task) => busy + (task.thread === 'main' ? task.busyMicros : 0), 0) / 1000;
}

const serveCall = (requests: Request[], slots: number) => ({ name: 'serve', args: [requests, slots] });

/** The called function's own task: the first task on main's executor (spawned by the runner, before any of the program's). */
function elapsedMs(run: ProgramRun): number {
  const root = run.trace.tasks().find((task) => task.thread === 'main');
  if (root === undefined || root.exitedAtMs === undefined) {
    run.fail('serve did not run as a task on the executor: keep it an `async function` that returns the answers');
  }
  return root.exitedAtMs - root.spawnedAtMs;
}

/** The most threads started by main (spawnBlocking's threads) alive at one moment. */
function mostBlockingAtOnce(run: ProgramRun): number {
  const mine = new Set<number>();
  const alive = new Set<number>();
  let most = 0;
  for (const e of run.trace.events) {
    if (e.kind === 'spawn' && e.thread === 'main') {
      mine.add(e.object);
      alive.add(e.object);
      most = Math.max(most, alive.size);
    } else if (e.kind === 'exit' && mine.has(e.threadId)) alive.delete(e.threadId);
  }
  return most;
}

export default [
  check('right-answers', "Every request's answer comes back, in the order of the requests", async (t) => {
    const requests = someRequests(t, 4);
    const expected = requests.map(([, n]) => crunch(n));
    await t.eachRun({ seeds: 1, free: 0, call: serveCall(requests, 2), timeoutMs: 20_000 }, (run) => {
      if (sameData(run.value, expected)) return;
      const value = run.value;
      run.fail(
        Array.isArray(value) && sameData([...value].sort(), [...expected].sort())
          ? `serve returned the right answers in the wrong order, ${show(value)}: answer i belongs to request i, ${show(expected)}`
          : `for requests ${show(requests)} (latency, n) serve returned ${show(value)}, expected ${show(expected)}: crunch(n) for each request, in order`,
      );
    });
  }),

  check('crunch-off-the-executor', "crunch runs on a blocking thread, never on the executor's thread", async (t) => {
    const requests = someRequests(t, 3);
    await t.eachRun({ seeds: 1, free: 0, call: serveCall(requests, 2), trace: true, timeoutMs: 20_000 }, (run) => {
      const iterators = run.trace.parIterators();
      const onExecutor = iterators.find((it) => it.thread === 'main');
      if (onExecutor !== undefined) {
        run.fail(
          `crunch's parallel iterator was called on the executor's thread (main), inside a task: it holds that thread until every item is done, ` +
            `so no other task (not even a heartbeat) runs meanwhile, just as if the task computed itself. Call crunch inside spawnBlocking(() => …) and await its future`,
          onExecutor.line !== undefined ? { line: onExecutor.line, column: 1 } : undefined,
        );
      }
      const blocking = run.trace.blockingInTasks();
      if (blocking.length > 0) {
        const first = blocking.find((b) => b.line !== undefined);
        run.fail(
          `${plural(blocking.length, 'blocking call')} stopped the executor from inside a task${first ? ` (line ${first.line})` : ''}: ` +
            `a thread's join() or weft/thread's sleep blocks every task on the thread. Await spawnBlocking's future instead`,
          first?.line !== undefined ? { line: first.line, column: 1 } : undefined,
        );
      }
      // spawnBlocking's threads are named blocking-1, blocking-2…; a thread of weft/thread's spawn can only be waited for with a blocking join().
      const elsewhere = iterators.find((it) => it.thread !== 'main' && !/^blocking-/.test(it.thread));
      if (elsewhere !== undefined) {
        run.fail(
          `crunch ran on ${elsewhere.thread}, started with weft/thread's spawn: a task waits for such a thread with join(), which blocks the executor until the thread is done ` +
            `(whether or not this run had to wait), or by polling it. spawnBlocking is the bridge: await the future of spawnBlocking(() => crunch(n))`,
          elsewhere.line !== undefined ? { line: elsewhere.line, column: 1 } : undefined,
        );
      }
      const crunched = iterators.filter((it) => it.thread !== 'main').map((it) => it.items);
      for (const [, n] of requests) {
        const at = crunched.indexOf(n);
        if (at >= 0) {
          crunched.splice(at, 1);
          continue;
        }
        run.fail(
          `the request with n = ${count(n)} never ran crunch(${count(n)}) off the executor: ` +
            `each request's answer must come from the given crunch (keep it as it is), called inside spawnBlocking`,
        );
      }
    });
    // The trace shows where crunch ran, not where the answers were computed: a task can await a crunch on a blocking
    // thread and compute the answer again itself. Free runs with crunches big enough to see on the real clock tell:
    // the trace times crunch's parallel iterators (how long their pieces took, on the pool's threads) and the tasks'
    // polls on the executor's thread, in the same run, under the same load. The executor's thread should be idle while
    // the crunches run, not busy for about as long as they took. Only when every run says so, and by wide margins.
    const big = bigRequests(t);
    const expected = big.map(([, n]) => crunch(n));
    const runs: { busy: number; took: number; crunched: number }[] = [];
    await t.eachRun({ seeds: 0, free: 2, call: serveCall(big, 2), trace: true, timeoutMs: 30_000 }, (run) => {
      if (!sameData(run.value, expected)) run.fail(`for requests ${show(big)} (latency, n) serve returned ${show(run.value)}, expected ${show(expected)}`);
      const crunched = run.trace.parIterators().reduce((ms, it) => ms + (it.thread !== 'main' && it.work !== undefined ? it.work.totalMs : 0), 0);
      runs.push({ busy: executorBusyMs(run), took: elapsedMs(run), crunched });
    });
    if (runs.every(({ busy, took, crunched }) => busy > took / 4 && busy > crunched * 0.3)) {
      const { busy, took, crunched } = runs[0]!;
      t.fail(
        `for requests ${show(big)} (latency, n), serve took ${count(Math.round(took))} ms and the executor's thread was busy in your tasks for ${count(Math.round(busy))} ms of it, ` +
          `while the two crunches took ${count(Math.round(crunched))} ms on the pool's threads: the answers were computed again on the executor's thread, ` +
          `so every other task waited meanwhile, whatever ran on the blocking threads. Return the value of await spawnBlocking(() => crunch(n)) as the answer, and compute nothing in the task itself`,
      );
    }
  }),

  check('requests-at-once', 'The requests wait at the same time', async (t) => {
    const requests = someRequests(t, 4);
    await t.eachRun({ seeds: 1, free: 0, call: serveCall(requests, 1), trace: true, timeoutMs: 20_000 }, (run) => {
      const took = elapsedMs(run);
      const latencies = requests.map(([latency]) => latency);
      const expected = Math.max(...latencies);
      if (took === expected) return;
      const sum = latencies.reduce((a, b) => a + b, 0);
      run.fail(
        took < expected
          ? `with latencies of ${show(latencies)} ms, serve took ${count(took)} ms on the paused clock, less than its slowest wait: every request must first wait its latency for its data (await sleep(latency))`
          : `with latencies of ${show(latencies)} ms and 1 slot, serve took ${count(took)} ms on the paused clock` +
              (took === sum ? ' (their sum: one request after another)' : '') +
              `; the computing takes no time on that clock, so it should take ${count(expected)} ms, as long as the slowest wait. ` +
              `Give each request a task (or join them), and don't hold a CPU permit while a request is still waiting for its data`,
      );
    });
  }),

  check('bounded-cpu-jobs', 'At most `slots` CPU jobs run at once, and more than one when slots allow', async (t) => {
    const slots = 2 + Math.floor(t.random() * 2);
    // Twice as many requests as slots, and more, with crunches of a few milliseconds each (n from 5,000 to 25,000): ready
    // together, unbounded jobs are all started in one turn of the executor, long before the first of them can end.
    const requests = someRequests(t, 2 * slots + 1, true, 5_000);
    const expected = requests.map(([, n]) => crunch(n));
    let most = 0;
    // Free runs, on real threads (a seeded run lets a blocking thread end before the next starts, bounded or not): the
    // jobs that are ready together start together, unless something holds them back. Too many at once fails at once,
    // and there are always two runs, so a job that happened to end early in one run does not hide the missing bound.
    // On a busy machine one blocking thread can finish before the next has started: runs are tried again (up to four
    // in all) before "never overlapped" is said.
    for (let tries = 0; tries < 4 && (tries < 2 || most < 2); tries++) {
      await t.eachRun({ seeds: 0, free: 1, call: serveCall(requests, slots), trace: true, timeoutMs: 20_000 }, (run) => {
        if (!sameData(run.value, expected)) run.fail(`serve returned ${show(run.value)} for requests ${show(requests)} (latency, n), expected ${show(expected)}`);
        const atOnce = mostBlockingAtOnce(run);
        most = Math.max(most, atOnce);
        if (atOnce <= slots) return;
        run.fail(
          `${count(requests.length)} requests finished waiting at the same moment and ${count(atOnce)} blocking threads ran at once, with ${plural(slots, 'slot')}: ` +
            `spawnBlocking's pool is sized for blocking I/O, not for cores, so bound the CPU jobs yourself, with a Semaphore(slots) whose permit each job holds while it computes`,
        );
      });
    }
    if (most < 2) {
      t.fail(
        `${count(requests.length)} requests were ready to compute at the same moment, with ${plural(slots, 'slot')}, but in four runs their CPU jobs never overlapped: ` +
          `the jobs ran one after another. Let up to \`slots\` blocking threads run at once`,
      );
    }
  }),
];
