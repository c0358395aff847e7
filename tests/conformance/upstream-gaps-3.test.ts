/**
 * Round 3 of upstream ports that found weft differing, or that had not been
 * ported: Tokio 1.24.2's sync_broadcast.rs (change_tasks, capacity_too_big,
 * send_two_recv_bounded) and time_rt.rs (starving, free and on a paused
 * clock). A future polled again by another task wakes only that task, as
 * Tokio's Recv and Notified keep one waker (weft's broadcast `recv` and
 * watch `changed` kept both); a broadcast capacity no number can count is
 * refused, as Tokio refuses one over usize::MAX / 2.
 */
import { describe, expect, it } from 'vitest';
import { ported } from './support/ported.ts';
import { runProgram } from '../unit/support/run-program.ts';

const IMPORTS = `import { broadcast, watch, Context, Waker, type Awaitable } from "weft/task";`;

/** tokio_test's task::spawn(fut).poll() and is_woken(), by hand: a Context whose Waker counts its wakes. */
const HELPERS = `
function mockTask() {
  const task = { wakes: 0, cx: undefined as unknown as Context };
  task.cx = new Context(Waker.from(() => { task.wakes++; }));
  return task;
}
function pollWith<T>(future: Awaitable<T>, task: { cx: Context }) {
  return (future as unknown as { poll(cx: Context): { ready: boolean; value?: T } }).poll(task.cx);
}
`;

ported('tokio tests/sync_broadcast.rs (round 3)', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'change_tasks: a recv future polled by task1, then by task2; a send wakes task2 (and only task2)',
      body: `  const [tx, rx] = broadcast.channel<string>(1);
  const recv = rx.recv();
  const task1 = mockTask(), task2 = mockTask();
  assert(!pollWith(recv, task1).ready);
  assert(!pollWith(recv, task2).ready);
  tx.send("hello");
  console.log(task2.wakes > 0, task1.wakes);`,
      expect: ['true 0'],
    },
    {
      test: 'change_tasks for watch: Receiver::changed polled by task1, then task2 (a Notified keeps one waker)',
      body: `  const [tx, rx] = watch.channel(0);
  const changed = rx.changed();
  const task1 = mockTask(), task2 = mockTask();
  assert(!pollWith(changed, task1).ready);
  assert(!pollWith(changed, task2).ready);
  tx.send(1);
  console.log(task2.wakes > 0, task1.wakes);`,
      expect: ['true 0'],
    },
    {
      test: 'send_two_recv_bounded: two receivers pending, a send wakes both and each reads the message',
      body: `  const [tx, rx1] = broadcast.channel<string>(16);
  const rx2 = tx.subscribe();
  let t1 = mockTask(), t2 = mockTask();
  let recv1 = rx1.recv(), recv2 = rx2.recv();
  assert(!pollWith(recv1, t1).ready);
  assert(!pollWith(recv2, t2).ready);
  tx.send("hello");
  assert(t1.wakes > 0 && t2.wakes > 0, "both woken");
  const v1 = pollWith(recv1, t1), v2 = pollWith(recv2, t2);
  console.log(v1.ready, v1.value, v2.ready, v2.value);
  t1 = mockTask(); t2 = mockTask();
  recv1 = rx1.recv(); recv2 = rx2.recv();
  assert(!pollWith(recv1, t1).ready);
  tx.send("world");
  assert(t1.wakes > 0, "recv1 woken");
  console.log(pollWith(recv1, t1).value, pollWith(recv2, t2).value);`,
      expect: ['true hello true hello', 'world world'],
    },
    {
      test: 'capacity_too_big (should_panic): 1 + (usize::MAX >> 1); weft\'s limit is Number.MAX_SAFE_INTEGER',
      body: `  try { broadcast.channel(2 ** 63); console.log("no panic"); } catch (e) { console.log((e as Error).message.includes("requested capacity too large")); }
  const [tx] = broadcast.channel(2 ** 40);
  console.log(tx.receiverCount());`,
      expect: ['true', '1'],
    },
  ],
});

