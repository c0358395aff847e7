/**
 * Ported from rayon-core 1.10.1: src/thread_pool/test.rs (worker_thread_index,
 * panic_propagate, self_install), src/scope/test.rs (lifo_order, fifo_order,
 * nested_*_order, mixed_*_order: the test_order!, test_nested_order! and
 * test_mixed_order! macros, literally: the body in `pool.install`), and
 * src/join/test.rs (join_context_neither, join_context_second), with the
 * install closure borrowing what it changes (`pool.install(|| v.par_sort())`).
 *
 * Rayon runs `install`'s closure and a pool's `scope` body on one of the
 * pool's threads. weft runs them in the place of one (par/registry.ts
 * runAsWorker): that thread parks and the caller takes its index and work
 * queue, so these answers are Rayon's. Before, install ran its closure as the
 * caller, outside the pool: currentThreadIndex() was undefined and a scope's
 * spawns ran oldest first on a one-thread pool.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { ThreadPoolBuilder, scope, scopeFifo, joinContext, currentThreadIndex, currentThreadHasPendingTasks, parSort, parIter } from "weft/par";
import { Mutex, Barrier } from "weft/sync";
`);

/** scope or scope_fifo, and its spawn. */
const kinds = (fifo: boolean) => (fifo ? ['scopeFifo', 'spawnFifo'] : ['scope', 'spawn']);

/** rayon-core scope/test.rs's test_order!: on a one-thread pool, the body in install as upstream writes it. */
const testOrder = (name: string, fifo: boolean) => {
  const [sc, sp] = kinds(fifo);
  return `function ${name}(): number[] {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  return pool.install(() => {
    const vec = new Mutex<number[]>([]);
    ${sc}((s) => { for (let i = 0; i < 10; i++) s.${sp}((s) => { for (let j = 0; j < 10; j++) s.${sp}(() => push(vec, i * 10 + j)); }); });
    return vec.intoInner();
  });
}
`;
};
/** test_nested_order! */
const testNestedOrder = (name: string, outerFifo: boolean, innerFifo: boolean) => {
  const [os, op] = kinds(outerFifo);
  const [is, ip] = kinds(innerFifo);
  return `function ${name}(): number[] {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  return pool.install(() => {
    const vec = new Mutex<number[]>([]);
    ${os}((o) => { for (let i = 0; i < 10; i++) o.${op}(() => { ${is}((n) => { for (let j = 0; j < 10; j++) n.${ip}(() => push(vec, i * 10 + j)); }); }); });
    return vec.intoInner();
  });
}
`;
};
/** test_mixed_order! (spawn_push!) */
const testMixedOrder = (name: string, outerFifo: boolean, innerFifo: boolean) => {
  const [os, op] = kinds(outerFifo);
  const [is, ip] = kinds(innerFifo);
  return `function ${name}(): number[] {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  return pool.install(() => {
    const vec = new Mutex<number[]>([]);
    ${os}((o) => {
      o.${op}(() => push(vec, 0));
      ${is}((n) => {
        n.${ip}(() => push(vec, -1));
        o.${op}(() => push(vec, 1));
        n.${ip}(() => push(vec, -2));
        o.${op}(() => push(vec, 2));
        n.${ip}(() => push(vec, -3));
      });
      o.${op}(() => push(vec, 3));
    });
    return vec.intoInner();
  });
}
`;
};

const HELPERS = `
function push(vec: Mutex<number[]>, x: number) { using g = vec.lock(); g.value.push(x); }
${testOrder('lifoOrder', false)}${testOrder('fifoOrder', true)}
${testNestedOrder('nestedLifo', false, false)}${testNestedOrder('nestedFifo', true, true)}${testNestedOrder('nestedLifoFifo', false, true)}${testNestedOrder('nestedFifoLifo', true, false)}
${testMixedOrder('mixedLifo', false, false)}${testMixedOrder('mixedFifo', true, true)}${testMixedOrder('mixedLifoFifo', false, true)}${testMixedOrder('mixedFifoLifo', true, false)}
`;

