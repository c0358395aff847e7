/**
 * Tokio's own tests of task-local values (tokio/tests/task_local.rs) and of
 * LocalSet and spawn_local (task_local_set.rs, and the spawn_local cases of
 * task_id.rs, task_builder.rs, task_abort.rs and task_panic.rs), ported to
 * weft/task. Upstream's `thread_local! { static ON_RT_THREAD }` checks that
 * a local task runs on the thread that drives its set: here each task
 * compares `current().id()` with the spawner's. Upstream's `Drop` impls on
 * hand-written futures are `[Symbol.dispose]` (called when a future is
 * cancelled) or a `finally` block (when it completes). `#[test]` functions
 * that build a runtime and call `local.block_on(&rt, …)` are in the
 * program whose `main` is not async, and call `local.blockOn(…)`.
 */
import { ported, RESUME_TIME } from './support/ported.ts';
import { TOKIO_HELPERS } from './support/tokio-helpers.ts';

const IMPORTS = `import { spawn, spawnBlocking, blockOn, sleep, yieldNow, select, join, time, mpsc, oneshot, taskLocal, LocalSet, spawnLocal, id, JoinHandle, Poll, drop, type Awaitable } from "weft/task";
import { current, spawn as spawnThread, sleep as sleepThread } from "weft/thread";
import { Arc } from "weft/sync";`;

const HELPERS = `${TOKIO_HELPERS}
const REQ_ID = taskLocal<number>();
const FOO = taskLocal<boolean>();
const KEY = taskLocal<number>();
const NUMBER = taskLocal<number>();
`;

ported('tokio tests/task_local.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'local',
      body: `  const j1 = spawn(REQ_ID.scope(1, async () => {
    assertEq(REQ_ID.get(), 1);
    assertEq(REQ_ID.get(), 1);
  }));
  const j2 = spawn(REQ_ID.scope(2, async () => {
    REQ_ID.with((v) => { assertEq(REQ_ID.get(), 2); assertEq(v, 2); });
    await sleep(10);
    assertEq(REQ_ID.get(), 2);
  }));
  const j3 = spawn(FOO.scope(true, async () => { assert(FOO.get()); }));
  await j1; await j2; await j3;
  // Not leaked into the spawner, nor into a task spawned outside the scopes.
  console.log(REQ_ID.tryGet().ok, FOO.tryWith((v) => v).ok, await spawn(async () => REQ_ID.tryGet().ok));`,
      expect: ['false false false'],
    },
    {
      test: 'task_local_available_on_abort',
      body: `  const [txDrop, rxDrop] = oneshot.channel<number>();
  const [txPoll, rxPoll] = oneshot.channel<void>();
  let polled = false;
  // MyFuture: pending for ever; its drop sends what KEY holds then.
  const myFuture = {
    poll: () => { if (!polled) { polled = true; txPoll.send(undefined); } return Poll.pending(); },
    [Symbol.dispose]: () => { txDrop.send(KEY.get()); },
  } as unknown as Awaitable<void>;
  const h = spawn(KEY.scope(42, myFuture));
  await rxPoll;
  h.abort();
  console.log("dropped with", await rxDrop);
  const r = await h.result();
  console.log("cancelled", !r.ok && r.value.isCancelled());`,
      expect: ['dropped with 42', 'cancelled true'],
    },
    {
      test: 'task_local_available_on_completion_drop',
      body: `  const [tx, rx] = oneshot.channel<number>();
  // The future's cleanup as it completes (Rust drops it then) still sees the value.
  const h = spawn(KEY.scope(42, (async () => { try { return; } finally { tx.send(KEY.get()); } })()));
  console.log(await rx);
  await h;`,
      expect: ['42'],
    },
    {
      test: 'scopes nest, and the inner value is gone after the inner scope, across awaits',
      body: `  const seen: string[] = [];
  await KEY.scope(1, async () => {
    seen.push("outer " + KEY.get());
    await KEY.scope(2, async () => { seen.push("inner " + KEY.get()); await yieldNow(); seen.push("inner after await " + KEY.get()); });
    seen.push("outer again " + KEY.get());
    seen.push("sync " + KEY.syncScope(3, () => KEY.get()) + " then " + KEY.get());
  });
  // Two tasks in scopes of their own, interleaved at every await, each sees its own value.
  const a = spawn(KEY.scope(10, async () => { let s = 0; for (let i = 0; i < 3; i++) { s += KEY.get(); await yieldNow(); } return s; }));
  const b = spawn(KEY.scope(20, async () => { let s = 0; for (let i = 0; i < 3; i++) { s += KEY.get(); await yieldNow(); } return s; }));
  seen.push("interleaved " + (await a) + " " + (await b));
  console.log(seen.join("; "));`,
      expect: ['outer 1; inner 2; inner after await 2; outer again 1; sync 3 then 1; interleaved 30 60'],
    },
  ],
});

