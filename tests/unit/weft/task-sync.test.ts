/**
 * weft/task's channels and locks as tasks use them: a bounded mpsc channel
 * makes its sender wait, a broadcast receiver that lags is told how many
 * messages it missed, a watch receiver sees only the latest value, an async
 * Mutex guard lives across an await, and the Semaphore serves waiters in
 * order. Paused time keeps every output the same from run to run.
 */
import { describe, expect, it } from 'vitest';
import { runProgram } from '../support/run-program.ts';

const IMPORTS = `import { spawn, sleep, yieldNow, join, select, time, mpsc, oneshot, broadcast, watch, Mutex, RwLock, Semaphore, Notify, Lagged, RecvError, SendError, TryAcquireError, drop } from "weft/task";\n`;

async function ok(body: string) {
  const run = await runProgram(`${IMPORTS}${body}`);
  expect(run.errors, JSON.stringify(run.errors)).toEqual([]);
  expect(run.outcome.status).toBe('ok');
  return run.lines;
}

describe('channels', () => {
  it('mpsc: a bounded channel makes the sender wait; recv gives undefined once every Sender is dropped', async () => {
    const lines = await ok(`
async function main() {
  time.pause();
  const [tx, rx] = mpsc.channel<number>(2);
  const producer = spawn(async () => {
    for (let i = 1; i <= 4; i++) { await tx.send(i); console.log("sent", i); }
    drop(tx);
  });
  await sleep(10);
  let msg;
  while ((msg = await rx.recv()) !== undefined) console.log("got", msg);
  await producer;
}`);
    expect(lines).toEqual(['sent 1', 'sent 2', 'got 1', 'got 2', 'sent 3', 'sent 4', 'got 3', 'got 4']);
  });

  it('mpsc: unbounded send never waits; a closed Receiver makes send throw SendError', async () => {
    const lines = await ok(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<string>();
  const tx2 = tx.clone();
  tx.send("a"); tx2.send("b");
  console.log(await rx.recv(), await rx.recv(), rx.tryRecv === undefined);
  rx.close();
  try { tx.send("c"); } catch (e) { console.log(e instanceof SendError, (e as SendError<string>).value); }
}`);
    expect(lines).toEqual(['a b false', 'true c']);
  });

  it('oneshot: the Receiver is a future; a dropped Sender makes it throw RecvError', async () => {
    const lines = await ok(`
async function main() {
  const [tx, rx] = oneshot.channel<number>();
  spawn(async () => { await sleep(5); tx.send(42); });
  console.log(await rx);
  const [tx2, rx2] = oneshot.channel<number>();
  spawn(async () => { drop(tx2); });
  try { await rx2; } catch (e) { console.log(e instanceof RecvError); }
}`);
    expect(lines).toEqual(['42', 'true']);
  });

  it('broadcast: every receiver gets every message; a lagging one gets Lagged with how many it missed', async () => {
    const lines = await ok(`
async function main() {
  const [tx, fast] = broadcast.channel<number>(2);
  const slow = tx.subscribe();
  for (let i = 1; i <= 5; i++) { tx.send(i); console.log("fast", await fast.recv()); }
  try { await slow.recv(); } catch (e) { console.log(e instanceof Lagged, (e as Lagged).missed, (e as Error).message); }
  console.log("slow", await slow.recv(), await slow.recv());
  drop(tx);
  try { await slow.recv(); } catch (e) { console.log("closed", e instanceof RecvError); }
}`);
    expect(lines).toEqual([
      'fast 1', 'fast 2', 'fast 3', 'fast 4', 'fast 5',
      'true 3 this receiver lagged behind and missed 3 messages',
      'slow 4 5',
      'closed true',
    ]);
  });

  it('watch: a busy receiver sees only the latest value', async () => {
    const lines = await ok(`
async function main() {
  time.pause();
  const [tx, rx] = watch.channel("init");
  const reader = spawn(async () => {
    console.log("first", rx.borrow());
    await sleep(100); // busy while three values are sent
    await rx.changed();
    console.log("latest", rx.borrowAndUpdate(), rx.hasChanged());
    try { await rx.changed(); } catch (e) { console.log("sender gone", e instanceof RecvError); }
  });
  for (const v of ["a", "b", "c"]) { await sleep(10); tx.send(v); }
  await sleep(200);
  drop(tx);
  await reader;
}`);
    expect(lines).toEqual(['first init', 'latest c false', 'sender gone true']);
  });
});

describe('locks', () => {
  it('an async Mutex guard lives across an await; the other tasks run meanwhile and get the lock in turn', async () => {
    const lines = await ok(`
async function main() {
  time.pause();
  const counter = new Mutex(0);
  const tasks = [1, 2, 3].map((id) => spawn(async () => {
    using guard = await counter.lock();
    const seen = guard.value;
    await sleep(10); // held across an await
    guard.value = seen + 1;
    console.log("task", id, "->", guard.value, "at", time.now() % 1000);
  }));
  for (const t of tasks) await t;
  console.log("total", (await counter.lock()).value, counter.tryLock() !== undefined);
}`);
    expect(lines.slice(0, 3).map((l) => l.split(' at ')[0])).toEqual(['task 1 -> 1', 'task 2 -> 2', 'task 3 -> 3']);
    expect(lines[3]).toBe('total 3 false');
  });

  it('RwLock: readers share, a writer waits for them and holds back later readers', async () => {
    const lines = await ok(`
async function main() {
  time.pause();
  const lock = new RwLock("v1");
  const r1 = await lock.read();
  const r2 = await lock.read();
  const writer = spawn(async () => { using w = await lock.write(); w.value = "v2"; console.log("wrote"); });
  await yieldNow();
  console.log("late reader blocked:", lock.tryRead() === undefined);
  r1.unlock(); r2.unlock();
  await writer;
  console.log((await lock.read()).value);
}`);
    expect(lines).toEqual(['late reader blocked: true', 'wrote', 'v2']);
  });

  it('Semaphore is fair: waiters are served in order, a big request is not overtaken', async () => {
    const lines = await ok(`
async function main() {
  time.pause();
  const sem = new Semaphore(3);
  const held = await sem.acquire(3);
  const order: string[] = [];
  const big = spawn(async () => { using p = await sem.acquire(3); order.push("big"); });
  await yieldNow();
  const small = spawn(async () => { using p = await sem.acquire(1); order.push("small"); });
  await yieldNow();
  try { sem.tryAcquire(1); } catch (e) { console.log("tryAcquire:", (e as TryAcquireError).kind); }
  held.release();
  await join(big, small);
  console.log(order.join(","), sem.availablePermits());
}`);
    expect(lines).toEqual(['tryAcquire: noPermits', 'big,small 3']);
  });

  it("join lets every branch finish when one fails with an Err (Elapsed), then throws it; tryJoin cancels the rest at once (Tokio's join!/try_join!)", async () => {
    const lines = await ok(`
import { timeout, tryJoin } from "weft/task";
async function slow(label: string) { await sleep(50); console.log(label, "done at", time.now()); return label; }
async function main() {
  time.pause();
  try { await join(timeout(10, sleep(100)), slow("join branch")); } catch (e) { console.log("join threw", (e as Error).name, "at", time.now()); }
  const start = time.now();
  try { await tryJoin(timeout(10, sleep(100)), slow("tryJoin branch")); } catch (e) { console.log("tryJoin threw", (e as Error).name, "after", time.now() - start); }
  try { await join((async () => { await sleep(5); throw new Error("boom"); })(), slow("after a panic")); } catch (e) { console.log("panic:", (e as Error).message, "after", time.now() - start); }
}`);
    expect(lines).toEqual(['join branch done at 50', 'join threw Elapsed at 50', 'tryJoin threw Elapsed after 10', 'panic: boom after 15']);
  });

  it('handles used after they are spent fail as the other channels do: a dropped watch Sender, a JoinHandle awaited twice; spawnBlocking has abort()', async () => {
    const lines = await ok(`
import { spawnBlocking } from "weft/task";
async function main() {
  const [wtx, wrx] = watch.channel(1);
  wtx.drop();
  try { wtx.send(2); } catch (e) { console.log("watch:", (e as Error).message); }
  const h = spawn(async () => 5);
  console.log("first:", await h);
  try { await h; } catch (e) { console.log("second:", (e as Error).message.split(":")[0]); }
  const b = spawnBlocking(() => 7);
  b.abort(); // too late to stop it, as in Tokio: the job has started
  console.log("blocking:", await b);
  const [otx, _orx] = oneshot.channel();
  try { await Promise.race([otx.closed()]); } catch (e) { console.log("race:", (e as Error).message.includes("select")); }
  drop(wrx);
}`);
    expect(lines).toEqual([
      'watch: use of dropped value: this watch Sender was dropped',
      'first: 5',
      'second: this JoinHandle was already awaited',
      'blocking: 7',
      'race: true',
    ]);
  });

  it('a task waiting for an async Mutex whose holder never unlocked it is told who locked it, where, and to hold guards with using', async () => {
    const result = await runProgram(`${IMPORTS}
async function main() {
  const m = new Mutex(0);
  const t = spawn(async () => {
    const g = await m.lock();
    await sleep(1000);
    g.unlock();
  });
  await yieldNow();
  t.abort();
  await yieldNow();
  const g = await m.lock();
  console.log(g.value);
}`);
    expect(result.outcome.status).toBe('deadlock');
    expect(result.errors[0]?.message).toBe(
      "task 'main' is waiting for an async Mutex that task 1 locked at line 6 and has not unlocked (a guard kept in a `const` is not unlocked when its task ends or is cancelled: hold it with `using`), and nothing can wake it",
    );
  });

  it('Notify: notifyOne wakes one waiter or leaves a permit; notifyWaiters wakes all', async () => {
    const lines = await ok(`
async function main() {
  const notify = new Notify();
  notify.notifyOne(); // no waiter yet: stored
  await notify.notified();
  console.log("permit used");
  const waiters = [1, 2].map((i) => spawn(async () => { await notify.notified(); console.log("woken", i); }));
  await yieldNow();
  notify.notifyWaiters();
  for (const w of waiters) await w;
}`);
    expect(lines).toEqual(['permit used', 'woken 1', 'woken 2']);
  });

  it('Notify: a notified() made before notifyWaiters receives it unpolled; a waiter dropped after notifyWaiters passes nothing on (Tokio)', async () => {
    const lines = await ok(`
async function main() {
  time.pause();
  const notify = new Notify();
  const made = notify.notified(); // made, checked a condition, not yet awaited
  notify.notifyWaiters();
  console.log("made before:", (await select({ made, late: sleep(100) })).key);
  const w = spawn(async () => { await notify.notified(); });
  await yieldNow();
  notify.notifyWaiters();
  w.abort();
  await yieldNow();
  console.log("after a dropped waiter:", (await select({ n: notify.notified(), t: sleep(100) })).key);
  const one = spawn(async () => { await notify.notified(); });
  await yieldNow();
  notify.notifyOne();
  one.abort();
  await yieldNow();
  console.log("notifyOne passed on:", (await select({ n: notify.notified(), t: sleep(100) })).key);
}`);
    expect(lines).toEqual(['made before: made', 'after a dropped waiter: t', 'notifyOne passed on: n']);
  });
});

describe('mapped guards (Tokio 1.24: MutexGuard::map, RwLockReadGuard::map, RwLockWriteGuard::map, try_map)', () => {
  it('a mapped guard holds the lock until it is dropped, changes the part it maps through its fields, and refuses an assignment that could not reach the lock', async () => {
    const lines = await ok(`
async function main() {
  const m = new Mutex({ name: "a", counts: { hits: 0 } });
  {
    using counts = (await m.lock()).map((v) => v.counts);
    counts.value.hits += 5;
    console.log("locked while mapped:", m.tryLock() === undefined);
    try { counts.value = { hits: 99 }; } catch (e) { console.log((e as Error).name); }
    const deeper = counts.map((c) => c);
    console.log("the first mapped guard is spent:", (() => { try { counts.value; return false; } catch { return true; } })());
    deeper.unlock();
  }
  const g = m.tryLock()!;
  console.log("unlocked after drop:", g.value.counts.hits);
  const declined = g.tryMap((v) => (v.name === "b" ? v.counts : undefined));
  console.log("try_map declined, guard kept:", declined.ok, !declined.ok && declined.value === g, g.value.name);
  const taken = g.tryMap((v) => v.counts);
  console.log("try_map took it:", taken.ok, m.tryLock() === undefined);
  if (taken.ok) drop(taken.value);
  // A closure that throws leaves the guard holding the lock.
  const h = (await m.lock());
  try { h.map(() => { throw new Error("boom"); }); } catch (e) { console.log("map threw", (e as Error).message, "still locked:", m.tryLock() === undefined, h.value.name); }
  h.unlock();

  const rw = new RwLock({ list: [1, 2, 3] });
  const w = (await rw.write()).map((v) => v.list);
  w.value.push(4);
  console.log("mapped write holds the lock:", rw.tryRead() === undefined);
  const r = w.downgrade();
  const other = rw.tryRead();
  console.log("downgraded: readers may read:", other !== undefined, "writers may not:", rw.tryWrite() === undefined, r.value.length);
  r.unlock();
  other?.unlock();
  const rg = (await rw.read()).map((v) => v.list.length);
  console.log("mapped read:", rg.value, rw.tryWrite() === undefined);
  drop(rg);
  console.log("all free:", rw.tryWrite() !== undefined);
}`);
    expect(lines).toEqual([
      'locked while mapped: true',
      'TypeError',
      'the first mapped guard is spent: true',
      'unlocked after drop: 5',
      'try_map declined, guard kept: false true a',
      'try_map took it: true true',
      'map threw boom still locked: true a',
      'mapped write holds the lock: true',
      'downgraded: readers may read: true writers may not: true 4',
      'mapped read: 4 true',
      'all free: true',
    ]);
  });
});