describe('rayon-core: install and a pool scope run their closure on one of the pool\'s threads', () => {
  it('worker_thread_index, join_context_neither, join_context_second, panic_propagate; install borrows what it changes', async () => {
    const result = await ok(`
function main() {
  const pool = new ThreadPoolBuilder().numThreads(22).build();
  console.log(pool.currentNumThreads(), pool.currentThreadIndex(), currentThreadIndex());
  const index = pool.install(() => pool.currentThreadIndex());
  console.log("worker_thread_index", index !== undefined && index < 22, pool.install(() => currentThreadIndex() === index || currentThreadIndex()! < 22));
  console.log("pending", String(pool.install(() => currentThreadHasPendingTasks())));
  const one = new ThreadPoolBuilder().numThreads(1).build();
  console.log("join_context_neither", one.install(() => joinContext((a) => a.migrated(), (b) => b.migrated())).join());
  const barrier = new Barrier(2);
  const two = new ThreadPoolBuilder().numThreads(2).build();
  console.log("join_context_second", two.install(() => joinContext((a) => { barrier.wait(); return a.migrated(); }, (b) => { barrier.wait(); return b.migrated(); })).join());
  const v = [5, 3, 1, 4];
  two.install(() => { parSort(v); v.push(9); });
  console.log("borrowed", v.join());
  try { two.install(() => { throw new Error("Hello, world!"); }); } catch (e) { console.log("panic_propagate", (e as Error).message); }
  console.log("sum", two.install(() => parIter([1, 2, 3]).map((x) => x * 2).sum()));
  const p1 = new ThreadPoolBuilder().numThreads(1).build();
  const p2 = new ThreadPoolBuilder().numThreads(1).build();
  console.log("mutual_install", p1.install(() => p2.install(() => p1.install(() => [p1.currentThreadIndex(), String(p2.currentThreadIndex())].join(" ")))));
  console.log("in_place_scope", pool.inPlaceScope(() => String(pool.currentThreadIndex())), pool.scope(() => pool.currentThreadIndex()! < 22));
}`);
    expect(result.lines).toEqual([
      '22 undefined undefined',
      'worker_thread_index true true',
      'pending false',
      'join_context_neither false,false',
      'join_context_second false,true',
      'borrowed 1,3,4,5,9',
      'panic_propagate Hello, world!',
      'sum 12',
      'mutual_install 0 undefined',
      'in_place_scope undefined true',
    ]);
  });

  it('scope/test.rs lifo_order, fifo_order, nested_*_order, mixed_*_order, with the body in install as upstream writes it', async () => {
    const result = await ok(`${HELPERS}
function main() {
  console.log("lifo_order", lifoOrder().join(","));
  console.log("fifo_order", fifoOrder().join(","));
  console.log("nested_lifo_order", nestedLifo().join(","));
  console.log("nested_fifo_order", nestedFifo().join(","));
  console.log("nested_lifo_fifo_order", nestedLifoFifo().join(","));
  console.log("nested_fifo_lifo_order", nestedFifoLifo().join(","));
  console.log("mixed_lifo_order", mixedLifo().join(","));
  console.log("mixed_fifo_order", mixedFifo().join(","));
  console.log("mixed_lifo_fifo_order", mixedLifoFifo().join(","));
  console.log("mixed_fifo_lifo_order", mixedFifoLifo().join(","));
}`);
    const upTo100 = Array.from({ length: 100 }, (_, i) => i);
    const tens = Array.from({ length: 10 }, (_, i) => i);
    expect(result.lines).toEqual([
      `lifo_order ${[...upTo100].reverse().join(',')}`,
      `fifo_order ${upTo100.join(',')}`,
      `nested_lifo_order ${[...upTo100].reverse().join(',')}`,
      `nested_fifo_order ${upTo100.join(',')}`,
      `nested_lifo_fifo_order ${[...tens].reverse().flatMap((i) => tens.map((j) => i * 10 + j)).join(',')}`,
      `nested_fifo_lifo_order ${tens.flatMap((i) => [...tens].reverse().map((j) => i * 10 + j)).join(',')}`,
      'mixed_lifo_order -3,2,-2,1,-1,3,0',
      'mixed_fifo_order -1,0,-2,1,-3,2,3',
      'mixed_lifo_fifo_order -1,2,-2,1,-3,3,0',
      'mixed_fifo_lifo_order -3,0,-2,1,-1,2,3',
    ]);
  });

  it('thread_pool/test.rs scope_lifo_order, scope_fifo_order, spawn_lifo_order, spawn_fifo_order (written as upstream: pool.scope and pool.spawn inside pool.install), nested_fifo_scopes', async () => {
    const result = await ok(`
import { mpsc, drop, AtomicUsize, Ordering } from "weft/sync";
function scopeOrder(fifo: boolean): number[] {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  return pool.install(() => {
    const vec = new Mutex<number[]>([]);
    if (fifo) pool.scopeFifo((s) => { for (let i = 0; i < 10; i++) s.spawnFifo(() => { using g = vec.lock(); g.value.push(i); }); });
    else pool.scope((s) => { for (let i = 0; i < 10; i++) s.spawn(() => { using g = vec.lock(); g.value.push(i); }); });
    return vec.intoInner();
  });
}
function spawnOrder(fifo: boolean): number[] {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel<number>();
  pool.install(() => {
    for (let i = 0; i < 10; i++) {
      const t = tx.clone();
      if (fifo) pool.spawnFifo(() => { t.send(i); });
      else pool.spawn(() => { t.send(i); });
    }
  });
  drop(tx);
  return [...rx.iter()];
}
function nest(pools: ReturnType<ThreadPoolBuilder['build']>[], scopes: any[], counter: AtomicUsize) {
  if (pools.length > 0) pools[0]!.scopeFifo((s) => nest(pools.slice(1), [...scopes, s], counter));
  else for (const s of scopes) s.spawnFifo(() => { counter.fetchAdd(1, Ordering.Relaxed); });
}
function main() {
  console.log("scope_lifo_order", scopeOrder(false).join(","));
  console.log("scope_fifo_order", scopeOrder(true).join(","));
  console.log("spawn_lifo_order", spawnOrder(false).join(","));
  console.log("spawn_fifo_order", spawnOrder(true).join(","));
  const pools = Array.from({ length: 10 }, () => new ThreadPoolBuilder().numThreads(1).build());
  const counter = new AtomicUsize(0);
  nest(pools, [], counter);
  console.log("nested_fifo_scopes", counter.load(Ordering.SeqCst));
}`);
    expect(result.lines).toEqual([
      'scope_lifo_order 9,8,7,6,5,4,3,2,1,0',
      'scope_fifo_order 0,1,2,3,4,5,6,7,8,9',
      'spawn_lifo_order 9,8,7,6,5,4,3,2,1,0',
      'spawn_fifo_order 0,1,2,3,4,5,6,7,8,9',
      'nested_fifo_scopes 10',
    ]);
  });
});
