import { check, count, multisetDiff, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

interface Setup {
  capacity: number;
  batches: number[][];
  consumers: number;
}

/** Producers' batches of distinct numbers the check chooses, so nothing can be taken that was never put. */
function someSetup(t: CheckContext, capacity: number, producers: number, perProducer: number, consumers: number): Setup {
  const used = new Set<number>();
  const fresh = () => {
    let n: number;
    do n = 1 + Math.floor(t.random() * 9999);
    while (used.has(n));
    used.add(n);
    return n;
  };
  return { capacity, batches: Array.from({ length: producers }, () => Array.from({ length: perProducer }, fresh)), consumers };
}

function describe(setup: Setup): string {
  const items = setup.batches.reduce((n, b) => n + b.length, 0);
  return `with ${plural(setup.batches.length, 'producer')}, ${plural(setup.consumers, 'consumer')}, ${plural(items, 'item')} and a capacity of ${setup.capacity}`;
}

function resultOf(run: ProgramRun): { taken: unknown[][]; most: number } {
  const value = run.value as { taken?: unknown; most?: unknown } | undefined;
  if (!Array.isArray(value?.taken) || !value.taken.every(Array.isArray) || typeof value.most !== 'number') {
    run.fail(`runBuffer returned ${show(value)}; keep runBuffer as the starter has it, returning { taken, most }`);
  }
  return value as { taken: unknown[][]; most: number };
}

const runBuffer = (t: CheckContext, setup: Setup, request: { seed?: number; trace?: boolean; mayFail?: boolean }) =>
  t.call('runBuffer', [setup.capacity, setup.batches, setup.consumers], request);

export default [
  check('every-item-once', 'Every item put is taken exactly once', async (t) => {
    // First, consumers often wait on an empty buffer together (and the producer never waits: the buffer has room for all); then both sides wait.
    const plans: [Setup, (number | undefined)[]][] = [
      [someSetup(t, 4, 1, 4, 3), [...t.seeds(4), undefined]],
      [someSetup(t, 1, 2, 3, 2), t.seeds(1)],
    ];
    for (const [setup, seeds] of plans) {
      for (const seed of seeds) {
        const run = await runBuffer(t, setup, seed === undefined ? {} : { seed });
        const taken = resultOf(run).taken.flat();
        const { missing, extra } = multisetDiff(taken, setup.batches.flat());
        if (missing.length === 0 && extra.length === 0) continue;
        const problems: string[] = [];
        const empty = extra.filter((item) => item === undefined || item === null).length;
        const others = extra.filter((item) => item !== undefined && item !== null);
        if (empty > 0) {
          problems.push(
            `${plural(empty, 'take')} found the buffer empty and returned ${show(undefined)}: ` +
              `a consumer must wait while the buffer is empty, and check again after every wait, because another consumer may have taken the item it was woken for`,
          );
        }
        if (others.length > 0) problems.push(`the consumers took ${show(others)}, which no producer put (or not that many times)`);
        if (missing.length > 0) problems.push(`${show(missing)} ${missing.length === 1 ? 'was' : 'were'} never taken`);
        run.fail(`${describe(setup)}, ${problems.join('; ')}`);
      }
    }
    // A notifyOne that wakes the wrong sleeper (a producer woken by a producer, or no one woken because the buffer
    // was not empty before) leaves a thread asleep for good. Under a seed every notify wakes every waiter, so only
    // free runs show it, and only in some of them: several, with producers and consumers both waiting.
    for (const setup of [someSetup(t, 1, 4, 3, 3), someSetup(t, 2, 4, 3, 3)]) {
      for (let i = 0; i < 5; i++) {
        const run = await runBuffer(t, setup, { mayFail: true });
        if (run.status === 'deadlock') {
          run.fail(
            `${describe(setup)}, the run stopped with every thread asleep (${run.summary.replace(/\.$/, '')}). ` +
              `A wakeup went missing. notifyOne wakes one thread, and it must be one that can go on: notify notEmpty after a put and notFull after a take, ` +
              `every time (not only when the buffer was empty or full), and if producers and consumers share one Condvar, notifyAll`,
          );
        }
        if (run.status !== 'ok') run.failEnded(`${describe(setup)}, the run did not finish: ${run.summary}`);
        const { missing, extra } = multisetDiff(resultOf(run).taken.flat(), setup.batches.flat());
        if (missing.length > 0 || extra.length > 0) {
          run.fail(`${describe(setup)}, the consumers took ${show(resultOf(run).taken.flat())}, expected every item of ${show(setup.batches.flat())} once`);
        }
      }
    }
  }),

  check('threads-put-and-take', 'The producers put every item and the consumers take every item, on threads of their own, through put and take', async (t) => {
    // runBuffer is the bench: rewritten to deal the items out without threads or a buffer, it returns the right items
    // in the right order and no thread ever waits. The trace records every call of put and take and its thread.
    const setup = someSetup(t, 2, 2, 3, 2);
    const [seed] = t.seeds(1);
    const run = await runBuffer(t, setup, { seed, trace: true });
    resultOf(run);
    const spawned = new Set(run.trace.spawned().map((s) => s.threadId));
    const items = setup.batches.flat().length;
    for (const name of ['put', 'take'] as const) {
      const calls = run.trace.calls(name);
      const onThreads = calls.filter((c) => spawned.has(c.threadId)).length;
      if (onThreads !== items || calls.length !== onThreads) {
        run.fail(
          `${describe(setup)}, ${name} was called ${plural(onThreads, 'time')} on spawned threads` +
            (calls.length > onThreads ? ` and ${plural(calls.length - onThreads, 'time')} on main` : '') +
            `, not ${count(items)}: keep runBuffer as the starter has it, with producer threads that put every item and consumer threads that take them, and make put and take wait on the Condvars`,
        );
      }
    }
  }),

  check('never-over-capacity', 'The buffer never holds more items than its capacity', async (t) => {
    const setup = someSetup(t, 1, 3, 3, 1);
    for (const seed of t.seeds(3)) {
      const run = await runBuffer(t, setup, { seed });
      const { most } = resultOf(run);
      if (most > setup.capacity) {
        run.fail(
          `${describe(setup)}, main looked into the buffer and found ${plural(most, 'item')} in it: ` +
            `a producer put an item although the buffer was full. Wait while it holds capacity items or more (>=, not >), and check again for room after every wait: ` +
            `another producer may have filled the slot you were woken for`,
        );
      }
    }
  }),

  check('no-busy-waiting', 'A thread that has to wait sleeps on a Condvar instead of trying again and again', async (t) => {
    const setup = someSetup(t, 1, 1, 4, 2);
    const items = setup.batches.flat().length;
    for (const seed of t.seeds(2)) {
      const run = await runBuffer(t, setup, { seed, trace: true });
      const workers = new Set(run.trace.spawned().map((s) => s.threadId));
      const events = run.trace.events.filter((e) => workers.has(e.threadId));
      const mutexes = new Set(run.trace.locks().map((e) => e.object));
      // Each put and each take locks the buffer once; a thread woken from a Condvar wait takes it again.
      // Any other lock is a look that found nothing to do and came back without sleeping on a Condvar
      // (a sleep() between looks is still a look: only Condvar waits count).
      const locks = events.filter((e) => e.kind === 'lock' && mutexes.has(e.object)).length;
      // A timed wait that ran out of time (waitTimeout in a loop, with nobody notifying) was not woken for a reason:
      // it is a look too.
      const condvarWaits = run.trace.waits('condvar').filter((w) => workers.has(w.threadId));
      const timedOut = condvarWaits.filter((w) => w.timedOut).length;
      const sleeps = condvarWaits.length - timedOut;
      const naps = run.trace.waits('sleep').filter((w) => workers.has(w.threadId)).length;
      const wasted = locks - 2 * items - sleeps;
      if (wasted > 0) {
        run.fail(
          `${describe(setup)}, the producers and consumers locked the buffer ${plural(locks, 'time')} for ${count(2 * items)} puts and takes, ` +
            (timedOut > 0
              ? `and ${plural(timedOut, 'timed wait')} on a Condvar ran out of time instead of being woken by a notify: `
              : naps > 0 ? `and slept ${plural(naps, 'time')} with sleep() between looks instead of waiting on a Condvar: ` : `and never slept on a Condvar in between: `) +
            `a thread that finds the buffer full (or empty) should wait on notFull (or notEmpty), ` +
            `which lets go of the lock until another thread notifies it, instead of locking again and again`,
        );
      }
    }
  }),

  check('first-in-first-out', 'Items come out in the order they went in', async (t) => {
    // One producer and one consumer: whatever the schedule, the consumer must get the batch in order.
    const setup = someSetup(t, 3, 1, 8, 1);
    const batch = setup.batches[0]!;
    for (const seed of t.seeds(2)) {
      const run = await runBuffer(t, setup, { seed });
      const taken = resultOf(run).taken.flat();
      if (taken.length === batch.length && taken.every((item, i) => item === batch[i])) continue;
      run.fail(
        `with one producer putting ${show(batch)} into a buffer of capacity ${setup.capacity}, the one consumer took ${show(taken)}: ` +
          `a buffer is first in, first out. put adds at the back (push) and take removes from the front (shift), not from the back (pop)`,
      );
    }
  }),
];
