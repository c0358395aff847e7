/**
 * Tokio's own tests of select!/join! (tokio/tests/macros_select.rs,
 * macros_join.rs), of timeouts (time_timeout.rs), of broadcast
 * (sync_broadcast.rs) and of Notify (sync_notify.rs), ported to weft/task.
 * As in tokio-sync.test.ts, `pollOnce` polls a future once and drops it,
 * and a future kept across polls is a spawned task.
 */
import { ported, RESUME_TIME } from './support/ported.ts';
import { TOKIO_HELPERS } from './support/tokio-helpers.ts';

const IMPORTS = `import { spawn, sleep, yieldNow, select, join, timeout, timeoutAt, time, oneshot, broadcast, Notify, Elapsed, Lagged, Poll, RecvError, TryRecvError, SendError, drop, type Awaitable } from "weft/task";`;

const HELPERS = `${TOKIO_HELPERS}
async function one(): Promise<number> {
  return 1;
}
/** What tryRecv gives, as Tokio's TryRecvError variants name it. */
function tryRecvOf<T>(rx: { tryRecv(): T }): string {
  try {
    return "Ok " + String(rx.tryRecv());
  } catch (e) {
    if (e instanceof Lagged) return "Lagged " + e.missed;
    if (e instanceof TryRecvError) return e.kind === "empty" ? "Empty" : "Closed";
    throw e;
  }
}
`;

ported('tokio tests/macros_select.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'sync_one_lit_expr_comma',
      body: `  const r = await select({ foo: (async () => 1)() });
  console.log(r.key, r.value);`,
      expect: ['foo 1'],
    },
    {
      test: 'nested_one',
      body: `  const foo = await select({ foo: (async () => 1)() });
  const bar = await select({ bar: (async () => foo.value)() });
  console.log(bar.value);`,
      expect: ['1'],
    },
    {
      test: 'sync_one_await',
      body: `  console.log((await select({ foo: one() })).value);`,
      expect: ['1'],
    },
    {
      test: 'sync_one_ident',
      body: `  const f = one();
  console.log((await select({ foo: f })).value);`,
      expect: ['1'],
    },
    {
      test: 'sync_two',
      body: `  let cnt = 0;
  const res = await select({
    foo: (async () => { cnt++; return 1; })(),
    bar: (async () => { cnt++; return 2; })(),
  });
  console.log(cnt, res.value === 1 || res.value === 2);`,
      expect: ['1 true'],
    },
    {
      test: 'drop_in_fut',
      body: `  const res = await select({ foo: (async () => { const v = await one(); return v; })() });
  console.log(res.value);`,
      expect: ['1'],
    },
    {
      test: 'one_ready',
      body: `  const [tx1, rx1] = oneshot.channel<number>();
  const [tx2, rx2] = oneshot.channel<number>();
  tx1.send(1);
  const v = await select({ res: rx1, other: rx2 });
  console.log(v.key, v.value);
  drop(tx2);`,
      expect: ['res 1'],
    },
    {
      test: 'nested',
      body: `  const x = await select({ x: (async () => 1)() });
  const y = await select({ y: (async () => 2)() });
  console.log(x.value + y.value);`,
      expect: ['3'],
    },
    {
      test: 'many_branches',
      body: `  const branches = Array.from({ length: 64 }, () => (async () => 1)());
  const r = await select(branches);
  console.log(r.value);`,
      expect: ['1'],
    },
    {
      test: 'never_branch_no_warnings',
      body: `  const t = await select({ never: pending(), one: one() });
  console.log(t.key, t.value);`,
      expect: ['one 1'],
    },
    {
      test: 'biased_one_not_ready',
      body: `  const [tx1, rx1] = oneshot.channel<number>();
  const [tx2, rx2] = oneshot.channel<number>();
  const [tx3, rx3] = oneshot.channel<number>();
  tx2.send(2);
  tx3.send(3);
  const v = await select([rx1, rx2, rx3], { biased: true });
  console.log(v.index, v.value);
  drop(tx1);`,
      expect: ['1 2'],
    },
  ],
});