describe('tokio tests/time_rt.rs starving: a future that wakes itself on every poll while it waits on a sleep', () => {
  const program = (paused: boolean) => `
import { sleepUntil, time, Poll, Context, type Awaitable } from "weft/task";
class Starve {
  constructor(public inner: Awaitable<void>, public polls: number) {}
  poll(cx: Context) {
    if ((this.inner as unknown as { poll(cx: Context): { ready: boolean } }).poll(cx).ready) return Poll.ready(this.polls);
    this.polls += 1;
    cx.waker().wakeByRef();
    return Poll.pending();
  }
}
async function main() {
  ${paused ? 'time.pause();' : ''}
  const when = time.now() + 10;
  const polls = await (new Starve(sleepUntil(when), 0) as unknown as Awaitable<number>);
  console.log(polls > 0, time.now() >= when);
}`;

  it('free-running: the sleep still fires (the executor fires due timers between polls), as upstream asserts', async () => {
    const result = await runProgram(program(false));
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['true true']);
  });

  it('on a paused clock it never finishes, as on Tokio\'s (checked: tokio 1.24.2 with start_paused hangs): time moves only when every task waits', async () => {
    const result = await runProgram(program(true), { timeoutMs: 3000 });
    expect(result.lines).toEqual([]);
    expect(result.outcome.status).toBe('timeout');
    expect(result.errors.map((e) => e.message)).toEqual(["'main' was still running, not waiting for anything in weft: a loop that never ends, or work that needs more time"]);
  });
});

ported('rayon src/iter/test.rs: cmp, partial_cmp, eq, ne, lt, le, gt, ge (check_*_direct, check_*_to_seq, check_*_lengths)', {
  imports: `import { range, parIter } from "weft/par";`,
  cases: [
    {
      test: 'check_cmp_direct, check_cmp_to_seq, check_eq_direct, check_eq_to_seq, check_ne_direct',
      body: `  console.log(range(0, 1024).cmp(range(0, 1024)), range(0, 1024).cmp(Array.from({ length: 1024 }, (_, i) => i)));
  console.log(range(0, 1024).eq(range(0, 1024)), range(0, 1024).ne(range(1, 1025)));`,
      expect: ['0 0', 'true true'],
    },
    {
      test: 'check_cmp_lt_direct, check_cmp_gt_direct, check_lt_direct, check_le_equal_direct, check_le_less_direct, check_gt_direct, check_ge_equal_direct, check_ge_greater_direct',
      body: `  console.log(range(0, 1024).cmp(range(1, 1024)), range(1, 1024).cmp(range(0, 1024)));
  console.log(range(0, 1024).lt(range(1, 1024)), range(1, 1024).lt(range(0, 1024)), range(0, 1024).le(range(0, 1024)), range(0, 1024).le(range(1, 1024)));
  console.log(range(1, 1024).gt(range(0, 1024)), range(0, 1024).gt(range(1, 1024)), range(0, 1024).ge(range(0, 1024)), range(1, 1024).ge(range(0, 1024)));`,
      expect: ['-1 1', 'true false true true', 'true false true true'],
    },
    {
      test: 'check_cmp_lengths, check_ne_lengths: a prefix is less, and not equal',
      body: `  const a = new Array(1024).fill(0), b = new Array(1025).fill(0);
  console.log(parIter(a).cmp(b), parIter(a).partialCmp(b), parIter(a).eq(b), parIter(a).ne(b));`,
      expect: ['-1 -1 false true'],
    },
    {
      test: 'check_partial_cmp_late_nan_direct, check_partial_cmp_none_direct (the first unequal pair decides; NaN there gives None)',
      body: `  console.log(parIter([0.0, NaN]).partialCmp(parIter([1.0, 1.0])), String(parIter([0.0, 0.0]).partialCmp([0.0, NaN])), String(parIter([NaN]).partialCmp([NaN])));`,
      expect: ['-1 undefined undefined'],
    },
    {
      test: 'check_cmp_rng_to_seq: every suffix of two seeded arrays, against the sequential comparison',
      body: `  let seed = 42;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 5;
  const a = Array.from({ length: 256 }, next), b = Array.from({ length: 256 }, next);
  const seq = (x: number[], y: number[]) => { for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1; return Math.sign(x.length - y.length); };
  let same = 0;
  for (let i = 0; i < a.length; i++) if (parIter(a.slice(i)).cmp(b.slice(i)) === seq(a.slice(i), b.slice(i))) same++;
  console.log(same);`,
      expect: ['256'],
    },
  ],
});
