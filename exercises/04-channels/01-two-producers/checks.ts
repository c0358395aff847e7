import { check, multisetDiff, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

/** Messages the program can't know in advance: a prefix per producer and a number. */
function someMessages(t: CheckContext, prefix: string, n: number): string[] {
  const start = Math.floor(t.random() * 900);
  return Array.from({ length: n }, (_, i) => `${prefix}${start + i}`);
}

function receivedOf(run: ProgramRun): string[] {
  if (!Array.isArray(run.value)) run.fail(`collect returned ${show(run.value)}, expected the array of messages it received`);
  return run.value as string[];
}

/** The messages of `sent` in the order they appear in `received`. */
const inReceivedOrder = (received: string[], sent: string[]) => received.filter((m) => sent.includes(m));

export default [
  check('receives-everything', "Every message of both producers is received, each producer's in the order it sent them", async (t) => {
    const first = someMessages(t, 'x', 4);
    const second = someMessages(t, 'y', 5);
    // Several seeds: under a seed a first recvTimeout that has to wait runs out (senders can be slow), which a timeout-ended loop must survive.
    for (const seed of [...t.seeds(3), undefined]) {
      const run = await t.call('collect', [first, second], seed === undefined ? {} : { seed });
      const received = receivedOf(run);
      const { missing, extra } = multisetDiff(received, [...first, ...second]);
      const call = `collect(${show(first)}, ${show(second)})`;
      if (missing.length > 0) run.fail(`${call} never received ${show(missing)} (it returned ${show(received)})`);
      if (extra.length > 0) run.fail(`${call} received ${show(extra)}, which nobody sent (or more times than they were sent)`);
      for (const sent of [first, second]) {
        const order = inReceivedOrder(received, sent);
        if (order.some((m, i) => m !== sent[i])) {
          run.fail(`${call} received one producer's messages as ${show(order)}, but it sent them as ${show(sent)}: messages from one Sender arrive in the order they were sent`);
        }
      }
    }
  }),

  check('loop-ends', 'The receiving loop ends once both producers are done', async (t) => {
    // A loop that never ends is reported by the grader as a deadlock: main waiting in `for (const msg of rx)` for a Sender that is still alive.
    await t.eachRun({ seeds: 2, free: 1 }, (run) => {
      run.expectLine(/^Channel closed$/, 'Channel closed');
    });
    // A sleep before draining what has arrived ends too, and under a seed (virtual time) it always waits long enough;
    // on a busy machine the producers may not be done when it is over.
    const [seed] = t.seeds(1);
    const run = await t.call('collect', [someMessages(t, 'x', 3), someMessages(t, 'y', 3)], { seed, trace: true });
    const nap = run.trace.waits('sleep').find((w) => w.thread === 'main');
    if (nap !== undefined) {
      run.fail(
        `collect slept${nap.line === undefined ? '' : ` at line ${nap.line}`} to give the producers time: a sleep doesn't wait for anyone, and on a busy machine ` +
          `they may not be done when it is over. Receive with for (const msg of rx): it waits for each message, and ends when the channel closes`,
        nap.line === undefined ? undefined : { line: nap.line, column: 1 },
      );
    }
  }),

  check('channel-closes', "The loop ends because the channel closed: main drops its own Sender", async (t) => {
    // A loop that counts its messages (first.length + second.length recv() calls) ends too, with main's Sender still
    // alive: it works only while collect knows how many will come. The trace records a receive that finds the channel
    // closed, every Sender gone: what ends for (const msg of rx).
    const first = someMessages(t, 'x', 3);
    const second = someMessages(t, 'y', 4);
    const [seed] = t.seeds(1);
    const run = await t.call('collect', [first, second], { seed, trace: true });
    const received = run.trace.channels().filter((channel) => run.trace.threadsThat('recv', channel).includes('main'));
    if (received.length === 0) run.fail(`collect(${show(first)}, ${show(second)}) received nothing on main: receive every message with for (const msg of rx)`);
    if (received.some((channel) => run.trace.closedSeen(channel).some((c) => c.thread === 'main'))) return;
    const line = run.trace.events.filter((e) => e.kind === 'recv' && e.thread === 'main').at(-1)?.line;
    run.fail(
      `collect(${show(first)}, ${show(second)}) stopped receiving${line === undefined ? '' : ` (line ${line})`} without seeing the channel close: ` +
        `it counted the messages, or broke off the loop, while a Sender was still alive. The channel closes when every Sender is gone: ` +
        `drop main's own tx once the threads have their clones, and receive with for (const msg of rx), which ends when the channel closes`,
      line === undefined ? undefined : { line, column: 1 },
    );
  }),

  check('two-producers-one-channel', 'Two threads send their messages on the same channel', async (t) => {
    const run = await t.call('collect', [someMessages(t, 'x', 3), someMessages(t, 'y', 3)], { trace: true });
    const senders = run.trace.channels().map((channel) => run.trace.threadsThat('send', channel).filter((name) => name !== 'main'));
    if (senders.some((threads) => threads.length >= 2)) return;
    const most = Math.max(0, ...senders.map((threads) => threads.length));
    const channels = senders.filter((threads) => threads.length > 0).length;
    if (channels >= 2) {
      run.fail(`the messages went over ${plural(channels, 'channel')}, one thread sending on each: give both threads a clone of the same Sender, so main receives everything from one Receiver`);
    }
    run.fail(
      most === 0
        ? 'no spawned thread sent a message: each producer should be a thread of its own, sending with its clone of the Sender'
        : 'only one thread sent on the channel: the messages of `second` should come from a second thread, with its own clone of the Sender',
    );
  }),
];
