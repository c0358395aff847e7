import { check, count, plural, show, type CheckContext, type ProgramRun } from '#weft/checks';

type Log = [sent: number[][], received: number[][]];
interface Problem {
  kind: string;
  message: number;
}

/** Distinct messages, in no particular order, so nothing can be told from a message's value. */
function someSent(t: CheckContext, producers: number, each: number): number[][] {
  const used = new Set<number>();
  const fresh = () => {
    let n: number;
    do n = 1 + Math.floor(t.random() * 999);
    while (used.has(n));
    used.add(n);
    return n;
  };
  return Array.from({ length: producers }, () => Array.from({ length: each }, fresh));
}

const pick = <T>(t: CheckContext, list: readonly T[]): T => list[Math.floor(t.random() * list.length)]!;

/**
 * What a correct pipeline can do: the producers' sends interleave in any way that keeps each producer's order
 * (the channel's queue), and the consumers take from the front of that queue in any order of turns.
 * `turns` chooses the consumer for each message in queue order.
 */
function deliver(t: CheckContext, sent: number[][], consumers: number, turns?: (i: number) => number): number[][] {
  const next = sent.map(() => 0);
  const queue: number[] = [];
  for (;;) {
    const open = sent.map((_, p) => p).filter((p) => next[p]! < sent[p]!.length);
    if (open.length === 0) break;
    const p = pick(t, open);
    queue.push(sent[p]![next[p]!++]!);
  }
  const received: number[][] = Array.from({ length: consumers }, () => []);
  queue.forEach((message, i) => received[turns ? turns(i) : Math.floor(t.random() * consumers)]!.push(message));
  return received;
}

/** The problems the statement defines, worked out the plain way: the checks' own reference. */
function reference([sent, received]: Log): Problem[] {
  const problems: Problem[] = [];
  const origin = new Map<number, [number, number]>();
  sent.forEach((ms, p) => ms.forEach((m, i) => origin.set(m, [p, i])));
  const all = received.flat();
  for (const m of origin.keys()) if (!all.includes(m)) problems.push({ kind: 'lost', message: m });
  for (const m of new Set(all)) {
    const n = all.filter((x) => x === m).length;
    if (!origin.has(m)) problems.push({ kind: 'unexpected', message: m });
    else if (n > 1) problems.push({ kind: 'duplicated', message: m });
  }
  const late = new Set<number>();
  for (const ms of received) {
    ms.forEach((m, i) => {
      const from = origin.get(m);
      if (from === undefined) return;
      const behind = ms.slice(0, i).some((x) => {
        const o = origin.get(x);
        return o !== undefined && o[0] === from[0] && o[1] > from[1];
      });
      if (behind) late.add(m);
    });
  }
  for (const m of late) problems.push({ kind: 'out-of-order', message: m });
  return problems;
}

const key = (p: Problem) => `${p.kind} ${p.message}`;

/** The learner's answer for one log as a set of "kind message", or a message about why it isn't a list of problems. */
function answerOf(value: unknown): Set<string> | string {
  if (!Array.isArray(value)) return `returned ${show(value)} instead of a list of problems`;
  const keys = new Set<string>();
  for (const p of value) {
    const problem = p as Partial<Problem> | null;
    if (problem === null || typeof problem !== 'object' || typeof problem.kind !== 'string' || typeof problem.message !== 'number') {
      return `returned ${show(p)} in its list: a problem is { kind, message }, with kind "lost", "duplicated", "unexpected" or "out-of-order" and the message's number`;
    }
    keys.add(key(problem as Problem));
  }
  return keys;
}

const describeLog = ([sent, received]: Log) => `for sent ${show(sent)} and received ${show(received)}`;
const showKeys = (keys: Iterable<string>) => [...keys].map((k) => `${k.split(' ')[0]} ${k.split(' ')[1]}`).join(', ');

/** A case of the test: a log, and why it is what it is (for the message). */
interface Case {
  log: Log;
  what: string;
}

