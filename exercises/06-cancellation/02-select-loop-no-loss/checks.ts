import { check, count, sameData, show, type CheckContext, type ProgramRun } from '#weft/checks';

const TICK = 50;
const BODY_DELAY = 30;

interface Feeds {
  a: [number, number][];
  b: [number, number, number][];
}

/**
 * Feeds the program can't know in advance. Every frame's header comes 20 ms before a tick and its body 10 ms
 * after it, so a tick always falls between the two halves of a frame.
 */
function someFeeds(t: CheckContext): Feeds {
  const value = () => Math.floor(t.random() * 1000);
  const a: [number, number][] = [];
  for (let at = 5 + 10 * Math.floor(t.random() * 4); a.length < 5; at += 20 + 10 * Math.floor(t.random() * 6)) a.push([at, value()]);
  const b: [number, number, number][] = [];
  const ids = new Set<number>();
  while (ids.size < 3) ids.add(100 + Math.floor(t.random() * 900));
  let slot = Math.floor(t.random() * 2);
  for (const id of ids) {
    b.push([slot * TICK + (TICK - 20), id, value()]);
    slot += 2 + Math.floor(t.random() * 2);
  }
  return { a, b };
}

const endOf = (f: Feeds) => Math.max(...f.a.map(([at]) => at), ...f.b.map(([at]) => at + BODY_DELAY));

interface Result {
  a: number[];
  frames: [number, number][];
  ticks: number[];
  ended: boolean;
  at: number;
}

function resultOf(run: ProgramRun): Result {
  const r = run.value as Partial<Result> | undefined;
  if (!r || !Array.isArray(r.a) || !Array.isArray(r.frames) || !Array.isArray(r.ticks) || typeof r.ended !== 'boolean') {
    run.fail(`runMerge returned ${show(r)}: keep the test bench (runMerge) as it was given, and push what mergeFeeds receives onto out`);
  }
  return r as Result;
}

const merge = (t: CheckContext, f: Feeds) => t.call('runMerge', [f.a, f.b, BODY_DELAY, TICK], { seed: t.seeds(1)[0]! });

