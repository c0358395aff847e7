/**
 * The Rust, Tokio and Rayon APIs issue 10 added, where the conformance
 * suite (tests/conformance) does not already pin them down: what a reader
 * sees when the lock is not theirs alone, OnceLock.wait, Sender.closed on a
 * Tokio mpsc channel, recvMany's limit, acquireMany, JoinSet.detachAll,
 * broadcast resubscribe, and the par adapters' edges (zip of unequal
 * lengths, a position on a filtered chain, withMaxLen on the pool).
 */
import { describe, expect, it } from 'vitest';
import { lineOf, programsWith } from '../support/run-program.ts';

const sync = programsWith(`import { spawn, sleep } from "weft/thread";
import { Arc, Mutex, RwLock, OnceLock, mpsc, drop } from "weft/sync";
`);

describe('weft/sync: intoInner, getMut, OnceLock.wait', () => {
  it('getMut and intoInner refuse a lock another thread holds, naming it; intoInner spends the handle', async () => {
    const run = await sync.ok(`
function main() {
  const m = new Arc(new Mutex(1));
  const r = new Arc(new RwLock(1));
  const m2 = m.clone(), r2 = r.clone();
  const [held, heldRx] = mpsc.channel<null>();
  const [release, releaseRx] = mpsc.channel<null>();
  const t = spawn(() => {
    using g = m2.lock();
    using w = r2.write();
    held.send(null);
    releaseRx.recv();
  });
  heldRx.recv();
  try { m.getMut(); } catch (e) { console.log((e as Error).message); }
  try { r.intoInner(); } catch (e) { console.log((e as Error).message); }
  release.send(null);
  t.join();
  const own = new Mutex({ n: 5 });
  console.log(JSON.stringify(own.intoInner()));
  try { own.lock(); } catch (e) { console.log((e as Error).message); }
}`);
    expect(run.lines[0]).toMatch(/^getMut needs this Mutex to itself, but thread '.+' holds its lock/);
    expect(run.lines[1]).toMatch(/^intoInner needs this RwLock to itself, but another thread holds it/);
    expect(run.lines[2]).toBe('{"n":5}');
    expect(run.lines[3]).toBe(`use of moved value: this Mutex was moved into its value (intoInner) at line ${lineOf(run.source, 'console.log(JSON.stringify(own.intoInner()))')}.`);
  });

  it('OnceLock.wait blocks until another thread sets the cell, and returns the value', async () => {
    const run = await sync.ok(`
function main() {
  const cell = new Arc(new OnceLock<string>());
  const c2 = cell.clone();
  const waiter = spawn(() => c2.wait());
  sleep(5);
  cell.set("ready");
  console.log(waiter.join());
}`);
    expect(run.lines).toEqual(['ready']);
  });
});

const task = programsWith(`import { spawn, yieldNow, time, sleep, mpsc, broadcast, Semaphore, JoinSet, drop } from "weft/task";
`);

describe('weft/task: closed, recvMany, acquireMany, detachAll, resubscribe', () => {
  it('Sender.closed (bounded and unbounded) finishes when the Receiver goes; recvMany takes at most its limit', async () => {
    const run = await task.ok(`
async function main() {
  const [tx, rx] = mpsc.channel<number>(4);
  const [utx, urx] = mpsc.unboundedChannel<number>();
  const watcher = spawn(async () => { await tx.closed(); console.log("bounded closed"); await utx.closed(); console.log("unbounded closed"); });
  await yieldNow();
  const [t2, r2] = mpsc.unboundedChannel<number>();
  for (const v of [1, 2, 3, 4, 5]) t2.send(v);
  const buf: number[] = [];
  console.log(await r2.recvMany(buf, 0), await r2.recvMany(buf, 2), JSON.stringify(buf), await r2.recvMany(buf, 10), JSON.stringify(buf));
  drop(t2);
  console.log(await r2.recvMany(buf, 10));
  rx.close();
  await yieldNow();
  drop(urx);
  await watcher;
}`);
    expect(run.lines).toEqual(['0 2 [1,2] 3 [1,2,3,4,5]', '0', 'bounded closed', 'unbounded closed']);
  });

  it('acquireMany waits for all its permits at once; detachAll lets tasks run on unjoined; resubscribe starts at the tail', async () => {
    const run = await task.ok(`
async function main() {
  time.pause();
  const sem = new Semaphore(1);
  const big = spawn(async () => { using p = await sem.acquireMany(3); console.log("got", p.numPermits(), "at", time.now()); });
  await sleep(10); sem.addPermits(1);
  await sleep(10); sem.addPermits(1);
  await big;
  const set = new JoinSet<void>();
  const [tx, rx] = mpsc.unboundedChannel<string>();
  set.spawn(async () => { await sleep(5); tx.send("detached task finished"); });
  set.detachAll();
  console.log("len", set.len(), await set.joinNext());
  console.log(await rx.recv());
  const [btx, brx] = broadcast.channel<number>(4);
  btx.send(1);
  const late = brx.resubscribe();
  btx.send(2);
  console.log(brx.len(), late.len(), await late.recv());
}`);
    expect(run.lines).toEqual(['got 3 at 20', 'len 0 undefined', 'detached task finished', '2 1 2']);
  });
});

const par = programsWith(`import { parIter, range } from "weft/par";
`);

describe('weft/par: zip, position*, withMaxLen', () => {
  it('zip stops at the shorter side; a position after filter is refused with the reason; withMaxLen(1) folds item by item on the pool too', async () => {
    const run = await par.ok(`
function main() {
  console.log(JSON.stringify(range(0, 5).zip([10, 20, 30]).collect()));
  console.log(JSON.stringify(parIter([1, 2]).zip(range(0, 100).map((x) => x * 2)).collect()));
  try { range(0, 10).filter((x) => x > 2).positionAny((x) => x > 5); } catch (e) { console.log((e as Error).message); }
  console.log(range(0, 5000).withMaxLen(1).fold(() => 0, (n) => n + 1).all((n) => n === 1), range(0, 5000).withMaxLen(1).fold(() => 0, (n) => n + 1).count());
}`);
    expect(run.lines).toEqual([
      '[[0,10],[1,20],[2,30]]',
      '[[1,0],[2,2]]',
      "positionAny needs to know each item's position, but filter, filterMap, flatMap or fold came before it and change how many items there are (in Rayon, positionAny is a method of IndexedParallelIterator only). Call positionAny before them.",
      'true 5000',
    ]);
  });
});
