/**
 * A fourth round of Rayon's tests ported to weft/par, for what Rayon 1.6.1
 * and rayon-core 1.10.1 have and weft lacked. Upstream: rayon-core
 * src/spawn/test.rs (lifo_order, fifo_order, lifo_fifo_order,
 * fifo_lifo_order), src/thread_pool/test.rs (spawn_lifo_order,
 * spawn_fifo_order, in_place_scope_fifo_no_deadlock), src/lib.rs
 * (max_num_threads), src/thread_pool/mod.rs (current_thread_has_pending_tasks).
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { parIter, range, ThreadPoolBuilder, spawn, spawnFifo } from "weft/par";
import { mpsc, drop } from "weft/sync";
`);

/**
 * rayon-core's test_order! macro: on a one-thread pool, ten outer spawns
 * each make ten inner spawns that send i * 10 + j. Rayon's `install` runs
 * its closure on the pool's thread; weft's runs it on the caller's, so the
 * outer loop is spawned onto the pool, to spawn from a pool thread as Rayon does.
 */
const testOrder = (outer: string, inner: string) => `
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel<number>();
  pool.spawn(() => {
    for (let i = 0; i < 10; i++) {
      const tx1 = tx.clone();
      ${outer}(() => {
        for (let j = 0; j < 10; j++) {
          const tx2 = tx1.clone();
          ${inner}(() => { tx2.send(i * 10 + j); });
        }
      });
    }
  });
  console.log([...rx].join(","));
}`;

const seq = (xs: number[]) => xs.join(',');
const upTo = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('rayon-core src/spawn/test.rs: spawn_fifo', () => {
  it('lifo_order: spawn from a pool thread starts the newest first', async () => {
    expect((await ok(testOrder('spawn', 'spawn'))).lines).toEqual([seq(upTo(100).reverse())]);
  });
  it('fifo_order: spawnFifo from a pool thread starts them in the order spawned', async () => {
    expect((await ok(testOrder('spawnFifo', 'spawnFifo'))).lines).toEqual([seq(upTo(100))]);
  });
  it('lifo_fifo_order: LIFO outside, FIFO inside', async () => {
    const expected = upTo(10).reverse().flatMap((i) => upTo(10).map((j) => i * 10 + j));
    expect((await ok(testOrder('spawn', 'spawnFifo'))).lines).toEqual([seq(expected)]);
  });
  it('fifo_lifo_order: FIFO outside, LIFO inside', async () => {
    const expected = upTo(10).flatMap((i) => upTo(10).reverse().map((j) => i * 10 + j));
    expect((await ok(testOrder('spawnFifo', 'spawn'))).lines).toEqual([seq(expected)]);
  });
});

describe('rayon-core src/thread_pool/test.rs: ThreadPool.spawnFifo, inPlaceScopeFifo', () => {
  it('spawn_lifo_order and spawn_fifo_order: pool.spawn / pool.spawnFifo from the pool\'s thread', async () => {
    const order = (method: string) => `
  {
    const pool = new ThreadPoolBuilder().numThreads(1).build();
    const [tx, rx] = mpsc.channel<number>();
    // Rayon's install borrows the pool; a scope's spawn borrows, where pool.spawn would move the pool into its own thread.
    pool.scope((s) => s.spawn(() => {
      for (let i = 0; i < 10; i++) { const t = tx.clone(); pool.${method}(() => { t.send(i); }); }
    }));
    drop(tx);
    console.log([...rx].join(","));
  }`;
    const result = await ok(`
function main() {${order('spawn')}${order('spawnFifo')}
}`);
    expect(result.lines).toEqual([seq(upTo(10).reverse()), seq(upTo(10))]);
  });

  it('in_place_scope_fifo_no_deadlock: the body runs on the calling thread, so the only worker is free for the spawn it waits on', async () => {
    const result = await ok(`
import { inPlaceScopeFifo } from "weft/par";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel<string>();
  const r = pool.inPlaceScopeFifo((s) => {
    s.spawnFifo(() => { tx.send("sent"); });
    return rx.recv();
  });
  const [tx2, rx2] = mpsc.channel<string>();
  const r2 = pool.install(() => inPlaceScopeFifo((s) => { s.spawnFifo(() => { tx2.send("free"); }); return rx2.recv(); }));
  console.log(r, r2);
}`);
    expect(result.lines).toEqual(['sent free']);
  });
});

describe('rayon-core: maxNumThreads, currentThreadHasPendingTasks', () => {
  it('max_num_threads bounds numThreads; current_thread_has_pending_tasks is undefined off the pool and sees the worker\'s own queue', async () => {
    const result = await ok(`
import { maxNumThreads, currentThreadHasPendingTasks } from "weft/par";
function main() {
  const max = maxNumThreads();
  let refused = false;
  try { new ThreadPoolBuilder().numThreads(max + 1); } catch { refused = true; }
  console.log(max >= 1, refused, String(currentThreadHasPendingTasks()));
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel<string>();
  pool.scope((s) => s.spawn(() => {
    const before = currentThreadHasPendingTasks();
    const t = tx.clone();
    spawn(() => { t.send("after the spawn ran: " + currentThreadHasPendingTasks()); });
    tx.send(before + " " + currentThreadHasPendingTasks() + " " + pool.currentThreadHasPendingTasks());
  }));
  drop(tx);
  console.log([...rx].join(" / "), String(pool.currentThreadHasPendingTasks()));
}`);
    expect(result.lines).toEqual(['true true undefined', 'false true true / after the spawn ran: false undefined']);
  });
});