export default [
  check('every-message-once', 'Every message of a and every frame of b arrives exactly once, in order', async (t) => {
    const f = someFeeds(t);
    const run = await merge(t, f);
    const r = resultOf(run);
    const a = f.a.map(([, v]) => v);
    const frames = f.b.map(([, id, v]) => [id, v]);
    const end = endOf(f);
    if (r.ended && r.at < end && (!sameData(r.frames, frames) || !sameData(r.a, a))) {
      run.fail(
        `mergeFeeds ended at ${count(r.at)} ms, before both channels were closed (the last closed at ${count(end)} ms), ` +
          `so it missed what came after: a got ${show(r.a)} of ${show(a)}, b's frames ${show(r.frames)} of ${show(frames)}. ` +
          `One channel closing must not end the loop: leave it only when both are closed`,
      );
    }
    if (!sameData(r.frames, frames)) {
      const lost = frames.filter(([id]) => !r.frames.some(([got]) => got === id)).map(([id]) => id);
      run.fail(
        `b sent the frames ${show(frames)} (header, then body ${BODY_DELAY} ms later), and mergeFeeds got ${show(r.frames)}` +
          (lost.length > 0 ? `: the frames ${show(lost)} lost their header` : '') +
          `. A tick comes between every header and its body: a future that has taken the header when the tick wins is dropped with it. ` +
          `Keep the half-read frame outside the future that select cancels`,
      );
    }
    if (!sameData(r.a, a)) {
      run.fail(
        `a sent ${show(a)} and mergeFeeds got ${show(r.a)}` +
          (r.a.length < a.length ? ': the loop stopped listening to a before it was closed' : ''),
      );
    }
  }),

  check('ticks-on-time', 'Every tick is handled when it is due, even while a frame is half read', async (t) => {
    const f = someFeeds(t);
    const run = await t.call('runMerge', [f.a, f.b, BODY_DELAY, TICK], { seed: t.seeds(1)[0]!, trace: true });
    const r = resultOf(run);
    const late = r.ticks.findIndex((at, k) => at !== k * TICK);
    if (late < 0) {
      // Every tick before the last channel closed must be there: 0, TICK, 2 × TICK, … (one at the very end may or may not be).
      const due = Math.floor((endOf(f) - 1) / TICK) + 1;
      if (r.ticks.length < due) {
        run.fail(
          `the interval ticked ${count(due)} times before both channels were closed at ${count(endOf(f))} ms (at 0, ${TICK}, ${2 * TICK}, … ms), ` +
            `but mergeFeeds handled ${r.ticks.length === 0 ? 'none of them' : `only ${count(r.ticks.length)} (at ${show(r.ticks)})`}: ` +
            `wait for the interval's tick in the same select as the two channels, and push time.now() onto out.ticks each time it wins`,
        );
      }
      // Each tick after the first is waited for: some timer must have waited that many times, besides the bench's own
      // (its two senders, tasks 1 and 2, and its give-up timer). A tick list computed without waiting shows up here.
      const main = run.trace.tasks().find((task) => task.id === 0);
      const waited = run.trace
        .tasks()
        .filter((task) => task.thread !== main?.thread || (task.id !== 1 && task.id !== 2))
        .reduce((sum, task) => sum + task.timers, 0) - 1;
      if (main !== undefined && waited < due - 1) {
        run.fail(
          `mergeFeeds reported ticks at ${show(r.ticks)}, but it waited on a timer ${waited <= 0 ? 'never' : `only ${count(waited)} ${waited === 1 ? 'time' : 'times'}`}: ` +
            `those ticks were not handled when they were due. Wait for the interval's tick in the select, and push time.now() when it wins`,
        );
      }
      // Waiting in a select wakes the loop about once per message, close and tick; waking every few milliseconds to look
      // (tryRecv and a short sleep, in a loop) is polling, which the select is there to avoid.
      const events = f.a.length + 2 * f.b.length + 2 + due;
      const polls = run.trace
        .tasks()
        .filter((task) => task.thread !== main?.thread || (task.id !== 1 && task.id !== 2))
        .reduce((sum, task) => sum + task.polls, 0);
      if (main !== undefined && polls > 3 * events) {
        run.fail(
          `${count(events)} things happened (messages, frames' halves, closes and ticks), but mergeFeeds woke up ${count(polls)} times: ` +
            `it polls (checks the channels, sleeps a little, checks again) instead of waiting. Await one select over the two channels and the interval, which wakes it only when one of them is ready`,
        );
      }
      return;
    }
    run.fail(
      `tick ${late} was due at ${count(late * TICK)} ms and handled at ${count(r.ticks[late]!)} ms (ticks handled at ${show(r.ticks)}): ` +
        `the loop stopped listening while it waited for something else, or its timer started again on every round ` +
        `(a new sleep(tickMs) each time a message wins the select). Wait for everything in the one select, with one interval made before the loop`,
    );
  }),

  check('ends-when-both-close', 'The loop ends as soon as both channels are closed, and not before', async (t) => {
    const f = someFeeds(t);
    const run = await merge(t, f);
    const r = resultOf(run);
    const end = endOf(f);
    if (r.ended && r.at === end) return;
    run.fail(
      !r.ended
        ? `both channels were closed at ${count(end)} ms, but mergeFeeds was still running when the bench gave up at ${count(r.at)} ms: ` +
            `once both channels are closed only the tick branch is left, so the loop must end by itself`
        : r.at < end
          ? `mergeFeeds ended at ${count(r.at)} ms, but the last channel closed only at ${count(end)} ms: one channel closing must not end the loop while the other is open`
          : `mergeFeeds ended at ${count(r.at)} ms, though both channels were closed at ${count(end)} ms`,
    );
  }),
];