ported('tokio tests/macros_join.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'sync_one_lit_expr_comma',
      body: `  console.log(JSON.stringify(await join((async () => 1)())));`,
      expect: ['[1]'],
    },
    {
      test: 'sync_two_lit_expr_comma',
      body: `  console.log(JSON.stringify(await join((async () => 1)(), (async () => 2)())));`,
      expect: ['[1,2]'],
    },
    {
      test: 'two_await',
      body: `  const [tx1, rx1] = oneshot.channel<string>();
  const [tx2, rx2] = oneshot.channel<number>();
  const joined = spawn(async () => await join(rx1, rx2));
  await settle();
  console.log("pending", !joined.isFinished());
  tx2.send(123);
  await settle();
  console.log("pending", !joined.isFinished());
  tx1.send("hello");
  console.log(JSON.stringify(await joined));`,
      expect: ['pending true', 'pending true', '["hello",123]'],
    },
  ],
});

ported('tokio tests/time_timeout.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'simultaneous_deadline_future_completion',
      body: `  const p = await pollOnce(timeoutAt(time.now(), (async () => {})()));
  console.log(p.ready, p.error === undefined);`,
      expect: ['true true'],
    },
    {
      test: 'completed_future_past_deadline',
      body: `  time.pause();
  await sleep(2000);
  const p = await pollOnce(timeoutAt(time.now() - 1000, (async () => {})()));
  console.log(p.ready, p.error === undefined);`,
      expect: ['true true'],
    },
    {
      test: 'future_and_deadline_in_future',
      body: `  time.pause();
  const [tx, rx] = oneshot.channel<null>();
  const fut = spawn(async () => await result(timeoutAt(time.now() + 100, rx)));
  await settle();
  console.log("pending", !fut.isFinished());
  await time.advance(90);
  console.log("pending", !fut.isFinished());
  tx.send(null);
  const r = await fut;
  console.log(r.ok, r.value);`,
      expect: ['pending true', 'pending true', 'true null'],
    },
    {
      test: 'future_and_timeout_in_future',
      body: `  time.pause();
  const [tx, rx] = oneshot.channel<null>();
  const fut = spawn(async () => await result(timeout(100, rx)));
  await settle();
  await time.advance(90);
  console.log("pending", !fut.isFinished());
  tx.send(null);
  console.log((await fut).ok);`,
      expect: ['pending true', 'true'],
    },
    {
      test: 'very_large_timeout',
      body: `  time.pause();
  const [tx, rx] = oneshot.channel<null>();
  const fut = spawn(async () => await result(timeout(Number.MAX_SAFE_INTEGER, rx)));
  await settle();
  await time.advance(86400 * 365 * 10 * 1000);
  console.log("pending", !fut.isFinished());
  tx.send(null);
  console.log((await fut).ok);`,
      expect: ['pending true', 'true'],
    },
    {
      test: 'deadline_now_elapses',
      body: `  time.pause();
  const fut = spawn(async () => await result(timeoutAt(time.now(), pending())));
  await time.advance(1);
  const r = await fut;
  console.log(r.ok, r.error instanceof Elapsed);`,
      expect: ['false true'],
    },
    {
      test: 'deadline_future_elapses',
      body: `  time.pause();
  const fut = spawn(async () => await result(timeoutAt(time.now() + 300, pending())));
  await settle();
  console.log("pending", !fut.isFinished());
  await time.advance(301);
  await settle();
  const r = await fut;
  console.log(r.ok, r.error instanceof Elapsed);`,
      expect: ['pending true', 'false true'],
    },
  ],
});