/** Calls the program's testLogs on every case at once (one run), and fails on the first answer that differs from the reference. */
/** What to tell the learner, from the first kind of mistake in their answer. */
function lesson(missing: string[], extra: string[], [sent, received]: Log): string {
  const has = (list: string[], kind: string) => list.some((k) => k.startsWith(`${kind} `));
  // An extra out-of-order message that some consumer got before an earlier message of its producer: the early one of
  // a swapped pair, reported along with (or instead of) the late one.
  const early = extra
    .filter((k) => k.startsWith('out-of-order '))
    .map((k) => Number(k.split(' ')[1]))
    .find((m) => {
      const p = sent.findIndex((ms) => ms.includes(m));
      return p >= 0 && received.some((ms) => ms.some((x, i) => i > ms.indexOf(m) && sent[p]!.indexOf(x) >= 0 && sent[p]!.indexOf(x) < sent[p]!.indexOf(m)));
    });
  if (early !== undefined) {
    return `Only the message that comes too late is out of order: ${early} came before a message its producer sent earlier, which is that message's problem, not ${early}'s. ` +
      `Report a message as out-of-order when the consumer got it after a later message of the same producer`;
  }
  if (has(extra, 'out-of-order')) {
    return `The channel keeps one producer's order only as each consumer sees it: consumers take turns, so one producer's messages can reach ` +
      `different consumers, and putting the consumers' lists together mixes them up. Messages of different producers may come in any order`;
  }
  if (has(missing, 'duplicated')) {
    return `Exactly once means no message is received twice: counting how many were received, or collecting them in a Set, can't tell. ` +
      `Count each message's copies, and report one { kind: "duplicated", message } for each message received more than once`;
  }
  if (has(missing, 'lost')) return `Every message sent must be received by some consumer: report each one no consumer received as { kind: "lost", message }`;
  if (has(missing, 'unexpected')) return `A consumer can't receive what nobody sent: report it as { kind: "unexpected", message }`;
  if (extra.length > 0 && extra.every((k) => k.startsWith('duplicated ')) && missing.length === 0) {
    return `A message nobody sent is "unexpected", however many times it came: "duplicated" is for a message that was sent once and received more than once`;
  }
  const lateCopy = missing
    .filter((k) => k.startsWith('out-of-order '))
    .map((k) => Number(k.split(' ')[1]))
    .find((m) => received.flat().filter((x) => x === m).length > 1);
  if (lateCopy !== undefined) {
    return `A copy counts as received where it came: ${lateCopy}'s second copy came after a later message of its producer, so ${lateCopy} is out of order as well as duplicated. ` +
      `Check the order of every message a consumer received, copies included`;
  }
  if (has(missing, 'out-of-order')) {
    return `One channel delivers one producer's messages in the order they were sent, so a consumer that receives a message after a later one ` +
      `from the same producer shows a bug. Report every message that came too late as { kind: "out-of-order", message }: each one received after ` +
      `any later message of its producer, not only the one right after it (compare with the latest seen so far, not with the previous one)`;
  }
  if (missing.length === 0 && extra.length > 0 && extra.every((k) => !k.startsWith('out-of-order'))) {
    return `A correct pipeline can deliver this log: a test must pass every schedule, not only the one it expects`;
  }
  return `Report exactly the problems the statement defines, one per message and kind`;
}

async function judge(t: CheckContext, cases: Case[]): Promise<void> {
  const run: ProgramRun = await t.call('testLogs', [cases.map((c) => c.log)], { seed: t.seeds(1)[0]! });
  const answers = run.value;
  if (!Array.isArray(answers) || answers.length !== cases.length) {
    run.fail(`testLogs returned ${show(answers)}: keep the test bench (testLogs) as it was given`);
  }
  cases.forEach((c, i) => {
    const got = answerOf(answers[i]);
    if (typeof got === 'string') run.fail(`${describeLog(c.log)} (${c.what}), deliveryProblems ${got}`);
    const want = new Set(reference(c.log).map(key));
    const missing = [...want].filter((k) => !got.has(k));
    const extra = [...got].filter((k) => !want.has(k));
    if (missing.length === 0 && extra.length === 0) return;
    run.fail(
      `${describeLog(c.log)} (${c.what}), deliveryProblems ` +
        (got.size === 0 ? 'found no problem' : `found ${showKeys(got)}`) +
        (want.size === 0 ? ', but there is none' : `; the problems are ${showKeys(want)}`) +
        `. ${lesson(missing, extra, c.log)}`,
    );
  });
}

