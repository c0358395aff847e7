/**
 * Rust's own tests of std::sync::mpsc's bounded channel
 * (library/std/tests/sync/mpsc_sync.rs) and of std::thread
 * (library/std/src/thread/tests.rs), ported to weft. Counts are smaller than
 * upstream's stress counts; what is asserted is upstream's.
 */
import { ported } from './support/ported.ts';

const IMPORTS = `import { spawn, builder, current, scope, sleep, park, parkTimeout, yieldNow, ThreadPanic } from "weft/thread";
import { Arc, AtomicBool, Barrier, mpsc, drop, RecvError, SendError, TryRecvError, TrySendError, RecvTimeoutError } from "weft/sync";`;

const HELPERS = `
function kind(f: () => unknown): string {
  try { return "Ok " + String(f()); } catch (e) { return (e as { name: string }).name + ((e as { kind?: string }).kind ? " " + (e as { kind: string }).kind : ""); }
}
`;

ported('std sync/mpsc_sync.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'smoke',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  tx.send(1);
  console.log(rx.recv());`,
      expect: ['1'],
    },
    {
      test: 'smoke_shared',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  tx.send(1);
  console.log(rx.recv());
  const tx2 = tx.clone();
  tx2.send(1);
  console.log(rx.recv());`,
      expect: ['1', '1'],
    },
    {
      test: 'recv_timeout',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  console.log(kind(() => rx.recvTimeout(1)));
  tx.send(1);
  console.log(kind(() => rx.recvTimeout(1)));`,
      expect: ['RecvTimeoutError timeout', 'Ok 1'],
    },
    {
      test: 'smoke_threads',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  spawn(() => { tx.send(1); });
  console.log(rx.recv());`,
      expect: ['1'],
    },
    {
      test: 'smoke_port_gone',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  drop(rx);
  console.log(kind(() => tx.send(1)));`,
      expect: ['SendError'],
    },
    {
      test: 'smoke_shared_port_gone2',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  drop(rx);
  const tx2 = tx.clone();
  drop(tx);
  console.log(kind(() => tx2.send(1)));`,
      expect: ['SendError'],
    },
    {
      test: 'smoke_chan_gone',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  drop(tx);
  console.log(kind(() => rx.recv()));`,
      expect: ['RecvError'],
    },
    {
      test: 'smoke_chan_gone_shared',
      body: `  const [tx, rx] = mpsc.syncChannel<null>(0);
  const tx2 = tx.clone();
  drop(tx);
  drop(tx2);
  console.log(kind(() => rx.recv()));`,
      expect: ['RecvError'],
    },
    {
      test: 'chan_gone_concurrent',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  spawn(() => { tx.send(1); tx.send(1); });
  let n = 0;
  for (;;) { try { rx.recv(); n++; } catch { break; } }
  console.log(n);`,
      expect: ['2'],
    },
    {
      test: 'stress',
      body: `  const count = 300;
  const [tx, rx] = mpsc.syncChannel<number>(0);
  spawn(() => { for (let i = 0; i < count; i++) tx.send(1); });
  let sum = 0;
  for (let i = 0; i < count; i++) sum += rx.recv();
  console.log(sum);`,
      expect: ['300'],
    },
    {
      test: 'stress_shared',
      body: `  const AMT = 50, NTHREADS = 4;
  const [tx, rx] = mpsc.syncChannel<number>(0);
  const [dtx, drx] = mpsc.syncChannel<null>(0);
  spawn(() => {
    for (let i = 0; i < AMT * NTHREADS; i++) assertEq(rx.recv(), 1);
    let extra = false;
    try { rx.tryRecv(); extra = true; } catch {}
    assert(!extra);
    dtx.send(null);
  });
  for (let t = 0; t < NTHREADS; t++) {
    const tx2 = tx.clone();
    spawn(() => { for (let i = 0; i < AMT; i++) tx2.send(1); });
  }
  drop(tx);
  drx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'oneshot_single_thread_recv_chan_close',
      body: `  const res = kind(() => spawn(() => {
    const [tx, rx] = mpsc.syncChannel<number>(0);
    drop(tx);
    rx.recv();
  }).join());
  console.log(res);`,
      expect: ['ThreadPanic'],
      panics: 1,
    },
    {
      test: 'oneshot_single_thread_send_then_recv',
      body: `  const [tx, rx] = mpsc.syncChannel<{ n: number }>(1);
  tx.send({ n: 10 });
  console.log(rx.recv().n);`,
      expect: ['10'],
    },
    {
      test: 'oneshot_single_thread_try_send_open',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  console.log(kind(() => tx.trySend(10)), rx.recv());`,
      expect: ['Ok undefined 10'],
    },
    {
      test: 'oneshot_single_thread_try_send_closed',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  drop(rx);
  try { tx.trySend(10); } catch (e) { console.log((e as TrySendError<number>).kind, (e as TrySendError<number>).value); }`,
      expect: ['disconnected 10'],
    },
    {
      test: 'oneshot_single_thread_try_recv_closed_with_data',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  tx.send(10);
  drop(tx);
  console.log(kind(() => rx.tryRecv()), kind(() => rx.tryRecv()));`,
      expect: ['Ok 10 TryRecvError disconnected'],
    },
    {
      test: 'oneshot_single_thread_peek_data',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  console.log(kind(() => rx.tryRecv()));
  tx.send(10);
  console.log(kind(() => rx.tryRecv()));`,
      expect: ['TryRecvError empty', 'Ok 10'],
    },
    {
      test: 'oneshot_single_thread_peek_close',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  drop(tx);
  console.log(kind(() => rx.tryRecv()), kind(() => rx.tryRecv()));`,
      expect: ['TryRecvError disconnected TryRecvError disconnected'],
    },
    {
      test: 'oneshot_single_thread_peek_open',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  console.log(kind(() => rx.tryRecv()));
  drop(tx);`,
      expect: ['TryRecvError empty'],
    },
    {
      test: 'oneshot_multi_task_recv_then_send',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  const t = spawn(() => { assertEq(rx.recv(), 10); });
  tx.send(10);
  t.join();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'oneshot_multi_task_recv_then_close',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  spawn(() => { drop(tx); });
  const res = kind(() => spawn(() => { assertEq(rx.recv(), 10); }).join());
  console.log(res);`,
      expect: ['ThreadPanic'],
      panics: 1,
    },
    {
      test: 'oneshot_multi_thread_send_recv_stress',
      body: `  for (let i = 0; i < 5; i++) {
    const [tx, rx] = mpsc.syncChannel<number>(0);
    spawn(() => { tx.send(10); });
    assertEq(rx.recv(), 10);
  }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'recv_a_lot',
      body: `  const count = 1000;
  const [tx, rx] = mpsc.syncChannel<null>(count);
  for (let i = 0; i < count; i++) tx.send(null);
  for (let i = 0; i < count; i++) rx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'shared_chan_stress',
      body: `  const [tx, rx] = mpsc.syncChannel<null>(0);
  const total = 20;
  for (let i = 0; i < total; i++) {
    const tx2 = tx.clone();
    spawn(() => { tx2.send(null); });
  }
  for (let i = 0; i < total; i++) rx.recv();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_nested_recv_iter',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  const [totalTx, totalRx] = mpsc.syncChannel<number>(0);
  spawn(() => {
    let acc = 0;
    for (const x of rx) acc += x;
    totalTx.send(acc);
  });
  tx.send(3); tx.send(1); tx.send(2);
  drop(tx);
  console.log(totalRx.recv());`,
      expect: ['6'],
    },
    {
      test: 'try_recv_states',
      body: `  const [tx1, rx1] = mpsc.syncChannel<number>(1);
  const [tx2, rx2] = mpsc.syncChannel<null>(1);
  const [tx3, rx3] = mpsc.syncChannel<null>(1);
  spawn(() => {
    rx2.recv();
    tx1.send(1);
    tx3.send(null);
    rx2.recv();
    drop(tx1);
    tx3.send(null);
  });
  const out = [kind(() => rx1.tryRecv())];
  tx2.send(null);
  rx3.recv();
  out.push(kind(() => rx1.tryRecv()), kind(() => rx1.tryRecv()));
  tx2.send(null);
  rx3.recv();
  out.push(kind(() => rx1.tryRecv()));
  console.log(out.join(", "));`,
      expect: ['TryRecvError empty, Ok 1, TryRecvError empty, TryRecvError disconnected'],
    },
    {
      test: 'send1',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  spawn(() => { rx.recv(); });
  console.log(kind(() => tx.send(1)));`,
      expect: ['Ok undefined'],
    },
    {
      test: 'send3',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  console.log(kind(() => tx.send(1)));
  spawn(() => { drop(rx); }).join();
  console.log(kind(() => tx.send(1)));`,
      expect: ['Ok undefined', 'SendError'],
    },
    {
      test: 'try_send2',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  console.log(kind(() => tx.trySend(1)), kind(() => tx.trySend(1)));
  drop(rx);`,
      expect: ['Ok undefined TrySendError full'],
    },
    {
      test: 'try_send3',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(1);
  console.log(kind(() => tx.trySend(1)));
  drop(rx);
  console.log(kind(() => tx.trySend(1)));`,
      expect: ['Ok undefined', 'TrySendError disconnected'],
    },
    {
      test: 'issue_15761',
      body: `  for (let i = 0; i < 20; i++) {
    const [tx1, rx1] = mpsc.syncChannel<null>(3);
    const [tx2, rx2] = mpsc.syncChannel<null>(3);
    spawn(() => { rx1.recv(); tx2.trySend(null); });
    tx1.trySend(null);
    rx2.recv();
  }
  console.log("ok");`,
      expect: ['ok'],
    },
  ],
});