ported('tokio tests/sync_broadcast.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'send_try_recv_bounded',
      body: `  const [tx, rx] = broadcast.channel<string>(16);
  console.log(tryRecvOf(rx), tx.send("hello"), tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Empty 1 Ok hello Empty'],
    },
    {
      test: 'send_two_recv',
      body: `  const [tx, rx1] = broadcast.channel<string>(16);
  const rx2 = tx.subscribe();
  console.log(tryRecvOf(rx1), tryRecvOf(rx2), tx.send("hello"), tryRecvOf(rx1), tryRecvOf(rx2), tryRecvOf(rx1), tryRecvOf(rx2));`,
      expect: ['Empty Empty 2 Ok hello Ok hello Empty Empty'],
    },
    {
      test: 'send_recv_bounded',
      body: `  const [tx, rx] = broadcast.channel<string>(16);
  const recv = spawn(async () => await rx.recv());
  await settle();
  console.log("pending", !recv.isFinished());
  tx.send("hello");
  console.log(await recv);`,
      expect: ['pending true', 'hello'],
    },
    {
      test: 'drop_rx_while_values_remain',
      body: `  const [tx, rx1] = broadcast.channel<string>(16);
  const rx2 = tx.subscribe();
  tx.send("one"); tx.send("two");
  console.log(tryRecvOf(rx1), tryRecvOf(rx2));
  drop(rx2); drop(rx1);
  console.log(tx.receiverCount());`,
      expect: ['Ok one Ok one', '0'],
    },
    {
      test: 'lagging_rx',
      body: `  const [tx, rx1] = broadcast.channel<string>(2);
  const rx2 = tx.subscribe();
  tx.send("one"); tx.send("two");
  const out = [tryRecvOf(rx1)];
  tx.send("three");
  out.push(tryRecvOf(rx2), tryRecvOf(rx2), tryRecvOf(rx1), tryRecvOf(rx1));
  tx.send("four"); tx.send("five");
  out.push(tryRecvOf(rx2));
  tx.send("six");
  out.push(tryRecvOf(rx2));
  console.log(out.join(", "));`,
      expect: ['Ok one, Lagged 1, Ok two, Ok two, Ok three, Lagged 1, Lagged 1'],
    },
    {
      test: 'send_no_rx',
      body: `  const [tx, rx0] = broadcast.channel<string>(16);
  drop(rx0);
  try { tx.send("hello"); console.log("Ok"); } catch (e) { console.log("Err", e instanceof SendError); }
  const rx = tx.subscribe();
  tx.send("world");
  console.log(tryRecvOf(rx));`,
      expect: ['Err true', 'Ok world'],
    },
    {
      test: 'zero_capacity',
      body: `  try { broadcast.channel<null>(0); console.log("made"); } catch { console.log("panicked"); }`,
      expect: ['panicked'],
    },
    {
      test: 'dropping_tx_notifies_rx',
      body: `  const [tx, rx1] = broadcast.channel<null>(16);
  const rx2 = tx.subscribe();
  const tx2 = tx.clone();
  const recv1 = spawn(async () => await result(rx1.recv()));
  const recv2 = spawn(async () => await result(rx2.recv()));
  await settle();
  drop(tx);
  await settle();
  console.log("pending", !recv1.isFinished(), !recv2.isFinished());
  drop(tx2);
  const r1 = await recv1, r2 = await recv2;
  console.log(r1.error instanceof RecvError, r2.error instanceof RecvError);`,
      expect: ['pending true true', 'true true'],
    },
    {
      test: 'single_capacity_recvs',
      body: `  const [tx, rx] = broadcast.channel<number>(1);
  tx.send(1);
  console.log(tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Ok 1 Empty'],
    },
    {
      test: 'single_capacity_recvs_after_drop_1',
      body: `  const [tx, rx] = broadcast.channel<number>(1);
  tx.send(1);
  drop(tx);
  console.log(tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Ok 1 Closed'],
    },
    {
      test: 'single_capacity_recvs_after_drop_2',
      body: `  const [tx, rx] = broadcast.channel<number>(1);
  tx.send(1); tx.send(2);
  drop(tx);
  console.log(tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Lagged 1 Ok 2 Closed'],
    },
    {
      test: 'dropping_sender_does_not_overwrite',
      body: `  const [tx, rx] = broadcast.channel<number>(2);
  tx.send(1); tx.send(2);
  drop(tx);
  console.log(tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Ok 1 Ok 2 Closed'],
    },
    {
      test: 'lagging_receiver_recovers_after_wrap_closed_1',
      body: `  const [tx, rx] = broadcast.channel<number>(2);
  tx.send(1); tx.send(2); tx.send(3);
  drop(tx);
  console.log(tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Lagged 1 Ok 2 Ok 3 Closed'],
    },
    {
      test: 'lagging_receiver_recovers_after_wrap_closed_2',
      body: `  const [tx, rx] = broadcast.channel<number>(2);
  tx.send(1); tx.send(2); tx.send(3); tx.send(4);
  drop(tx);
  console.log(tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Lagged 2 Ok 3 Ok 4 Closed'],
    },
    {
      test: 'lagging_receiver_recovers_after_wrap_open',
      body: `  const [tx, rx] = broadcast.channel<number>(2);
  tx.send(1); tx.send(2); tx.send(3);
  console.log(tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rx));`,
      expect: ['Lagged 1 Ok 2 Ok 3 Empty'],
    },
    {
      test: 'receiver_len_with_lagged',
      body: `  const [tx, rx] = broadcast.channel<number>(3);
  tx.send(10); tx.send(20); tx.send(30); tx.send(40);
  console.log(rx.len(), tryRecvOf(rx));
  tx.send(50); tx.send(60);
  console.log(rx.len(), tryRecvOf(rx));`,
      expect: ['4 Ok 10', '5 Lagged 1'],
    },
    {
      test: 'receiver_same_position_as_cloned',
      body: `  const [tx, rx] = broadcast.channel<number>(3);
  let rxClone = rx.clone();
  const out = ["count " + tx.receiverCount()];
  tx.send(1);
  out.push(tryRecvOf(rxClone));
  drop(rxClone);
  tx.send(2); tx.send(3);
  rxClone = rx.clone();
  out.push(tryRecvOf(rx), tryRecvOf(rxClone));
  drop(rxClone);
  tx.send(4);
  rxClone = rx.clone();
  out.push(tryRecvOf(rx), tryRecvOf(rx), tryRecvOf(rxClone), tryRecvOf(rxClone), tryRecvOf(rxClone), tryRecvOf(rx));
  tx.send(5);
  drop(tx);
  out.push(tryRecvOf(rx), tryRecvOf(rxClone), tryRecvOf(rx), tryRecvOf(rxClone));
  console.log(out.join(", "));`,
      expect: ['count 2, Ok 1, Ok 1, Ok 1, Ok 2, Ok 3, Ok 2, Ok 3, Ok 4, Ok 4, Ok 5, Ok 5, Closed, Closed'],
    },
  ],
});

ported('tokio tests/sync_notify.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'notify_notified_one',
      body: `  const notify = new Notify();
  notify.notifyOne();
  console.log((await pollOnce(notify.notified())).ready);`,
      expect: ['true'],
    },
    {
      test: 'notified_one_notify',
      body: `  const notify = new Notify();
  const notified = spawn(async () => { await notify.notified(); });
  await settle();
  console.log("pending", !notified.isFinished());
  notify.notifyOne();
  await notified;
  console.log("ready");`,
      expect: ['pending true', 'ready'],
    },
    {
      test: 'notified_multi_notify',
      body: `  const notify = new Notify();
  const n1 = spawn(async () => { await notify.notified(); });
  const n2 = spawn(async () => { await notify.notified(); });
  await settle();
  notify.notifyOne();
  await settle();
  console.log(n1.isFinished(), n2.isFinished());
  n2.abort();`,
      expect: ['true false'],
    },
    {
      test: 'notify_notified_multi',
      body: `  const notify = new Notify();
  notify.notifyOne();
  const n1 = await pollOnce(notify.notified());
  const n2 = spawn(async () => { await notify.notified(); });
  await settle();
  console.log(n1.ready, !n2.isFinished());
  notify.notifyOne();
  await n2;
  console.log("n2 ready");`,
      expect: ['true true', 'n2 ready'],
    },
    {
      test: 'notified_drop_notified_notify',
      body: `  const notify = new Notify();
  const n1 = spawn(async () => { await notify.notified(); });
  const n2 = spawn(async () => { await notify.notified(); });
  await settle();
  n1.abort();
  await settle();
  notify.notifyOne();
  await n2;
  console.log("n2 ready");`,
      expect: ['n2 ready'],
    },
    {
      test: 'notified_multi_notify_drop_one',
      body: `  const notify = new Notify();
  let got = 0;
  const n1 = spawn(async () => { await notify.notified(); got = 1; });
  const n2 = spawn(async () => { await notify.notified(); got = 2; });
  await settle();
  notify.notifyOne();
  n1.abort(); // dropped before it saw the notification: it passes to n2
  await n2;
  console.log("n2 ready", got);`,
      expect: ['n2 ready 2'],
    },
  ],
});
