import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

describe('weft/sync Mutex and Arc', () => {
  it('ten threads incrementing an Arc<Mutex> counter lose no update', async () => {
    const run = await runProgram(program(`
  const counter = new Arc(new Mutex(0));
  const handles = [];
  for (let i = 0; i < 10; i++) {
    const c = counter.clone();
    handles.push(spawn(() => {
      for (let k = 0; k < 200; k++) { using g = c.lock(); g.value += 1; }
    }));
  }
  for (const h of handles) h.join();
  using g = counter.lock();
  console.log("Result:", g.value);`), { timeoutMs: 60_000 });
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['Result: 2000']);
  });

  it('a Mutex holds structured values; changes made under the guard persist', async () => {
    const run = await runProgram(program(`
  const m = new Arc(new Mutex({ names: ["a"], count: 1 }));
  const m2 = m.clone();
  spawn(() => { using g = m2.lock(); g.value.names.push("b"); g.value.count += 1; }).join();
  using g = m.lock();
  console.log(g.value);`));
    expect(run.lines).toEqual(['{ names: ["a", "b"], count: 2 }']);
  });

  it('a panic while holding the guard poisons the lock; the value can still be recovered', async () => {
    const run = await runProgram(program(`
  const data = new Arc(new Mutex(5));
  const d = data.clone();
  const h = spawn(() => {
    const g = d.lock();
    g.value = 6;
    throw new Error("panic while holding the lock");
  });
  try { h.join(); } catch (e) { console.log("joined:", e.message); }
  console.log("poisoned:", data.isPoisoned());
  try {
    data.lock();
  } catch (e) {
    console.log(e instanceof PoisonError);
    const g = e.intoInner();
    console.log("recovered", g.value);
    g.unlock();
  }`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['joined: panic while holding the lock', 'poisoned: true', 'true', 'recovered 6']);
  });

  it('tryLock returns undefined while another thread holds the lock', async () => {
    const run = await runProgram(program(`
  const m = new Arc(new Mutex(0));
  const m2 = m.clone();
  const [tx, rx] = mpsc.channel<string>();
  const [doneTx, doneRx] = mpsc.channel<string>();
  const h = spawn(() => { using g = m2.lock(); tx.send("locked"); doneRx.recv(); });
  rx.recv();
  console.log(m.tryLock() === undefined);
  doneTx.send("go");
  h.join();
  const g = m.tryLock();
  console.log(g !== undefined);`));
    expect(run.lines).toEqual(['true', 'true']);
  });

  it('locking a Mutex this thread already holds is reported instead of hanging', async () => {
    const run = await runProgram(program(`
  const m = new Mutex(1);
  const first = m.lock();
  const second = m.lock();`));
    expect(run.outcome.status).toBe('panic');
    expect(run.errors[0]!.message).toContain('already holds this Mutex');
  });

  it('Arc.strongCount follows clones and drops across threads', async () => {
    const run = await runProgram(program(`
  const a = new Arc(new Mutex(0));
  const b = a.clone();
  const c = Arc.clone(a);
  console.log(Arc.strongCount(a));
  spawn(() => { b.lock().unlock(); }).join();
  console.log(Arc.strongCount(a));
  drop(c);
  console.log(Arc.strongCount(a));`));
    expect(run.lines).toEqual(['3', '2', '1']);
  });

  it('a guard still held when its thread ends is released, so others can lock', async () => {
    const run = await runProgram(program(`
  const m = new Arc(new Mutex(1));
  const m2 = m.clone();
  spawn(() => { const g = m2.lock(); g.value = 2; }).join();
  using g = m.lock();
  console.log(g.value, m.isPoisoned());`));
    expect(run.lines).toEqual(['2 false']);
  });
});