ported('tokio tests/task_panic.rs (task-local keys)', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'local_key_sync_scope_panic_caller',
      body: `  NUMBER.syncScope(1, () => { NUMBER.with(() => { NUMBER.syncScope(1, () => {}); }); });`,
      expect: ['panicked: Error: cannot enter a task-local scope while the task-local storage is borrowed'],
    },
    {
      test: 'local_key_with_panic_caller',
      body: `  NUMBER.with(() => {});`,
      expect: ['panicked: Error: cannot access a task-local storage value without setting it first'],
    },
    {
      test: 'local_key_get_panic_caller',
      body: `  NUMBER.get();`,
      expect: ['panicked: Error: cannot access a task-local storage value without setting it first'],
    },
    {
      test: 'try_with outside a scope is an AccessError',
      body: `  const r = NUMBER.tryWith((v) => v);
  console.log(r.ok, !r.ok && r.value.name, !r.ok && r.value.message);`,
      expect: ['false AccessError task-local value not set'],
    },
  ],
});

ported('tokio tests/task_local_set.rs', {
  afterEach: RESUME_TIME,
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'local_current_thread_scheduler',
      body: `  await new LocalSet().runUntil(async () => { await spawnLocal(async () => {}); });
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'local_threadpool',
      body: `  const rt = current().id();
  await new LocalSet().runUntil(async () => {
    assert(current().id() === rt);
    await spawnLocal(async () => { assert(current().id() === rt); });
  });
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'localset_future_threadpool',
      body: `  const rt = current().id();
  const local = new LocalSet();
  let ran = false;
  local.spawnLocal(async () => { ran = current().id() === rt; });
  await local;
  console.log(ran);`,
      expect: ['true'],
    },
    {
      test: 'localset_future_timers',
      body: `  let ran1 = false, ran2 = false;
  const local = new LocalSet();
  local.spawnLocal(async () => { await sleep(5); ran1 = true; });
  local.spawnLocal(async () => { await sleep(10); ran2 = true; });
  await local;
  console.log(ran1, ran2);`,
      expect: ['true true'],
    },
    {
      test: 'localset_future_drives_all_local_futs',
      body: `  let ran1 = false, ran2 = false, ran3 = false;
  const local = new LocalSet();
  local.spawnLocal(async () => {
    spawnLocal(async () => { await yieldNow(); ran3 = true; });
    await yieldNow();
    ran1 = true;
  });
  local.spawnLocal(async () => { await yieldNow(); ran2 = true; });
  await local;
  console.log(ran1, ran2, ran3);`,
      expect: ['true true true'],
    },
    {
      test: 'local_threadpool_timer',
      body: `  const rt = current().id();
  await new LocalSet().runUntil(async () => {
    const join = spawnLocal(async () => {
      assert(current().id() === rt);
      await sleep(10);
      assert(current().id() === rt);
    });
    await join;
  });
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'local_threadpool_blocking_run',
      body: `  const rt = current().id();
  await new LocalSet().runUntil(async () => {
    await spawnLocal(async () => {
      const there = await spawnBlocking(() => current().id());
      assert(there !== rt, "blocking must not run on the local task set's thread");
      assert(current().id() === rt);
    });
  });
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'all_spawns_are_local',
      body: `  const rt = current().id();
  const n = await new LocalSet().runUntil(async () => {
    const handles: JoinHandle<boolean>[] = [];
    for (let i = 0; i < 128; i++) handles.push(spawnLocal(async () => current().id() === rt));
    let local = 0;
    for (const h of handles) if (await h) local++;
    return local;
  });
  console.log(n);`,
      expect: ['128'],
    },
    {
      test: 'nested_spawn_is_local',
      body: `  const rt = current().id();
  let depth = 0;
  await new LocalSet().runUntil(async () => {
    await spawnLocal(async () => {
      assert(current().id() === rt); depth++;
      await spawnLocal(async () => {
        assert(current().id() === rt); depth++;
        await spawnLocal(async () => {
          assert(current().id() === rt); depth++;
          await spawnLocal(async () => { assert(current().id() === rt); depth++; });
        });
      });
    });
  });
  console.log(depth);`,
      expect: ['4'],
    },
    {
      test: 'join_local_future_elsewhere',
      body: `  const local = new LocalSet();
  const out = await local.runUntil(async () => {
    const [tx, rx] = oneshot.channel<void>();
    const join = spawnLocal(async () => { await rx; return "hello world"; });
    // A task that is not the set's awaits the local task's JoinHandle.
    const join2 = spawn(async () => { tx.send(undefined); return await join; });
    return await join2;
  });
  console.log(out);`,
      expect: ['hello world'],
    },
    {
      test: 'local_tasks_are_polled_after_tick',
      body: `  time.pause();
  const EXPECTED = 500;
  let rx1 = 0, rx2 = 0;
  const [tx, rx] = mpsc.unboundedChannel<oneshot.Receiver<void>>();
  await new LocalSet().runUntil(async () => {
    const task2 = spawn(async () => {
      await sleep(10);
      const oneshots: oneshot.Sender<void>[] = [];
      for (let i = 0; i < EXPECTED; i++) { const [otx, orx] = oneshot.channel<void>(); oneshots.push(otx); tx.send(orx); }
      await sleep(10);
      for (const otx of oneshots.splice(0)) otx.send(undefined);
      for (;;) { await sleep(20); if (rx1 === EXPECTED && rx2 === EXPECTED) break; }
    });
    for (let i = 0; i < EXPECTED; i++) {
      const os = (await rx.recv())!;
      rx1++;
      spawnLocal(async () => { await os; rx2++; });
    }
    await task2;
  });
  console.log(rx1, rx2);`,
      expect: ['500 500'],
    },
    {
      test: 'acquire_mutex_in_drop',
      body: `  const [tx1, rx1] = oneshot.channel<void>();
  const [tx2, rx2] = oneshot.channel<void>();
  const local = new LocalSet();
  const seen: string[] = [];
  local.spawnLocal(async () => { try { await result(rx2); seen.push("unreachable 1"); } finally { seen.push("task 1 dropped"); } });
  local.spawnLocal(async () => { try { await result(rx1); tx2.send(undefined); seen.push("unreachable 2"); } finally { seen.push("task 2 dropped"); } });
  // A task that will never notify.
  local.spawnLocal(async () => { try { await pending(); tx1.send(undefined); } finally { seen.push("task 3 dropped"); } });
  // Tick the loop.
  await local.runUntil(async () => { await yieldNow(); });
  seen.push("ticked");
  drop(local);
  seen.push("dropped");
  console.log(seen.join(", "));`,
      expect: ['ticked, task 1 dropped, task 2 dropped, task 3 dropped, dropped'],
    },
    {
      test: 'spawn_wakes_localset',
      body: `  const local = new LocalSet();
  const r = await select({
    a: local.runUntil(pending()),
    b: async () => await local.spawnLocal(async () => "ready"),
  });
  console.log(r.key, r.value);`,
      expect: ['b ready'],
    },
    {
      test: 'a local task does not run while its set is not driven',
      body: `  const local = new LocalSet();
  let runs = 0;
  const h = local.spawnLocal(async () => { for (;;) { runs++; await yieldNow(); } });
  await settle();
  const before = runs;
  await local.runUntil(async () => { for (let i = 0; i < 3; i++) await yieldNow(); });
  const during = runs;
  await settle();
  console.log(before, during > 0, runs === during, h.isFinished());
  drop(local);
  console.log("dropped:", h.isFinished(), (await h.result()).ok);`,
      expect: ['0 true true false', 'dropped: true false'],
    },
  ],
});