function failIfBenchChanged(run: ProgramRun, sent: number[][], consumers: number): { received: number[][]; problems: unknown } {
  const value = run.value as { received?: unknown; problems?: unknown } | undefined;
  const received = value?.received;
  if (!Array.isArray(received) || received.length !== consumers || !received.every((r) => Array.isArray(r) && r.every((m) => typeof m === 'number'))) {
    run.fail(`runAndTest returned ${show(value)}: keep the pipeline and the test bench (runPipeline, runAndTest) as they were given`);
  }
  if (reference([sent, received as number[][]]).length > 0) {
    run.fail(`the pipeline itself delivered ${show(received)} for ${show(sent)}: keep the pipeline (runPipeline) as it was given`);
  }
  return { received: received as number[][], problems: value!.problems };
}

export default [
  check('accepts-real-runs', 'Your test passes the pipeline under every schedule', async (t) => {
    const sent = someSent(t, 2, 4);
    const consumers = 2;
    await t.eachRun({ seeds: 1, free: 1, call: { name: 'runAndTest', args: [sent, consumers] } }, (run: ProgramRun) => {
      const { received, problems } = failIfBenchChanged(run, sent, consumers);
      const got = answerOf(problems);
      if (typeof got === 'string') run.fail(`on a run of the pipeline, deliveryProblems ${got}`);
      if (got.size === 0) return;
      run.fail(
        `the pipeline sent ${show(sent)} and its consumers received ${show(received)}, which is a correct delivery: every message once, ` +
          `and each consumer got each producer's messages in the order they were sent. But deliveryProblems found ${showKeys(got)}. ` +
          `Which consumer gets which message, and how the producers' messages interleave, change from one schedule to the next: ` +
          `test only what every schedule guarantees, not one run's exact output`,
      );
    });
  }),

  check('accepts-every-valid-log', 'Every log a correct pipeline could give passes', async (t) => {
    const cases: Case[] = [];
    for (let i = 0; i < 4; i++) {
      const sent = someSent(t, 2 + (i % 3), 3 + i);
      cases.push({ log: [sent, deliver(t, sent, 2 + (i % 2))], what: 'a correct delivery' });
    }
    // One producer's messages split between two consumers, the later one to consumer 0, the earlier one to consumer 1.
    const split = someSent(t, 2, 4);
    const splitLog: Log = [split, [[split[0]![1]!, split[1]![0]!, split[0]![2]!], [split[0]![0]!, split[1]![1]!, split[1]![2]!, split[0]![3]!, split[1]![3]!]]];
    cases.push({ log: splitLog, what: 'each consumer got each producer’s messages in order' });
    // A consumer that got nothing, and a producer that sent nothing.
    const lone = someSent(t, 2, 3);
    lone.push([]);
    cases.push({ log: [lone, [[], deliver(t, lone, 1)[0]!]], what: 'one consumer got everything' });
    cases.push({ log: [[], [[], []]], what: 'nothing sent, nothing received' });
    await judge(t, cases);
  }),

  check('finds-lost-and-unexpected', 'It reports a message nobody received, and one nobody sent', async (t) => {
    const cases: Case[] = [];
    {
      const sent = someSent(t, 3, 3);
      const received = deliver(t, sent, 2);
      const from = received[0]!.length > 0 ? 0 : 1;
      received[from]!.splice(Math.floor(t.random() * received[from]!.length), 1);
      cases.push({ log: [sent, received], what: 'a consumer lost a message' });
    }
    {
      const sent = someSent(t, 2, 4);
      const received = deliver(t, sent, 3);
      const busiest = received.reduce((b, r, i) => (r.length > received[b]!.length ? i : b), 0);
      received[busiest]!.splice(-2); // stopped early: its last two messages never came
      cases.push({ log: [sent, received], what: 'a consumer stopped before the end' });
    }
    {
      const sent = someSent(t, 2, 3);
      const received = deliver(t, sent, 2);
      received[1]!.push(1000 + Math.floor(t.random() * 9000));
      cases.push({ log: [sent, received], what: 'a consumer received a message nobody sent' });
    }
    {
      const sent = someSent(t, 2, 3);
      const received = deliver(t, sent, 2, (i) => i % 2);
      const victim = received[0]!.splice(1, 1)[0]!;
      received[0]!.push(1000 + (victim % 1000) + 1000 * Math.floor(t.random() * 8)); // a message corrupted on the way: one lost, one unknown
      cases.push({ log: [sent, received], what: 'one message arrived garbled' });
    }
    {
      // The same stray number twice: it is unexpected, and only that ("duplicated" is for a message that was sent).
      const sent = someSent(t, 2, 3);
      const received = deliver(t, sent, 2, (i) => i % 2);
      const stray = 1000 + Math.floor(t.random() * 9000);
      received[0]!.push(stray);
      received[1]!.push(stray);
      cases.push({ log: [sent, received], what: 'two consumers received the same message nobody sent' });
    }
    await judge(t, cases);
  }),

  check('finds-duplicates', 'It reports a message received more than once, even when the counts add up', async (t) => {
    const cases: Case[] = [];
    {
      const sent = someSent(t, 2, 4);
      const received = deliver(t, sent, 2, (i) => i % 2);
      received[0]!.splice(1, 0, received[0]![0]!); // delivered twice to the same consumer, back to back
      cases.push({ log: [sent, received], what: 'a consumer received a message twice' });
    }
    {
      const sent = someSent(t, 1, 4);
      const received = deliver(t, sent, 2, (i) => (i < 2 ? 0 : 1));
      received[1]!.unshift(received[0]![1]!); // the last message consumer 0 took also reached consumer 1, first
      cases.push({ log: [sent, received], what: 'two consumers received the same message' });
    }
    {
      const sent = someSent(t, 3, 3);
      const received = deliver(t, sent, 2, (i) => i % 2);
      const lost = received[1]!.splice(0, 1)[0]!;
      received[0]!.splice(1, 0, received[0]![0]!); // as many messages as were sent, but one lost and one twice
      cases.push({ log: [sent, received], what: `${lost} lost and another message twice: the counts add up` });
    }
    {
      // A copy that comes again later, after messages its producer sent after it: duplicated, and that late copy is
      // out of order too (the consumer got it after a later message of its producer), whatever the first copy did.
      const sent = someSent(t, 2, 4);
      const received: number[][] = [[...sent[0]!], [...sent[1]!]];
      received[0]!.splice(3, 0, sent[0]![1]!);
      cases.push({ log: [sent, received], what: `consumer 0 got ${sent[0]![1]} again after ${sent[0]![2]}, which its producer sent later` });
    }
    await judge(t, cases);
  }),

  check('finds-out-of-order', "It reports a consumer that got a producer's messages out of order", async (t) => {
    const cases: Case[] = [];
    for (let i = 0; i < 3; i++) {
      const sent = someSent(t, 2, 4);
      // Consumer 0 takes every message of producer 0; then two of them, next to each other, swap places.
      const received: number[][] = [[...sent[0]!], [...sent[1]!]];
      const a = i; // swap sent[0][a] and sent[0][a + 1]
      [received[0]![a], received[0]![a + 1]] = [received[0]![a + 1]!, received[0]![a]!];
      if (i === 2) received[0]!.splice(1, 0, received[1]!.shift()!); // and a message of the other producer in between
      cases.push({ log: [sent, received], what: `consumer 0 got ${sent[0]![a + 1]} before ${sent[0]![a]}` });
    }
    {
      // One message overtakes several: every message it overtook came after a later one, not only the first of them.
      const sent = someSent(t, 2, 4);
      const received: number[][] = [[sent[0]![3]!, ...sent[0]!.slice(0, 3)], [...sent[1]!]];
      cases.push({ log: [sent, received], what: `consumer 0 got ${sent[0]![3]}, the last message of producer 0, before the three sent ahead of it` });
    }
    await judge(t, cases);
  }),
];