describe('weft/sync Arc is read-only and Sync-checked, as in Rust', () => {
  it('assigning through an Arc, or changing its plain data, throws instead of changing one copy of several', async () => {
    const run = await runProgram(program(`
  const state = new Arc({ hits: 0, list: [1], nested: { n: 1 } });
  for (const change of [() => { state.hits += 1; }, () => { delete state.hits; }, () => { state.list.push(2); }, () => { state.nested.n = 5; }]) {
    try { change(); console.log("changed"); } catch (e) { console.log(e.name, e.message.slice(0, 40)); }
  }
  const counter = new Arc({ total: new Mutex(0) });
  const c = counter.clone();
  spawn(() => { using g = c.total.lock(); g.value += 1; }).join();
  console.log(state.hits, state.list.join(","), state.nested.n, counter.total.lock().value);`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([
      'TypeError cannot assign to `hits` through an Arc: ',
      'TypeError cannot delete `hits` through an Arc: wha',
      "TypeError Cannot add property 1, object is not ext",
      "TypeError Cannot assign to read only property 'n' ",
      '0 1 1 1',
    ]);
  });

  it('an Arc holding a Receiver cannot cross to another thread (Receiver is not Sync); an Arc<Mutex<Receiver>> can', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<number>();
  const shared = new Arc(rx);
  const r = shared.clone();
  try { spawn(() => r.recv()).join(); } catch (e) { console.log(e.name, e.message.includes("new Arc(new Mutex(rx))")); }
  const [tx2, rx2] = mpsc.channel<number>();
  const locked = new Arc(new Mutex(rx2));
  const l = locked.clone();
  tx2.send(7);
  console.log(spawn(() => { using g = l.lock(); return g.value.recv(); }).join());
  drop(tx);`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['NotSendError true', '7']);
  });
});

describe('weft/sync mpsc', () => {
  it('sends a value to main', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<string>();
  spawn(() => { const val = "hi"; tx.send(val); });
  console.log("Got:", rx.recv());`));
    expect(run.lines).toEqual(['Got: hi']);
  });

  it('a receive loop ends once every sender is gone (threads ending drop theirs)', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<number>();
  for (let id = 0; id < 3; id++) {
    const t = tx.clone();
    spawn(() => { for (let i = 0; i < 5; i++) t.send(id * 10 + i); });
  }
  drop(tx);
  const got = [];
  for (const n of rx) got.push(n);
  got.sort((a, b) => a - b);
  console.log(got.length, got.join(","));`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['15 0,1,2,3,4,10,11,12,13,14,20,21,22,23,24']);
  });

  it('keeps the order of numbers and objects mixed, however the queue fills, wraps and grows', async () => {
    // A queue's messages sit in a ring that starts at 15 slots and doubles when full (sync/mpsc.ts): here it
    // wraps around with messages taken from its front, then grows while wrapped, and a second thread's sends
    // land in between, each keeping its order.
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<unknown>();
  const got: unknown[] = [];
  const item = (i: number) => (i % 3 === 0 ? { i } : i % 3 === 1 ? i : String(i));
  for (let i = 0; i < 12; i++) tx.send(item(i));
  for (let i = 0; i < 10; i++) got.push(rx.recv());
  for (let i = 12; i < 100; i++) tx.send(item(i));
  const t = tx.clone();
  spawn(() => { for (let i = 0; i < 500; i++) t.send(-i - 1); }).join();
  drop(tx);
  for (const m of rx) got.push(m);
  const mine = got.filter((m) => typeof m !== "number" || m >= 0).map((m) => (typeof m === "object" ? (m as { i: number }).i : Number(m)));
  const theirs = got.filter((m) => typeof m === "number" && m < 0);
  console.log(mine.length, mine.every((m, k) => m === k), typeof got[1], typeof got[2], typeof got[3]);
  console.log(theirs.length, theirs.every((m, k) => m === -k - 1));`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['100 true number string object', '500 true']);
  });

  it('keeps per-sender order', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<number>();
  spawn(() => { for (let i = 0; i < 1000; i++) tx.send(i); });
  let expected = 0, ok = true;
  for (const n of rx) { if (n !== expected++) ok = false; }
  console.log(ok, expected);`));
    expect(run.lines).toEqual(['true 1000']);
  });

  it('recv after disconnection throws RecvError; send to a dropped receiver throws SendError with the value', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<number>();
  tx.send(1);
  drop(tx);
  console.log(rx.recv());
  try { rx.recv(); } catch (e) { console.log(e instanceof RecvError); }
  const [tx2, rx2] = mpsc.channel<number>();
  drop(rx2);
  try { tx2.send(7); } catch (e) { console.log(e instanceof SendError, e.value); }`));
    expect(run.lines).toEqual(['1', 'true', 'true 7']);
  });

  it('tryRecv and recvTimeout report empty, timeout and disconnected', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<number>();
  try { rx.tryRecv(); } catch (e) { console.log(e.name, e.kind); }
  try { rx.recvTimeout(30); } catch (e) { console.log(e.name, e.kind); }
  drop(tx);
  try { rx.recvTimeout(30); } catch (e) { console.log(e.name, e.kind); }`));
    expect(run.lines).toEqual(['TryRecvError empty', 'RecvTimeoutError timeout', 'RecvTimeoutError disconnected']);
  });

  it('a rendezvous channel hands each value over only when the receiver takes it', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.syncChannel<number>(0);
  const log = new Arc(new Mutex<string[]>([]));
  const l2 = log.clone();
  const h = spawn(() => {
    tx.send(1);
    { using g = l2.lock(); g.value.push("sent"); }
  });
  sleep(100);
  { using g = log.lock(); g.value.push("before recv"); }
  console.log(rx.recv());
  h.join();
  using g = log.lock();
  console.log(g.value.join(" then "));`));
    expect(run.lines).toEqual(['1', 'before recv then sent']);
  });

  it('a bounded channel blocks the sender while full', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.syncChannel<number>(2);
  const h = spawn(() => { for (let i = 0; i < 5; i++) tx.send(i); return "sent all"; });
  sleep(100);
  console.log(h.isFinished());
  const got = [];
  for (const n of rx) got.push(n);
  console.log(got.join(","), h.join());`));
    expect(run.lines).toEqual(['false', '0,1,2,3,4 sent all']);
  });

  it('a Receiver shared through Arc<Mutex> feeds a worker pool (the seed program)', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<number>();
  const shared = new Arc(new Mutex(rx));
  const results = new Arc(new Mutex<number[]>([]));
  const workers = [];
  for (let w = 0; w < 3; w++) {
    const r = shared.clone();
    const out = results.clone();
    workers.push(spawn(() => {
      for (;;) {
        let task;
        try {
          using g = r.lock();
          task = g.value.recv();
        } catch (e) {
          if (e instanceof RecvError) break;
          throw e;
        }
        using o = out.lock();
        o.value.push(task * 10);
      }
    }));
  }
  for (let i = 0; i < 10; i++) tx.send(i);
  drop(tx);
  for (const w of workers) w.join();
  using g = results.lock();
  console.log(g.value.sort((a, b) => a - b).join(","));`), { timeoutMs: 30_000 });
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['0,10,20,30,40,50,60,70,80,90']);
  });
});
