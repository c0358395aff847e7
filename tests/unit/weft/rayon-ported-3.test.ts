/**
 * A third round of Rayon's tests ported to weft/par: only cases weft failed
 * before (a method Rayon has and weft lacked, or a different answer). Each
 * case names the upstream tests it ports. Upstream: rayon src/iter/test.rs
 * (check_cmp_*, check_partial_cmp_*, check_eq/ne/lt/le/gt/ge_*,
 * check_interleave_*, check_flat_map_nested_ranges, check_empty_flat_map_sum,
 * fold_map_reduce with fold_with, check_update, check_while_some, try_*),
 * tests/intersperse.rs, src/iter/repeat.rs, once.rs and empty.rs tests,
 * src/slice/test.rs (test_par_sort's random comparison,
 * test_par_rchunks_exact_remainder), src/slice/chunk_by.rs, zip_eq,
 * tests/sort-panic-safe.rs, tests/named-threads.rs,
 * tests/run-pass/double_init_fail.rs, rayon-core's spawn/test.rs,
 * current_thread_index and in_place_scope.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok, run } = programsWith(`import { parIter, range } from "weft/par";
import { AtomicUsize } from "weft/sync";
`);

describe('rayon src/iter/test.rs: comparing par iterators', () => {
  it('check_cmp_direct/lt/gt/lengths/short_circuit, check_partial_cmp_* (NaN gives undefined), check_eq/ne/lt/le/gt/ge_*', async () => {
    const result = await ok(`
function main() {
  const zeros = (n: number) => new Array(n).fill(0);
  const b = zeros(1024); b[42] = 1;
  console.log(range(0, 1024).cmp(range(0, 1024)), range(0, 1024).cmp(range(1, 1024)), range(1, 1024).cmp(range(0, 1024)), parIter(zeros(1024)).cmp(zeros(1025)), parIter(zeros(1024)).cmp(b));
  const nan = zeros(1024); nan[42] = NaN;
  console.log(range(0, 1024).partialCmp(range(0, 1024)), parIter(zeros(1024)).partialCmp(b), parIter(zeros(1024)).partialCmp(nan), parIter([NaN, 0]).partialCmp([0, 1]), parIter([0, NaN]).partialCmp([1, 1]));
  console.log(range(0, 1024).eq(range(0, 1024)), range(0, 1024).ne(range(1, 1025)), parIter(zeros(1024)).eq(zeros(1025)), parIter(zeros(1024)).ne(zeros(1025)), parIter([NaN]).eq([NaN]), parIter([[1, 2]]).eq([[1, 2]]));
  console.log(range(0, 1024).lt(range(1, 1024)), range(1, 1024).lt(range(0, 1024)), range(0, 1024).le(range(0, 1024)), range(0, 1024).le(range(1, 1024)), range(1, 1024).gt(range(0, 1024)), range(0, 1024).ge(range(0, 1024)), range(1, 1024).ge(range(0, 1024)), parIter([NaN]).le([NaN]));
}`);
    expect(result.lines).toEqual([
      '0 -1 1 -1 -1',
      '0 -1 undefined undefined -1',
      'true true false true false true',
      'true false true true true true true false',
    ]);
  });
});

describe('rayon src/iter/test.rs and tests/intersperse.rs: interleave, interleave_shortest, intersperse', () => {
  it('check_interleave_eq, check_interleave_uneven, check_interleave_shortest, check_intersperse', async () => {
    const result = await ok(`
function main() {
  const ys = Array.from({ length: 10 }, (_, i) => 10 + i);
  console.log(range(0, 10).interleave(ys).collect().join(","));
  console.log(range(0, 5).interleave(range(10, 20)).collect().join(","));
  console.log(range(0, 9).interleaveShortest(ys).collect().join(","));
  console.log(parIter(ys).interleaveShortest(range(0, 9)).collect().join(","));
  const v = range(0, 1000).intersperse(-1).collect();
  console.log(v.length, v.every((x, i) => x === (i % 2 === 0 ? i / 2 : -1)), range(0, 0).intersperse(-1).count(), range(0, 1).intersperse(-1).collect().join(","));
}`);
    expect(result.lines).toEqual([
      '0,10,1,11,2,12,3,13,4,14,5,15,6,16,7,17,8,18,9,19',
      '0,10,1,11,2,12,3,13,4,14,15,16,17,18,19',
      '0,10,1,11,2,12,3,13,4,14,5,15,6,16,7,17,8,18',
      '10,0,11,1,12,2,13,3,14,4,15,5,16,6,17,7,18,8,19',
      '1999 true 0 0',
    ]);
  });
});

describe('rayon src/iter/test.rs: flat_map of par iterators', () => {
  it('check_flat_map_nested_ranges and check_empty_flat_map_sum: a closure may return a par iterator, as into_par_iter() does', async () => {
    const result = await ok(`
import { empty } from "weft/par";
function main() {
  const a = Array.from({ length: 1024 }, (_, i) => i);
  console.log(range(0, 10).flatMap((i) => range(0, 10).map((j) => [i, j])).map(([i, j]) => i * j).sum());
  console.log(parIter(a).flatMap(() => empty<number>()).sum(), parIter([] as number[]).flatMap(() => parIter(a)).sum());
}`);
    expect(result.lines).toEqual(['2025', '0 0']);
  });
});

describe('rayon ParallelIterator: try_for_each, try_reduce, try_reduce_with over weft Results', () => {
  it('the failed Result comes back; all Ok gives the reduction', async () => {
    const result = await ok(`
function main() {
  console.log(JSON.stringify(range(0, 100).tryForEach((x) => (x === 42 ? { ok: false, value: "bad " + x } : { ok: true, value: undefined }))));
  const seen = new AtomicUsize(0);
  console.log(JSON.stringify(range(0, 10).tryForEach(() => { seen.fetchAdd(1); })), seen.load());
  const oks = () => range(0, 100).map((x) => ({ ok: true as const, value: x }));
  console.log(JSON.stringify(oks().tryReduce(() => 0, (a, b) => ({ ok: true, value: a + b }))));
  console.log(JSON.stringify(range(0, 100).map((x) => (x === 50 ? { ok: false, value: "boom" } : { ok: true, value: x })).tryReduce(() => 0, (a, b) => ({ ok: true, value: a + b }))));
  console.log(JSON.stringify(oks().tryReduce(() => 0, (a, b) => (a + b > 1000 ? { ok: false, value: "overflow" } : { ok: true, value: a + b }))));
  console.log(String(range(0, 0).map((x) => ({ ok: true, value: x })).tryReduceWith((a, b) => ({ ok: true, value: a + b }))), JSON.stringify(range(1, 5).map((x) => ({ ok: true, value: x })).tryReduceWith((a, b) => ({ ok: true, value: a * b }))));
}`);
    expect(result.lines).toEqual([
      '{"ok":false,"value":"bad 42"}',
      '{"ok":true} 10',
      '{"ok":true,"value":4950}',
      '{"ok":false,"value":"boom"}',
      '{"ok":false,"value":"overflow"}',
      'undefined {"ok":true,"value":24}',
    ]);
  });
});

describe('rayon src/iter/test.rs: fold_with, map_with, for_each_with, update, while_some, take_any, skip_any', () => {
  it('fold_map_reduce (with fold_with), check_map_with, check_update, check_while_some, check_take_any/skip_any(_while)', async () => {
    const result = await ok(`
function main() {
  const r1 = range(0, 32).withMaxLen(1).foldWith([] as number[], (v, e) => { v.push(e); return v; }).map((v) => [v]).reduceWith((a, b) => { a.push(...b); return a; });
  console.log(JSON.stringify(r1) === JSON.stringify(Array.from({ length: 32 }, (_, i) => [i])), range(0, 100000).foldWith(0, (a, x) => a + x).sum());
  const init = { n: 0 };
  console.log(range(0, 10).mapWith(init, (st, x) => { st.n += 1; return x * 2 + st.n * 0; }).collect().join(","), init.n);
  const total = new AtomicUsize(0);
  range(0, 1000).forEachWith(5, (k, x) => { total.fetchAdd(k); });
  console.log(total.load());
  console.log(JSON.stringify(parIter([{ a: 1 }, { a: 2 }]).update((o) => { o.a *= 10; }).collect()));
  // As in Rayon, the None stops the piece that met it; a piece after it that a pool thread had already reached may still give its items (the 5).
  const w = parIter([1, 2, 3, undefined, 5]).whileSome().collect();
  console.log(w.slice(0, 3).join(",") + (w.length === 3 || (w.length === 4 && w[3] === 5) ? "" : " and " + w.slice(3)), range(0, 10).map((x) => (x < 7 ? x : undefined)).whileSome().count());
  console.log(range(0, 100).takeAny(5).count(), range(0, 100).skipAny(95).count(), range(0, 100).takeAnyWhile((x) => x < 10).count(), range(0, 100).skipAnyWhile((x) => x < 10).count());
}`);
    expect(result.lines).toEqual(['true 4999950000', '0,2,4,6,8,10,12,14,16,18 0', '5000', '[{"a":10},{"a":20}]', '1,2,3 7', '5 5 10 90']);
  });
});

describe('rayon sources and rayon-core: repeatn, once, empty, current_thread_index, in_place_scope', () => {
  it('repeatn/once/empty make par iterators; currentThreadIndex is undefined off the pool; in_place_scope joins its spawns', async () => {
    const result = await ok(`
import { repeatn, once, empty, currentThreadIndex, inPlaceScope, ThreadPoolBuilder } from "weft/par";
function main() {
  console.log(repeatn("x", 3).collect().join(""), once(5).collect().join(","), empty().count(), range(0, 3).copied().cloned().collect().join(","), range(0, 4).len());
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const [a, b] = pool.join(() => currentThreadIndex(), () => currentThreadIndex());
  console.log(currentThreadIndex(), pool.currentThreadIndex(), [a, b].every((i) => i === 0 || i === 1));
  const hits = new AtomicUsize(0);
  inPlaceScope((s) => { s.spawn(() => { hits.fetchAdd(1); }); s.spawn(() => { hits.fetchAdd(2); }); });
  inPlaceScope((s) => { s.spawn(() => { hits.fetchAdd(4); }); });
  console.log(hits.load());
}`);
    expect(result.lines).toEqual(['xxx 5 0 0,1,2 4', 'undefined undefined true', '7']);
  });
});

describe('rayon tests/named-threads.rs, run-pass/double_init_fail.rs: ThreadPoolBuilder.threadName and buildGlobal', () => {
  it('named_threads: the global pool built with threadName names every thread that runs the work; a second buildGlobal fails; a panicking name closure fails build', async () => {
    const result = await ok(`
import { ThreadPoolBuilder } from "weft/par";
import { current } from "weft/thread";
function main() {
  new ThreadPoolBuilder().threadName((i) => "hello-name-test-" + i).buildGlobal();
  // withMaxLen sends every piece to the pool (no sequential prefix on main).
  const names = range(0, 10000).withMaxLen(100).flatMap(() => { const n = current().name(); return n === undefined ? [] : [n]; }).collect();
  console.log(names.length, names.every((n) => n.startsWith("hello-name-test-")));
  try { new ThreadPoolBuilder().numThreads(1).buildGlobal(); console.log("second init accepted"); } catch (e: any) { console.log(e.message); }
  try { new ThreadPoolBuilder().numThreads(3).threadName((i) => { if (i >= 1) throw new Error("no name for " + i); return "x"; }).build(); console.log("built"); } catch (e: any) { console.log(e.message); }
}`);
    expect(result.lines).toEqual(['10000 true', 'The global thread pool has already been initialized.', 'no name for 1']);
  });
});

describe('rayon src/slice/test.rs: test_par_sort with a comparison that is no order', () => {
  it('a random comparator reorders the elements somehow, but keeps every one; sorting again sorts (upstream: 100 elements; here also 100,000, which weft sorts on the pool)', async () => {
    const result = await ok(`
import { parSortBy, parSortUnstableBy } from "weft/par";
function counts(a: ArrayLike<number>) { const c = [0, 0, 0, 0, 0]; for (let i = 0; i < a.length; i++) c[a[i] % 5]++; return c.join("/"); }
function main() {
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (const n of [100, 100000]) {
    const v = Array.from({ length: n }, (_, i) => i);
    const before = counts(v);
    parSortBy(v, () => [-1, 0, 1][Math.floor(Math.random() * 3)]);
    const kept = counts(v) === before;
    parSortBy(v, (a, b) => a - b);
    const w = Array.from({ length: n }, () => Math.floor(rnd() * 5));
    const wBefore = counts(w);
    parSortUnstableBy(w, (a, b) => (a > b) as unknown as number);
    console.log(n, kept, v.every((x, i) => x === i), counts(w) === wBefore);
  }
}`);
    expect(result.lines).toEqual(['100 true true true', '100000 true true true']);
  });
});

describe('rayon tests/sort-panic-safe.rs: a comparison that panics mid-sort', () => {
  it('sort_panic_safe: the panic comes out, and a sharedArray sorted in place still holds every element once (panics late in the pool\'s last merge round)', async () => {
    const result = await ok(`
import { parSortBy, sharedArray } from "weft/par";
import { AtomicI32 } from "weft/sync";
function main() {
  const n = 100000;
  const fill = () => { const a = sharedArray(Int32Array, n); for (let i = 0; i < n; i++) a[i] = (i * 7919) % n; return a; };
  const counted = new AtomicI32(0);
  parSortBy(fill(), (x, y) => { counted.fetchAdd(1); return x - y; });
  const total = counted.load();
  for (const back of [1000, 30000, 60000, 90000]) {
    const a = fill();
    const calls = new AtomicI32(0);
    const limit = total - back;
    let panicked = "no panic";
    try { parSortBy(a, (x, y) => { if (calls.fetchAdd(1) === limit) throw new Error("comparison panicked"); return x - y; }); } catch (e: any) { panicked = e.message; }
    const seen = new Uint8Array(n);
    let missing = 0;
    for (let i = 0; i < n; i++) seen[a[i]] = 1;
    for (let i = 0; i < n; i++) if (!seen[i]) missing++;
    console.log(panicked.includes("comparison panicked"), missing);
  }
}`);
    expect(result.lines).toEqual(['true 0', 'true 0', 'true 0', 'true 0']);
  });
});

describe('rayon src/slice/test.rs and src/slice/chunk_by.rs, src/iter/zip_eq.rs: rchunks, rchunks_exact, chunk_by, zip_eq', () => {
  it('test_par_rchunks_exact_remainder (two groups, the first item left over), par_rchunks order, par_chunk_by runs, zip_eq panics on unequal lengths', async () => {
    const result = await ok(`
function main() {
  const v = [0, 1, 2, 3, 4];
  console.log(JSON.stringify(parIter(v).rchunks(2).collect()), JSON.stringify(parIter(v).rchunksExact(2).collect()), parIter(v).rchunksExact(2).count());
  console.log(JSON.stringify(parIter([1, 1, 2, 3, 3, 3, 1]).chunkBy((a, b) => a === b).collect()), JSON.stringify(parIter([1, 2, 3, 2, 3, 4]).chunkBy((a, b) => a <= b).collect()), parIter([]).chunkBy(() => true).count());
  console.log(JSON.stringify(range(0, 3).zipEq([5, 6, 7]).collect()));
  try { range(0, 3).zipEq([1]).count(); console.log("zipped"); } catch (e: any) { console.log(e.message.startsWith("zipEq: the two sides have different lengths, 3 and 1")); }
}`);
    expect(result.lines).toEqual(['[[3,4],[1,2],[0]] [[3,4],[1,2]] 2', '[[1,1],[2],[3,3,3],[1]] [[1,2,3],[2,3,4]] 0', '[[0,5],[1,6],[2,7]]', 'true']);
  });
});

describe('rayon-core src/spawn/test.rs: spawn and ThreadPool.spawn', () => {
  it('spawn_then_join_in_worker, spawn_then_join_outside_worker; a spawned closure owns its captures (the channel closes when the last task ends); a panic is shown and poisons what it held', async () => {
    const result = await run(`
import { spawn, scope, ThreadPoolBuilder } from "weft/par";
import { mpsc, drop, Arc, Mutex } from "weft/sync";
import { sleep } from "weft/thread";
function main() {
  const [tx, rx] = mpsc.channel<number>();
  scope(() => { spawn(() => { tx.send(22); }); });
  const [tx2, rx2] = mpsc.channel<number>();
  spawn(() => { tx2.send(22); });
  console.log(rx.recv(), rx2.recv());
  const [tx3, rx3] = mpsc.channel<number>();
  for (let i = 0; i < 10; i++) { const t = tx3.clone(); spawn(() => { t.send(i); }); }
  drop(tx3);
  console.log([...rx3.iter()].sort((a, b) => a - b).join(","));
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const [tx4, rx4] = mpsc.channel<string>();
  pool.spawn(() => { tx4.send("from pool"); });
  console.log(rx4.recv());
  const m = new Arc(new Mutex(0)); const m2 = m.clone();
  const [tx5, rx5] = mpsc.channel<number>();
  spawn(() => { using g = m2.lock(); tx5.send(1); throw new Error("spawned boom"); });
  rx5.recv();
  for (let i = 0; i < 100 && !m.isPoisoned(); i++) sleep(5);
  console.log(m.isPoisoned());
}`);
    expect(result.outcome.status).toBe('ok');
    // The panic is shown as a thread's, from the worker; main may end before that line arrives (as with a thread nobody joins).
    expect(result.errors.every((e) => /^thread 'par-worker-\d' panicked: spawned boom$/.test(e.message))).toBe(true);
    expect(result.lines).toEqual(['22 22', '0,1,2,3,4,5,6,7,8,9', 'from pool', 'true']);
  });
});

describe('rayon-core src/scope/test.rs: scope_fifo', () => {
  it('fifo_order: on a one-thread pool, scope_fifo starts each thread\'s spawn_fifo closures in the order spawned, 0..100', async () => {
    const result = await ok(`
import { ThreadPoolBuilder, scopeFifo, type ScopeFifo } from "weft/par";
import { Mutex } from "weft/sync";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const vec = new Mutex<number[]>([]);
  pool.install(() => scopeFifo((s: ScopeFifo) => {
    for (let i = 0; i < 10; i++) s.spawnFifo((s2) => { for (let j = 0; j < 10; j++) s2.spawnFifo(() => { using g = vec.lock(); g.value.push(i * 10 + j); }); });
  }));
  using g = vec.lock();
  console.log(g.value.join(",") === Array.from({ length: 100 }, (_, k) => k).join(","), pool.scopeFifo((s) => { s.spawnFifo(() => {}); return 5; }));
}`);
    expect(result.lines).toEqual(['true 5']);
  });
});

describe('rayon tests/octillion.rs: the ends of a huge range', () => {
  it('find_first_octillion, find_last_octillion, find_any_octillion and position_last, over 0..2^50 (weft ranges hold safe integers, not u128): each answers at once', async () => {
    const result = await ok(`
function main() {
  const N = 2 ** 50;
  const started = Date.now();
  console.log(range(0, N).findFirst(() => true), range(0, N).findLast(() => true) === N - 1, range(0, N).findAny(() => true) !== undefined);
  console.log(range(0, N).positionLast(() => true) === N - 1, range(5, N).positionLast((x) => x % 3 === 0) === Math.floor((N - 1) / 3) * 3 - 5);
  console.log(range(0, 3000000).findLast((x) => x < 10), range(0, 3000000).findLast(() => false), range(7, 3000000).positionLast((x) => x === 7), Date.now() - started < 10000);
}`);
    expect(result.lines).toEqual(['0 true true', 'true true', '9 undefined 0 true']);
  });
});