// The rendezvous channel's edges (issue 10, item 2): trySend must fail with
// Full when no receiver waits, and a send blocked in the rendezvous must
// fail when the Receiver is dropped. Today these can hang or succeed, so
// they run in a program of their own.
ported('std sync/mpsc_sync.rs (rendezvous edges)', {
  imports: IMPORTS,
  helpers: HELPERS,
  timeoutMs: 10_000,
  cases: [
    {
      test: 'oneshot_single_thread_try_send_closed2',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  try { tx.trySend(10); console.log("Ok"); } catch (e) { console.log((e as TrySendError<number>).kind, (e as TrySendError<number>).value); }
  drop(rx);`,
      expect: ['full 10'],
    },
    {
      test: 'try_send1',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  console.log(kind(() => tx.trySend(1)));
  drop(rx);`,
      expect: ['TrySendError full'],
    },
    {
      test: 'send2',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  spawn(() => { drop(rx); });
  console.log(kind(() => tx.send(1)));`,
      expect: ['SendError'],
    },
    {
      test: 'send4',
      body: `  const [tx, rx] = mpsc.syncChannel<number>(0);
  const tx2 = tx.clone();
  const [done, donerx] = mpsc.channel<boolean>();
  const done2 = done.clone();
  spawn(() => { done.send(kind(() => tx.send(1)) === "SendError"); });
  spawn(() => { done2.send(kind(() => tx2.send(2)) === "SendError"); });
  drop(rx);
  console.log(donerx.recv(), donerx.recv());`,
      expect: ['true true'],
    },
  ],
});

ported('std thread/tests.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'test_unnamed_thread',
      body: `  console.log(spawn(() => current().name() === undefined).join());`,
      expect: ['true'],
    },
    {
      test: 'test_named_thread',
      body: `  console.log(builder().name("ada lovelace").spawn(() => current().name()).join());`,
      expect: ['ada lovelace'],
    },
    {
      test: 'test_run_basic',
      body: `  const [tx, rx] = mpsc.channel<null>();
  spawn(() => { tx.send(null); });
  console.log(rx.recv());`,
      expect: ['null'],
    },
    {
      test: 'test_is_finished',
      body: `  const b = new Arc(new Barrier(2));
  const b2 = b.clone();
  const t = spawn(() => { b2.wait(); return 1234; });
  console.log(t.isFinished());
  b.wait();
  while (!t.isFinished()) sleep(5);
  console.log(t.join());`,
      expect: ['false', '1234'],
    },
    {
      test: 'test_join_panic',
      body: `  console.log(kind(() => spawn(() => { throw new Error("panic"); }).join()));`,
      expect: ['ThreadPanic'],
      panics: 1,
    },
    {
      test: 'test_spawn_sched_childs_on_default_sched',
      body: `  const [tx, rx] = mpsc.channel<null>();
  spawn(() => { spawn(() => { tx.send(null); }); });
  console.log(rx.recv());`,
      expect: ['null'],
    },
    {
      test: 'test_simple_newsched_spawn',
      body: `  spawn(() => {}).join();
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_try_panic_message_string_literal',
      body: `  try {
    spawn(() => { throw new Error("static string"); }).join();
  } catch (e) {
    console.log(e instanceof ThreadPanic, (e as Error).message.includes("static string"));
  }`,
      expect: ['true true'],
      panics: 1,
    },
    {
      test: 'test_park_unpark_before',
      body: `  for (let i = 0; i < 10; i++) { current().unpark(); park(); }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_park_timeout_unpark_before',
      body: `  for (let i = 0; i < 10; i++) { current().unpark(); parkTimeout(2 ** 32 - 1); }
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_park_timeout_unpark_not_called',
      body: `  for (let i = 0; i < 3; i++) parkTimeout(10);
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'sleep_ms_smoke',
      body: `  sleep(2);
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'test_thread_id_equal',
      body: `  console.log(current().id() === current().id());`,
      expect: ['true'],
    },
    {
      test: 'test_thread_id_not_equal',
      body: `  const spawnedId = spawn(() => current().id()).join();
  console.log(current().id() !== spawnedId);`,
      expect: ['true'],
    },
    {
      test: 'test_scoped_threads_nll',
      body: `  const x = 42;
  scope((s) => { s.spawn(() => { assertEq(x, 42); }); });
  console.log("ok");`,
      expect: ['ok'],
    },
  ],
});

// A `Thread` handle crossing into another thread (issue 10, item 6): the
// child unparks its parent. Until handles cross, it runs on its own.
ported('std thread/tests.rs (a Thread handle moved into a child)', {
  imports: IMPORTS,
  helpers: HELPERS,
  timeoutMs: 10_000,
  cases: [
    {
      test: 'test_park_unpark_called_other_thread',
      body: `  for (let i = 0; i < 3; i++) {
    const th = current();
    spawn(() => { sleep(5); th.unpark(); });
    park();
  }
  console.log("ok");`,
      expect: ['ok'],
    },
  ],
});