ported('tokio tests/task_id.rs, task_builder.rs, task_panic.rs (spawn_local)', {
  imports: IMPORTS,
  helpers: HELPERS,
  async: true,
  cases: [
    {
      test: 'task_id_spawn_local',
      body: `  await new LocalSet().runUntil(async () => {
    const h = spawnLocal(async () => id());
    const inside = h.id();
    console.log("task id matches its handle:", (await h) === inside, inside > 0);
  });`,
      expect: ['task id matches its handle: true true'],
    },
    {
      test: 'task_id_nested_spawn_local',
      body: `  await new LocalSet().runUntil(async () => {
    await spawnLocal(async () => {
      const parentId = id();
      await new LocalSet().runUntil(async () => {
        await spawnLocal(async () => { assert(parentId !== id()); });
      });
      assertEq(parentId, id());
    });
  });
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'spawn_local_with_name, spawn_local_without_name',
      body: `  await new LocalSet().runUntil(async () => {
    const named = await spawnLocal(async () => "task executed", { name: "name" });
    const unnamed = await spawnLocal(async () => "task executed");
    console.log(named, unnamed);
  });`,
      expect: ['task executed task executed'],
    },
    {
      test: 'local_set_spawn_local_panic_caller',
      body: `  const _local = new LocalSet();
  spawnLocal(async () => {});`,
      expect: [
        'panicked: Error: `spawnLocal` called from outside of a `task::LocalSet` (spawn into one with local.spawnLocal, or call it inside local.runUntil)',
      ],
    },
    {
      test: 'local_set_block_on_panic_caller',
      body: `  const local = new LocalSet();
  local.blockOn(pending());`,
      expect: [
        'panicked: Error: LocalSet.blockOn: cannot start a runtime from within a runtime (this thread is already running async code): await local.runUntil(future) instead',
      ],
    },
  ],
});

ported('tokio tests/task_local_set.rs (LocalSet.blockOn from a plain main)', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'enter_guard_spawn',
      body: `  const local = new LocalSet();
  const guard = local.enter();
  const join = spawnLocal(async () => true);
  guard[Symbol.dispose]();
  console.log(local.blockOn(async () => await join));`,
      expect: ['true'],
    },
    {
      test: 'drop_cancels_tasks',
      body: `  const rc1 = new Arc(0);
  const rc2 = rc1.clone();
  const [startedTx, startedRx] = oneshot.channel<void>();
  const local = new LocalSet();
  local.spawnLocal(async () => {
    const _rc2 = rc2;
    startedTx.send(undefined);
    await pending();
  });
  local.blockOn(async () => { await startedRx; });
  drop(local);
  console.log(Arc.strongCount(rc1));`,
      expect: ['1'],
    },
    {
      test: 'drop_cancels_remote_tasks',
      body: `  const [tx, rx] = mpsc.channel<void>(1024);
  const local = new LocalSet();
  local.spawnLocal(async () => { while ((await rx.recv()) !== undefined) {} });
  local.blockOn(async () => { await sleep(1); });
  drop(tx);
  drop(local);
  console.log("done");`,
      expect: ['done'],
    },
    {
      test: 'local_tasks_wake_join_all',
      body: `  const set = new LocalSet();
  const handles: JoinHandle<void>[] = [];
  for (let i = 1; i <= 128; i++) handles.push(set.spawnLocal(async () => { await spawnLocal(async () => {}); }));
  // rt.block_on(set.run_until(join_all(handles)))
  const done = set.blockOn(async () => { let n = 0; for (const h of handles) { await h; n++; } return n; });
  console.log(done);`,
      expect: ['128'],
    },
    {
      test: 'store_local_set_in_thread_local_with_runtime',
      body: `  const local = new LocalSet();
  let spawned = false;
  local.blockOn(async () => { spawnLocal(async () => {}); spawned = true; });
  console.log(spawned);`,
      expect: ['true'],
    },
    {
      test: 'remote_abort_local_set_3929',
      body: `  const local = new LocalSet();
  let dropped = "";
  const here = current().id();
  const jh = local.spawnLocal(async () => {
    try { await pending(); } finally { dropped = current().id() === here ? "on its own thread" : "on another thread"; }
  });
  const abort = jh.abortHandle();
  const thread = spawnThread(() => { sleepThread(10); abort.abort(); });
  blockOn(local);
  thread.join();
  console.log("dropped", dropped, jh.isFinished());`,
      expect: ['dropped on its own thread true'],
    },
  ],
});
