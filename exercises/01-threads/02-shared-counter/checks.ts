import { check, count, plural } from '#weft/checks';

const THREADS = 4;
const EXPECTED = 1000;

export default [
  check('uses-four-threads', 'Four threads do the counting', async (t) => {
    const run = await t.run({ trace: true });
    const spawned = run.trace.spawned().length;
    if (spawned !== THREADS) run.fail(`main spawned ${plural(spawned, 'thread')}; the exercise asks for ${THREADS}`);
  }),

  check('counts-every-increment', 'No increment is lost, whatever the schedule', async (t) => {
    // Four seeds are enough: under a seed a load-then-store on an atomic loses updates in every schedule
    // (weft's fault injection), and a read and a write under two separate locks is caught by every one of these.
    await t.eachRun({ seeds: 4, free: 1 }, (run) => {
      const total = Number(run.expectLine(/^Total: (-?\d+)$/, `Total: ${EXPECTED}`)[1]);
      if (total === EXPECTED) return;
      if (total === 0) run.fail(`the total was 0, expected ${count(EXPECTED)}: main's counter never changed, because each thread added to its own copy`);
      if (total < EXPECTED) run.fail(`the total was ${count(total)}, expected ${count(EXPECTED)}: ${plural(EXPECTED - total, 'increment was', 'increments were')} lost`);
      run.fail(`the total was ${count(total)}, expected ${count(EXPECTED)}: ${plural(total - EXPECTED, 'increment was', 'increments were')} counted twice`);
    });
  }),

  check('shares-one-mutex', 'All four threads add to one Mutex, 1 at a time, each under the lock', async (t) => {
    // Judged from the trace, not from what main prints: the value each thread leaves in the Mutex
    // as it unlocks it shows what every critical section did.
    const [seed] = t.seeds(1);
    const run = await t.run({ seed, trace: true });
    const spawnedIds = new Set(run.trace.spawned().map((s) => s.threadId));
    const shared = run.trace.mutexes().find((mutex) => {
      const lockers = new Set(run.trace.locks(mutex).map((e) => e.threadId).filter((id) => spawnedIds.has(id)));
      return lockers.size >= THREADS;
    });
    if (shared === undefined) {
      const printed = run.find(/^Total: (-?\d+)$/);
      if (printed && Number(printed[1]) === EXPECTED && run.trace.locks().length === 0) {
        run.fail(
          `the total is right, but no thread locked a Mutex. If you counted with an atomic (fetchAdd), that is correct too, and chapter 3 is about atomics, ` +
            `but this exercise is about sharing a Mutex: put the counter in a Mutex, the Mutex in an Arc, and give each thread a clone`,
        );
      }
      run.fail(`no Mutex was locked by all ${THREADS} threads: the threads must share one counter, through clones of one Arc`);
    }
    // Each unlock by a counting thread must leave the value 1 above what the previous holder left.
    let value = 0;
    let increments = 0;
    for (const unlock of run.trace.unlocks(shared!)) {
      const left = unlock.value;
      if (spawnedIds.has(unlock.threadId)) {
        if (left !== value + 1) {
          const what = left === value ? 'left it as it was' : left === undefined ? 'left something that is not a number' : `changed it from ${count(value)} to ${count(left)}`;
          run.fail(
            `${unlock.thread} locked the counter's Mutex and ${what}${unlock.line === undefined ? '' : ` (line ${unlock.line})`}: ` +
              `each time a thread holds the lock it should add exactly 1 (4 threads × 250 times), so the Mutex itself ends at ${count(EXPECTED)}`,
            unlock.line === undefined ? undefined : { line: unlock.line, column: 1 },
          );
        }
        increments++;
      }
      if (left !== undefined) value = left;
    }
    if (increments !== EXPECTED) {
      run.fail(`the threads added 1 to the Mutex ${plural(increments, 'time')}, expected ${count(EXPECTED)} (${THREADS} threads × 250)`);
    }
    // main reads the total only after it has waited for every thread: a sleep only hopes they are done.
    const events = run.trace.events;
    const lastRead = events.findLastIndex((e) => e.kind === 'lock' && e.object === shared && !spawnedIds.has(e.threadId));
    if (lastRead < 0) {
      run.fail(
        `main never locked the counter's Mutex to read the total (another thread printed it, or main printed a number it did not read): ` +
          `join() every handle, then have main lock the Mutex and print its value`,
      );
    }
    const before = events.slice(0, Math.max(lastRead, 0));
    const joinedBefore = new Set(before.filter((e) => e.kind === 'join').map((e) => e.object));
    // A thread that said it was done on a channel after its last increment, and main received that many messages there, was waited for too.
    const toldDone = [...spawnedIds].filter((id) => {
      const lastIncrement = before.findLastIndex((e) => e.kind === 'unlock' && e.object === shared && e.threadId === id);
      return before.some((e, i) => i > lastIncrement && e.kind === 'send' && e.threadId === id);
    });
    const heard = (channel: number) => before.filter((e) => e.kind === 'recv' && e.object === channel && !spawnedIds.has(e.threadId)).length;
    const doneChannels = new Set(before.filter((e) => e.kind === 'send' && toldDone.includes(e.threadId)).map((e) => e.object));
    const waitedFor = [...doneChannels].reduce((n, channel) => n + heard(channel), 0) >= toldDone.length ? new Set(toldDone) : new Set<number>();
    const unjoined = [...spawnedIds].filter((id) => !joinedBefore.has(id) && !waitedFor.has(id));
    if (lastRead >= 0 && unjoined.length > 0) {
      run.fail(
        `main read the total before it had waited for ${unjoined.length} of its ${THREADS} threads: ` +
          `join() every handle first, so that no thread is still counting when main reads the Mutex (a sleep only hopes they are done)`,
        events[lastRead]!.line === undefined ? undefined : { line: events[lastRead]!.line!, column: 1 },
      );
    }
    const printed = Number(run.expectLine(/^Total: (-?\d+)$/, `Total: ${EXPECTED}`)[1]);
    if (printed !== value) run.fail(`main printed Total: ${printed}, but the Mutex held ${count(value)}: print the value you read from the Mutex after joining`);
  }),
];
