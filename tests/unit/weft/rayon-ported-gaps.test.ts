/**
 * Rayon behaviour the conformance suite had not ported, and where weft
 * disagreed: tuples (arrays) compare as Rust's Ord, lexicographically, in
 * min/max and the *ByKey terminals and in parSort; parSortByKey and the
 * other sorts of Rayon's ParallelSliceMut exist. Upstream: rayon
 * src/slice/test.rs (test_par_sort_stability, sort_by_key), src/iter/test.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok, run } = programsWith(`import { parIter, range, parSort, parSortBy, parSortByKey, parSortByCachedKey, parSortUnstable, parSortUnstableBy, parSortUnstableByKey } from "weft/par";
`);

describe('weft/par: Rust Ord for arrays (tuples)', () => {
  it('min, max, minByKey and maxByKey order tuples lexicographically, not as text', async () => {
    const result = await ok(`
function main() {
  const pairs = [[10, 1], [9, 2], [9, 1], [100, 0]];
  console.log(JSON.stringify(parIter(pairs).min()), JSON.stringify(parIter(pairs).max()));
  console.log(JSON.stringify(parIter(pairs).minByKey((p) => [p[1], p[0]])), JSON.stringify(parIter(pairs).maxByKey((p) => [p[1], -p[0]])));
  console.log(JSON.stringify(range(0, 1000).map((i) => [i % 7, -i]).max()));
}`);
    expect(result.lines).toEqual(['[9,1] [100,0]', '[100,0] [9,2]', '[6,-6]']);
  });

  it('min of objects, which have no Ord, is an error saying what to write', async () => {
    const result = await run(`
function main() {
  console.log(parIter([{ a: 1 }, { a: 0 }]).min());
}`);
    expect(result.errors[0]?.message).toMatch(/orders values as Rust's Ord does .* but met an object: say how to order it, with minBy/);
  });

  it('test_par_sort_stability: parSort of tuples, parSortBy on the first element keeps equal ones in order', async () => {
    const result = await ok(`
function main() {
  let seed = 7;
  const rng = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const le = (a: number[], b: number[]) => a[0] < b[0] || (a[0] === b[0] && a[1] <= b[1]);
  for (const len of [2, 24, 500, 20000]) {
    const counts = new Array(10).fill(0);
    const v = Array.from({ length: len }, () => { const n = rng() % 10; counts[n]++; return [n, counts[n]]; });
    const w = v.map((p) => [p[0], p[1]]);
    parSortBy(v, (a, b) => a[0] - b[0]);
    parSort(w);
    console.log(len, v.every((x, i) => i === 0 || le(v[i - 1], x)), JSON.stringify(v) === JSON.stringify(w));
  }
}`);
    expect(result.lines).toEqual(['2 true true', '24 true true', '500 true true', '20000 true true']);
  });

  it('parSortByKey, parSortByCachedKey and the unstable sorts', async () => {
    const result = await ok(`
function main() {
  const people = Array.from({ length: 50 }, (_, i) => ({ age: (i * 7) % 5, i }));
  parSortByKey(people, (p) => p.age);
  console.log("by key, stable:", people.every((p, k) => k === 0 || people[k - 1].age < p.age || (people[k - 1].age === p.age && people[k - 1].i < p.i)));
  const words = ["ccc", "a", "bb"]; parSortByCachedKey(words, (s) => s.length);
  const n = [5, -7, 3, -1]; parSortUnstableByKey(n, (x) => Math.abs(x));
  const u = [3, 2, 1]; parSortUnstable(u);
  const d = [1, 3, 2]; parSortUnstableBy(d, (a, b) => b - a);
  const t = [{ k: [2, "b"] }, { k: [1, "z"] }, { k: [2, "a"] }]; parSortByKey(t, (x) => x.k);
  console.log(JSON.stringify([words, n, u, d, t.map((x) => x.k)]));
}`);
    expect(result.lines).toEqual(['by key, stable: true', '[["a","bb","ccc"],[-1,3,5,-7],[1,2,3],[3,2,1],[[1,"z"],[2,"a"],[2,"b"]]]']);
  });
});

describe('rayon src/iter/test.rs: adapters weft lacked', () => {
  it('check_chain, check_skip, check_take, check_rev, check_step_by, check_flatten_vec, check_unzip, check_partition, positions, filter_map, find_map_*, par_extend, collect_into_vec', async () => {
    const result = await ok(`
import { parExtend } from "weft/par";
function main() {
  // check_chain: (0..10).chain(10..20) and three arrays chained
  console.log(range(0, 3).chain(range(10, 12).map((x) => -x)).chain([7]).collect().join(","));
  const sum = range(0, 1000).chain(range(1000, 2000)).map((x) => x * 2).sum();
  console.log("chain sum", sum === 1999 * 2000);
  // check_skip / check_take: past the end too
  console.log(range(0, 10).skip(3).take(4).collect().join(","), range(0, 3).skip(5).count(), range(0, 3).take(5).count());
  // check_rev, check_step_by, check_step_by_rev
  console.log(range(0, 5).rev().collect().join(","), range(0, 10).stepBy(3).collect().join(","), range(0, 10).stepBy(3).rev().collect().join(","));
  // check_flatten_vec
  console.log(parIter([[1, 2], [], [3, 4, 5]]).flatten().collect().join(","));
  // check_unzip, check_partition
  const [a, b] = range(0, 5).map((i) => [i, i * i]).unzip();
  const [even, odd] = range(0, 10).partition((x) => x % 2 === 0);
  console.log(a.join(","), b.join(","), even.join(","), odd.join(","));
  // filter_map, positions, find_map_first / last, product
  console.log(range(0, 10).filterMap((x) => (x % 3 === 0 ? x * 2 : undefined)).collect().join(","), parIter([1, 5, 2, 5]).positions((x) => x === 5).collect().join(","));
  console.log(range(0, 100).findMapFirst((x) => (x > 10 && x % 7 === 0 ? "s" + x : undefined)), range(0, 100).findMapLast((x) => (x % 7 === 0 ? x : null)), range(1, 6).product(), parIter([] as number[]).product());
  // check_extend_items, check_extend_pairs, collect_into_vec
  const v = [0]; parExtend(v, range(1, 4).map((x) => x * 2));
  const s = new Set([1]); parExtend(s, parIter([1, 2, 2, 3]));
  const m = new Map<number, number>(); parExtend(m, range(0, 3).map((i) => [i, i * i]));
  const into = [9, 9, 9, 9]; range(0, 2).collectIntoVec(into);
  console.log(JSON.stringify([v, [...s], [...m], into]));
}`);
    expect(result.lines).toEqual([
      '0,1,2,-10,-11,7',
      'chain sum true',
      '3,4,5,6 0 3',
      '4,3,2,1,0 0,3,6,9 9,6,3,0',
      '1,2,3,4,5',
      '0,1,2,3,4 0,1,4,9,16 0,2,4,6,8 1,3,5,7,9',
      '0,6,12,18 1,3',
      's14 98 120 1',
      '[[0,2,4,6],[1,2,3],[[0,0],[1,1],[2,4]],[0,1]]',
    ]);
  });
});

describe('rayon src/iter/test.rs: check_windows, check_chunks_exact', () => {
  it('windows and chunksExact give the slice methods\' groups', async () => {
    const result = await ok(`
function main() {
  const a = Array.from({ length: 1024 }, (_, i) => i);
  const seq = (n: number) => { const out = []; for (let i = 0; i + n <= a.length; i++) out.push(a.slice(i, i + n)); return out; };
  console.log(JSON.stringify(parIter(a).windows(2).collect()) === JSON.stringify(seq(2)), JSON.stringify(parIter(a).windows(100).collect()) === JSON.stringify(seq(100)), parIter(a).windows(1_000_000).count());
  const z = parIter(a).windows(2).chain(parIter(a).windows(1_000_000)).zip(parIter(a).windows(2)).collect();
  console.log(z.length, z.every(([x, y]) => JSON.stringify(x) === JSON.stringify(y)));
  console.log(JSON.stringify(range(0, 10).chunksExact(3).collect()), range(0, 2).chunksExact(3).count());
}`);
    expect(result.lines).toEqual(['true true 0', '1023 true', '[[0,1,2],[3,4,5],[6,7,8]] 0']);
  });
});

describe('rayon src/iter/test.rs: check_map_init, check_for_each_init', () => {
  it('mapInit gives each piece of work its own state; forEachInit visits every item', async () => {
    const result = await ok(`
import { AtomicI32 } from "weft/sync";
function main() {
  const a = Array.from({ length: 1024 }, (_, i) => i);
  const b = parIter(a).mapInit(() => 2, (i, x) => i * x).collect();
  const inits = new AtomicI32(0);
  const sum = range(0, 100000).mapInit(() => { inits.fetchAdd(1); return { buf: [] as number[] }; }, (st, x) => { st.buf.push(x); return x; }).sum();
  const seen = new AtomicI32(0);
  range(0, 500).forEachInit(() => 0, () => { seen.fetchAdd(1); });
  console.log(b.every((v, k) => v === 2 * k), sum, inits.load() >= 1 && inits.load() < 100000, seen.load());
}`);
    expect(result.lines).toEqual(['true 4999950000 true 500']);
  });
});

describe('rayon-core src/broadcast/test.rs: broadcast and spawnBroadcast', () => {
  it('broadcast_global, spawn_broadcast_global, broadcast_pool, spawn_broadcast_pool, broadcast_self, spawn_broadcast_self, broadcast_mutual, spawn_broadcast_mutual, broadcast_sleep_race', async () => {
    const result = await ok(`
import { broadcast, spawnBroadcast, currentNumThreads, ThreadPoolBuilder, ThreadPool } from "weft/par";
import { mpsc, AtomicUsize, Ordering, Arc, drop } from "weft/sync";
import { sleep } from "weft/thread";
function main() {
  const seq = (n: number) => Array.from({ length: n }, (_, i) => i).join(",");
  console.log("broadcast_global", broadcast((ctx) => ctx.index()).join(",") === seq(currentNumThreads()));
  {
    const [tx, rx] = mpsc.channel<number>();
    spawnBroadcast((ctx) => tx.send(ctx.index()));
    console.log("spawn_broadcast_global", [...rx.iter()].sort().join(",") === seq(currentNumThreads()));
  }
  const pool = new ThreadPoolBuilder().numThreads(7).build();
  console.log("broadcast_pool", pool.broadcast((ctx) => [ctx.index(), ctx.numThreads()].join("/")).join(" "));
  {
    const [tx, rx] = mpsc.channel<number>();
    pool.spawnBroadcast((ctx) => tx.send(ctx.index()));
    console.log("spawn_broadcast_pool", [...rx.iter()].sort().join(","));
  }
  console.log("broadcast_self", pool.install(() => broadcast((ctx) => ctx.index())).join(","));
  {
    const [tx, rx] = mpsc.channel<number>();
    pool.spawn(() => { spawnBroadcast((ctx) => tx.send(ctx.index())); });
    console.log("spawn_broadcast_self", [...rx.iter()].sort().join(","));
  }
  {
    const count = new AtomicUsize(0);
    const pool1 = new ThreadPoolBuilder().numThreads(3).build();
    const pool2 = new ThreadPoolBuilder().numThreads(7).build();
    pool1.install(() => pool2.broadcast((_) => pool1.broadcast((_) => { count.fetchAdd(1, Ordering.Relaxed); })));
    console.log("broadcast_mutual", count.load());
  }
  {
    const [tx, rx] = mpsc.channel<void>();
    const pool1 = new Arc(new ThreadPoolBuilder().numThreads(3).build());
    const pool2 = new ThreadPoolBuilder().numThreads(7).build();
    const p1 = pool1.clone();
    pool1.spawn(() => {
      pool2.spawnBroadcast((_) => {
        const tx2 = tx.clone();
        p1.spawnBroadcast((_) => tx2.send(undefined));
      });
    });
    console.log("spawn_broadcast_mutual", [...rx.iter()].length);
  }
  const start = Date.now();
  let rounds = 0;
  while (Date.now() - start < 300) { pool.broadcast((ctx) => sleep(ctx.index() / 1000)); rounds++; }
  console.log("broadcast_sleep_race", rounds > 0);
}`);
    expect(result.lines).toEqual([
      'broadcast_global true',
      'spawn_broadcast_global true',
      'broadcast_pool 0/7 1/7 2/7 3/7 4/7 5/7 6/7',
      'spawn_broadcast_pool 0,1,2,3,4,5,6',
      'broadcast_self 0,1,2,3,4,5,6',
      'spawn_broadcast_self 0,1,2,3,4,5,6',
      'broadcast_mutual 21',
      'spawn_broadcast_mutual 21',
      'broadcast_sleep_race true',
    ]);
  });

  it('broadcast_panic_one, broadcast_panic_many: every call runs, then the panic comes out; spawn_broadcast_panic_one/many: each panic is shown, the other calls run', async () => {
    const result = await run(`
import { ThreadPoolBuilder } from "weft/par";
import { mpsc, AtomicUsize, drop } from "weft/sync";
import { sleep } from "weft/thread";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(7).build();
  for (const many of [false, true]) {
    const count = new AtomicUsize(0);
    try {
      pool.broadcast((ctx) => { count.fetchAdd(1); if (many ? ctx.index() % 2 === 0 : ctx.index() === 3) throw new Error("Hello, world!"); return ctx.index(); });
      console.log("no panic");
    } catch (e: any) { console.log(many ? "broadcast_panic_many" : "broadcast_panic_one", count.load(), e.message); }
  }
  for (const many of [false, true]) {
    const [tx, rx] = mpsc.channel<void>();
    pool.spawnBroadcast((ctx) => { tx.send(undefined); if (many ? ctx.index() % 2 === 0 : ctx.index() === 3) throw new Error("spawned " + ctx.index()); });
    console.log(many ? "spawn_broadcast_panic_many" : "spawn_broadcast_panic_one", [...rx.iter()].length);
  }
  drop(pool);
  sleep(200); // the workers' panic reports reach the page on their own; give the last one time to arrive

}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['broadcast_panic_one 7 Hello, world!', 'broadcast_panic_many 7 Hello, world!', 'spawn_broadcast_panic_one 7', 'spawn_broadcast_panic_many 7']);
    // One panic shown for each call that panicked: index 3, then 0, 2, 4 and 6 (Rayon's panic handler counts 1 and 4).
    expect(result.errors.map((e) => e.message.replace(/^thread 'par-worker-\d' panicked: /, '')).sort()).toEqual(['spawned 0', 'spawned 2', 'spawned 3', 'spawned 4', 'spawned 6']);
  });
});

describe('rayon-core src/join/test.rs and rayon src/iter/test.rs: join_context, split', () => {
  it('join_context_second: in a pool of 2, the second closure migrates and the first does not; weft runs the first where joinContext is called', async () => {
    const result = await ok(`
import { ThreadPoolBuilder, joinContext } from "weft/par";
import { Barrier } from "weft/sync";
function main() {
  const barrier = new Barrier(2);
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const [a, b] = pool.install(() => joinContext((a) => { barrier.wait(); return a.migrated(); }, (b) => { barrier.wait(); return b.migrated(); }));
  console.log("join_context_second", a, b);
  const [x, y] = joinContext((a) => [a.migrated(), 1], (b) => 2);
  console.log("outside a pool, a runs here:", x.join(), y);
}`);
    expect(result.lines).toEqual(['join_context_second false true', 'outside a pool, a runs here: false,1 2']);
  });

  it('check_split, clone_splitter; the pieces are cut as Rayon cuts them when nothing is stolen', async () => {
    const result = await ok(`
import { split, ThreadPoolBuilder } from "weft/par";
function main() {
  const a = range(0, 1024).collect();
  const b = split([0, 1024], ([start, end]) => {
    const mid = Math.floor((end - start) / 2);
    return mid > start ? [[start, mid], [mid, end]] : [[start, end], undefined];
  }).flatMap(([s, e]) => Array.from({ length: e - s }, (_, i) => s + i)).collect();
  console.log("check_split", JSON.stringify(a) === JSON.stringify(b));
  console.log("clone_splitter", split(5, (x) => [x, undefined]).collect().join());
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const pieces = pool.install(() => split([0, 1000], ([s, e]) => (e - s > 1 ? [[s, (s + e) >> 1], [(s + e) >> 1, e]] : [[s, e], undefined])).collect());
  console.log(pool.currentNumThreads(), JSON.stringify(pieces));
}`);
    expect(result.lines.slice(0, 2)).toEqual(['check_split true', 'clone_splitter 5']);
    // Rayon's splitter starts with a budget of the pool's thread count and halves it per level: 2 threads cut twice.
    expect(result.lines[2]).toBe('2 [[0,250],[250,500],[500,750],[750,1000]]');
  });
});
