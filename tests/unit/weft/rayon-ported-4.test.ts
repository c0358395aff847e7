/**
 * A fourth round of Rayon's tests ported to weft/par, for what Rayon 1.6.1
 * and rayon-core 1.10.1 have and weft lacked. Each case names the upstream
 * tests it ports. Upstream: rayon-core src/spawn/test.rs (*_order),
 * src/thread_pool/test.rs (spawn_*_order, in_place_scope_fifo_no_deadlock),
 * src/scope/test.rs (nested_*_order, mixed_*_order, scope_*spawn_broadcast*),
 * max_num_threads, current_thread_has_pending_tasks; rayon
 * src/iter/fold_chunks.rs and fold_chunks_with.rs, src/iter/test.rs
 * (check_partition_map, check_unzip_into_vecs, check_while_some,
 * check_repeat_*, check_repeatn_zip_*, check_slice_split), tests/clones.rs,
 * tests/str.rs, tests/par_bridge_recursion.rs, tests/drain_vec.rs.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok, run } = programsWith(`import { parIter, range, ThreadPoolBuilder, spawn, spawnFifo } from "weft/par";
import { mpsc, drop, AtomicUsize } from "weft/sync";
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
  it('lifo_order and fifo_order: spawn from a pool thread starts the newest first, spawnFifo the oldest', async () => {
    expect((await ok(testOrder('spawn', 'spawn'))).lines).toEqual([seq(upTo(100).reverse())]);
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
  const two = new ThreadPoolBuilder().numThreads(2).build();
  const r2 = two.install(() => inPlaceScopeFifo((s) => { s.spawnFifo(() => { tx2.send("free"); }); return rx2.recv(); }));
  console.log(r, r2);
}`);
    expect(result.lines).toEqual(['sent free']);
  });

  it("install holds one of the pool's threads, as Rayon's runs on one: inside install on a one-thread pool, in_place_scope's spawn has no thread to run on", async () => {
    const result = await run(`
import { inPlaceScopeFifo } from "weft/par";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel<string>();
  pool.install(() => inPlaceScopeFifo((s) => { s.spawnFifo(() => { tx.send("never"); }); return rx.recv(); }));
}`);
    expect(result.outcome.status).toBe('deadlock');
    expect(result.errors.map((e) => e.message)).toContain("'par-worker-1' is blocked waiting for its place in the thread pool, which another thread holds to run install's or a pool scope's closure");
  });
});

describe('rayon-core src/scope/test.rs: Scope.spawnBroadcast, ScopeFifo.spawnBroadcast', () => {
  it('scope_spawn_broadcast, scope_fifo_spawn_broadcast, scope_spawn_broadcast_nested: one call per pool thread, each with its index, and the scope waits for them', async () => {
    const result = await ok(`
import { scope, scopeFifo, currentNumThreads } from "weft/par";
function main() {
  const sum = new AtomicUsize(0);
  const n = scope((s) => { s.spawnBroadcast((_, ctx) => { sum.fetchAdd(ctx.index()); }); return currentNumThreads(); });
  console.log(sum.load() === (n * (n - 1)) / 2);
  const sum2 = new AtomicUsize(0);
  const n2 = scopeFifo((s) => { s.spawnBroadcast((_, ctx) => { sum2.fetchAdd(ctx.index()); }); return currentNumThreads(); });
  console.log(sum2.load() === (n2 * (n2 - 1)) / 2);
  const sum3 = new AtomicUsize(0);
  const n3 = scope((s) => { s.spawnBroadcast((s2) => { s2.spawnBroadcast((_, ctx) => { sum3.fetchAdd(ctx.index()); }); }); return currentNumThreads(); });
  console.log(sum3.load() === (n3 * n3 * (n3 - 1)) / 2, n > 0);
}`);
    expect(result.lines).toEqual(['true', 'true', 'true true']);
  });

  it('scope_spawn_broadcast_barrier: the seven calls and the scope body meet at one barrier', async () => {
    const result = await ok(`
import { Barrier } from "weft/sync";
function main() {
  const barrier = new Barrier(8);
  const pool = new ThreadPoolBuilder().numThreads(7).build();
  pool.inPlaceScope((s) => {
    s.spawnBroadcast(() => { barrier.wait(); });
    barrier.wait();
  });
  console.log("met");
}`);
    expect(result.lines).toEqual(['met']);
  });

  it('scope_spawn_broadcast_panic_one and _panic_many: every call runs, and the scope rethrows the panic', async () => {
    const result = await ok(`
function main() {
  for (const many of [false, true]) {
    const count = new AtomicUsize(0);
    const pool = new ThreadPoolBuilder().numThreads(7).build();
    let message = "no panic";
    try {
      pool.scope((s) => { s.spawnBroadcast((_, ctx) => { count.fetchAdd(1); if (many ? ctx.index() % 2 === 0 : ctx.index() === 3) throw new Error("Hello, world!"); }); });
    } catch (e) { message = (e as Error).message; }
    console.log(count.load(), message);
  }
}`);
    expect(result.lines).toEqual(['7 Hello, world!', '7 Hello, world!']);
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

describe('rayon src/iter/fold_chunks.rs and fold_chunks_with.rs', () => {
  it('check_fold_chunks(_with), check_fold_chunks_even_size, check_fold_chunks(_with)_empty, check_fold_chunks_len, check_fold_chunks_uneven (and reversed)', async () => {
    const result = await ok(`
const sum = (a: number, b: number) => a + b;
function main() {
  const chars = "bishbashbosh!".split("");
  console.log(parIter(chars).foldChunks(4, () => "", (s, c) => s + c).collect().join(","), parIter(chars).foldChunksWith(4, "", (s, c) => s + c).collect().join(","));
  console.log(range(1, 10).foldChunks(3, () => 0, sum).collect().join(","), range(1, 10).foldChunksWith(3, 0, sum).collect().join(","));
  console.log(parIter([] as number[]).foldChunks(2, () => 0, sum).count(), parIter([] as number[]).foldChunksWith(2, 0, sum).count());
  const lens = [[0, 8, 2], [0, 9, 3], [0, 8, 3], [0, 0, 3]].map(([a, b, n]) => range(a, b).foldChunks(n, () => 0, sum).len());
  console.log(lens.join(","), parIter([1]).foldChunks(3, () => 0, sum).len(), range(0, 8).foldChunksWith(3, 0, sum).len());
  const cases: [number[], number][] = [[[0, 1, 2, 3, 4], 3], [[1], 5], [[0, 1, 2, 3], 3]];
  for (const [v, n] of cases) {
    const res = [9];
    parIter(v).foldChunks(n, () => 0, sum).collectIntoVec(res);
    console.log(res.join(","), parIter(v).foldChunksWith(n, 0, sum).rev().collect().join(","));
  }
  // Big enough for the pool: each group is still the sum of its own 7 items.
  const big = range(0, 100000).foldChunks(7, () => 0, sum).collect();
  console.log(big.length, big.every((s, k) => s === (k === big.length - 1 ? range(k * 7, 100000).sum() : 49 * k + 21)));
}`);
    expect(result.lines).toEqual(['bish,bash,bosh,! bish,bash,bosh,!', '6,15,24 6,15,24', '0 0', '4,3,3,0 1 3', '3,7 7,3', '1 1', '3,3 3,3', '14286 true']);
  });

  it('check_fold_chunks_zero_size: panics with chunk_size must not be zero', async () => {
    const result = await run(`
function main() {
  range(1, 4).foldChunks(0, () => 0, (a, b) => a + b).collect();
}`);
    expect(result.errors[0]?.message).toMatch(/chunk_size must not be zero/);
  });
});

describe('rayon ParallelIterator: try_fold, try_fold_with, try_for_each_with, try_for_each_init', () => {
  it('each piece gives a Result: its accumulator, or the failure that stopped it; tryReduce combines them', async () => {
    const result = await ok(`
const add = (a: number, x: number) => ({ ok: true as const, value: a + x });
function main() {
  const parts = range(0, 1000).withMaxLen(100).tryFold(() => 0, add).collect();
  console.log(parts.length >= 10, parts.every((r) => r.ok), parts.reduce((s, r) => s + (r.value as number), 0));
  console.log(JSON.stringify(range(0, 10).tryFoldWith(0, add).tryReduce(() => 0, (a, b) => ({ ok: true, value: a + b }))));
  const seen = new AtomicUsize(0);
  const failed = range(0, 2048).tryFold(() => 0, (a, x) => { seen.fetchAdd(1); return x === 100 ? { ok: false, value: "bad " + x } : { ok: true, value: a + x }; });
  console.log(JSON.stringify(failed.tryReduce(() => 0, (a, b) => ({ ok: true, value: a + b }))), seen.load() < 2048);
  console.log(JSON.stringify(parIter([] as number[]).tryFold(() => 7, add).collect()));
  // try_for_each_with / try_for_each_init: a state per piece, as map_with / map_init
  const sum = new AtomicUsize(0);
  console.log(JSON.stringify(range(0, 100).tryForEachWith(10, (k, x) => { sum.fetchAdd(k); return x === 64 ? { ok: false, value: x } : { ok: true, value: undefined }; })));
  console.log(JSON.stringify(range(0, 100).tryForEachInit(() => [] as number[], (seen, x) => { seen.push(x); return { ok: true, value: seen.length }; })), sum.load() >= 10 * 65);
}`);
    expect(result.lines).toEqual(['true true 499500', '{"ok":true,"value":45}', '{"ok":false,"value":"bad 100"} true', '[{"ok":true,"value":7}]', '{"ok":false,"value":64}', '{"ok":true} true']);
  });
});

describe('rayon src/iter/test.rs: partition_map, unzip_into_vecs, while_some, repeat', () => {
  it('check_partition_map with Either, check_unzip_into_vecs', async () => {
    const result = await ok(`
import { Either } from "weft/par";
function main() {
  const [a, b] = parIter("a b c 1 2 3 x y z".split(" ")).partitionMap((s) => (/^\\d+$/.test(s) ? Either.left(Number(s)) : Either.right(s)));
  console.log(JSON.stringify(a), b.join(""));
  const xs = [9], ys = [9];
  range(0, 1024).map((i) => i * i).enumerate().unzipIntoVecs(xs, ys);
  console.log(xs.length, xs.every((x, i) => x === i), ys.every((y, i) => y === i * i));
  console.log(JSON.stringify(Either.left(1)), JSON.stringify(Either.right("r")));
}`);
    expect(result.lines).toEqual(['[1,2,3] abcxyz', '1024 true true', '{"left":true,"value":1} {"left":false,"value":"r"}']);
  });

  it('check_while_some: a None stops the iterator without visiting every item', async () => {
    const result = await ok(`
function main() {
  console.log(range(0, 2048).map((x) => x).whileSome().max());
  const counter = new AtomicUsize(0);
  const value = range(0, 2048).map((x) => { counter.fetchAdd(1); return x < 1024 ? x : undefined; }).whileSome().max();
  console.log(value < 1024, counter.load() < 2048);
}`);
    expect(result.lines).toEqual(['2047', 'true true']);
  });

  it('check_repeat_find_any, check_repeat_take, check_repeat_zip, check_repeatn_zip_left/right, clone_repeat', async () => {
    const result = await ok(`
import { repeat, repeatn } from "weft/par";
function main() {
  console.log(repeat(4).findAny((x) => x % 2 === 0), repeat(4).take(4).collect().join(","));
  const v = [4, 4, 4, 4];
  const pairs = (p: number[][]) => p.length + ":" + p.every(([a, b]) => a === 4 && b === 4);
  console.log(pairs(repeat(4).zip(v).collect()), pairs(repeatn(4, Number.MAX_SAFE_INTEGER).zip(v).collect()), pairs(parIter(v).zip(repeatn(4, Number.MAX_SAFE_INTEGER)).collect()));
  console.log(repeat(undefined).whileSome().count(), repeatn(undefined, 1000).count());
  const objs = repeatn({ n: 1 }, 3).collect(); objs[0].n = 2;
  console.log(JSON.stringify(objs));
}`);
    expect(result.lines).toEqual(['4 4,4,4,4', '4:true 4:true 4:true', '0 1000', '[{"n":2},{"n":1},{"n":1}]']);
  });
});

describe('rayon tests/clones.rs: a par iterator and its clone give the same items', () => {
  it('clone_range, clone_vec, clone_str, clone_hash_map, clone_hash_set, clone_adaptors (the fold_chunks, try_fold and positions ones included), clone_empty, clone_once, clone_repeat', async () => {
    const result = await ok(`
import { empty, once, repeat, repeatn, parSplit, parChars, parLines, parSplitTerminator, parSplitWhitespace } from "weft/par";
const ok = (x: number) => ({ ok: true, value: x });
const TEXT = "use rayon::prelude::*;\\n\\nfn check<I>(iter: I)\\nwhere\\n    I: ParallelIterator + Clone,\\n{\\n    let a: Vec<_> = iter.clone().collect();\\n}\\n";
function main() {
  const check = (it: any) => JSON.stringify(it.clone().collect()) === JSON.stringify(it.collect());
  const v = Array.from({ length: 1000 }, (_, i) => i);
  const checks = [
    check(range(0, 1000)), check(parIter(v)), check(parIter(v).chunks(42)), check(parIter(v).rev()),
    check(parIter(v).chain(v)), check(parIter(v).enumerate()), check(parIter(v).filter(() => true)),
    check(parIter(v).withMaxLen(1).fold(() => 0, (x) => x)), check(parIter(v).withMaxLen(1).foldWith(0, (x) => x)),
    check(parIter(v).withMaxLen(1).foldChunks(1, () => 0, (x) => x)), check(parIter(v).withMaxLen(1).foldChunksWith(1, 0, (x) => x)),
    check(parIter(v).withMaxLen(1).tryFold(() => 0, (_, x) => ok(x))), check(parIter(v).withMaxLen(1).tryFoldWith(0, (_, x) => ok(x))),
    check(parIter(v).positions(() => true)), check(parIter(v).map((x) => x).whileSome()), check(parIter(v).skip(1)), check(parIter(v).take(1)),
    check(parIter(v).zip(v)), check(parIter(v).zipEq(v)), check(parIter(v).stepBy(2)), check(parIter(v).mapWith(0, (_, x) => x)),
    check(empty<number>()), check(once(10)), check(repeat(undefined).whileSome()), check(repeatn(undefined, 1000)),
    // clone_vec's slice iterators, clone_str's, clone_hash_map/set, and the rest of clone_adaptors
    check(parIter(v).chunksExact(42)), check(parIter(v).rchunks(42)), check(parIter(v).rchunksExact(42)), check(parIter(v).windows(42)), check(parSplit(v, (x) => x % 3 === 0)),
    check(parChars(TEXT)), check(parLines(TEXT)), check(parSplit(TEXT, "\\n")), check(parSplitTerminator(TEXT, "\\n")), check(parSplitWhitespace(TEXT)),
    check(parIter(new Map(v.map((x) => [x, -x])))), check(parIter(new Set(v))), check(parIter(v).flatMap((x) => [x])), check(parIter(v).flatMapIter((x) => [x])),
    check(parIter(v).inspect(() => {})), check(parIter(v).update(() => {})), check(parIter(v).interleave(v)), check(parIter(v).interleaveShortest(v)),
    check(parIter(v).intersperse(-1)), check(parIter(v).mapInit(() => 0, (_, x) => x)), check(parIter(v).panicFuse()), check(parIter(v).withMinLen(1)), check(parIter(v).copied().cloned()),
  ];
  console.log(checks.length, checks.every(Boolean), parIter(v).positions((x) => x % 100 === 0).collect().join(","));
}`);
    expect(result.lines).toEqual(['48 true 0,100,200,300,400,500,600,700,800,900']);
  });
});

describe('rayon tests/str.rs: ParallelString; ParallelSlice::par_split', () => {
  it('execute_strings: parChars, parBytes, parEncodeUtf16, parCharIndices give what the sequential walks do', async () => {
    const result = await ok(`
import { parChars, parBytes, parEncodeUtf16, parCharIndices } from "weft/par";
function main() {
  let seed = 12345;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  // 1,024 random characters of every plane (surrogates left out, as Rust's char has none).
  const s = Array.from({ length: 1024 }, () => { const c = next() % 0x110000; return String.fromCodePoint(c >= 0xd800 && c < 0xe000 ? c - 0x800 : c); }).join("");
  const chars = Array.from(s);
  console.log(parChars(s).collect().join("") === s, parChars(s).count() === 1024);
  console.log(parChars(s).filter((c) => (c.codePointAt(0)! & 1) === 0).collect().join("") === chars.filter((c) => (c.codePointAt(0)! & 1) === 0).join(""));
  console.log(parIter(parChars(s).collect()).collect().join("") === s);
  console.log(JSON.stringify(parBytes(s).collect()) === JSON.stringify(Array.from(new TextEncoder().encode(s))));
  console.log(JSON.stringify(parEncodeUtf16(s).collect()) === JSON.stringify(Array.from({ length: s.length }, (_, i) => s.charCodeAt(i))));
  let i = 0;
  const serial = chars.map((c) => { const at = i; i += c.length; return [at, c]; });
  console.log(JSON.stringify(parCharIndices(s).collect()) === JSON.stringify(serial), JSON.stringify(parCharIndices("a\u{1F980}b").collect()));
}`);
    expect(result.lines).toEqual(['true true', 'true', 'true', 'true', 'true', 'true [[0,"a"],[1,"🦀"],[3,"b"]]']);
  });

  it('execute_strings_split: parSplit (char, char array, closure), parSplitTerminator, parLines, parSplitWhitespace, parMatches, parMatchIndices, against Rust\'s str methods', async () => {
    const result = await ok(`
import { parSplit, parSplitTerminator, parLines, parSplitWhitespace, parMatches, parMatchIndices } from "weft/par";
const CASES: [string, string][] = [["Mary had a little lamb", " "], ["", "X"], ["lionXXtigerXleopard", "X"], ["||||a||b|c", "|"], ["(///)", "/"], ["010", "0"], ["    a  b c", " "], ["A.B.", "."], ["A..B..", "."], ["foo\\r\\nbar\\n\\nbaz\\n", "\\n"], ["foo\\nbar\\n\\r\\nbaz", "\\n"], ["A few words", " "], [" Mary   had\\ta little  \\n\\t lamb", " "], ["fn main() {\\n    let s = \\"🦀 crab 🦀\\";\\r\\n}\\n", " "]];
function main() {
  const j = (x: unknown) => JSON.stringify(x);
  for (const [s, sep] of CASES) {
    const pat = ["\\u{0}", sep, "\\u{1F980}"];
    // Rust's match_indices gives UTF-8 byte offsets, weft string indices: compared as bytes here.
    const bytes = (i: number) => new TextEncoder().encode(s.slice(0, i)).length;
    console.log([
      j(parSplit(s, sep).collect()), j(parSplit(s, pat).collect()), j(parSplit(s, (c) => c === sep).collect()),
      j(parSplitTerminator(s, sep).collect()), j(parSplitTerminator(s, pat).collect()),
      j(parLines(s).collect()), j(parSplitWhitespace(s).collect()),
      j(parMatches(s, sep).collect()), j(parMatches(s, pat).collect()), j(parMatchIndices(s, sep).collect().map(([i, m]) => [bytes(i), m])),
    ].join(" "));
  }
  console.log(j(parSplit("abc", "").collect()));
  console.log(j(parSplit("a--b----c", "--").collect()));
}`);
    // What Rust 1.95's str::split, split_terminator, lines, split_whitespace, matches and match_indices print for the same cases.
    expect(result.lines).toEqual(["[\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\"Mary had a little lamb\"] [\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\" \",\" \",\" \",\" \"] [\" \",\" \",\" \",\" \"] [[4,\" \"],[8,\" \"],[10,\" \"],[17,\" \"]]", "[\"\"] [\"\"] [\"\"] [] [] [] [] [] [] []", "[\"lion\",\"\",\"tiger\",\"leopard\"] [\"lion\",\"\",\"tiger\",\"leopard\"] [\"lion\",\"\",\"tiger\",\"leopard\"] [\"lion\",\"\",\"tiger\",\"leopard\"] [\"lion\",\"\",\"tiger\",\"leopard\"] [\"lionXXtigerXleopard\"] [\"lionXXtigerXleopard\"] [\"X\",\"X\",\"X\"] [\"X\",\"X\",\"X\"] [[4,\"X\"],[5,\"X\"],[11,\"X\"]]", "[\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"||||a||b|c\"] [\"||||a||b|c\"] [\"|\",\"|\",\"|\",\"|\",\"|\",\"|\",\"|\"] [\"|\",\"|\",\"|\",\"|\",\"|\",\"|\",\"|\"] [[0,\"|\"],[1,\"|\"],[2,\"|\"],[3,\"|\"],[5,\"|\"],[6,\"|\"],[8,\"|\"]]", "[\"(\",\"\",\"\",\")\"] [\"(\",\"\",\"\",\")\"] [\"(\",\"\",\"\",\")\"] [\"(\",\"\",\"\",\")\"] [\"(\",\"\",\"\",\")\"] [\"(///)\"] [\"(///)\"] [\"/\",\"/\",\"/\"] [\"/\",\"/\",\"/\"] [[1,\"/\"],[2,\"/\"],[3,\"/\"]]", "[\"\",\"1\",\"\"] [\"\",\"1\",\"\"] [\"\",\"1\",\"\"] [\"\",\"1\"] [\"\",\"1\"] [\"010\"] [\"010\"] [\"0\",\"0\"] [\"0\",\"0\"] [[0,\"0\"],[2,\"0\"]]", "[\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"\",\"\",\"\",\"\",\"a\",\"\",\"b\",\"c\"] [\"    a  b c\"] [\"a\",\"b\",\"c\"] [\" \",\" \",\" \",\" \",\" \",\" \",\" \"] [\" \",\" \",\" \",\" \",\" \",\" \",\" \"] [[0,\" \"],[1,\" \"],[2,\" \"],[3,\" \"],[5,\" \"],[6,\" \"],[8,\" \"]]", "[\"A\",\"B\",\"\"] [\"A\",\"B\",\"\"] [\"A\",\"B\",\"\"] [\"A\",\"B\"] [\"A\",\"B\"] [\"A.B.\"] [\"A.B.\"] [\".\",\".\"] [\".\",\".\"] [[1,\".\"],[3,\".\"]]", "[\"A\",\"\",\"B\",\"\",\"\"] [\"A\",\"\",\"B\",\"\",\"\"] [\"A\",\"\",\"B\",\"\",\"\"] [\"A\",\"\",\"B\",\"\"] [\"A\",\"\",\"B\",\"\"] [\"A..B..\"] [\"A..B..\"] [\".\",\".\",\".\",\".\"] [\".\",\".\",\".\",\".\"] [[1,\".\"],[2,\".\"],[4,\".\"],[5,\".\"]]", "[\"foo\\r\",\"bar\",\"\",\"baz\",\"\"] [\"foo\\r\",\"bar\",\"\",\"baz\",\"\"] [\"foo\\r\",\"bar\",\"\",\"baz\",\"\"] [\"foo\\r\",\"bar\",\"\",\"baz\"] [\"foo\\r\",\"bar\",\"\",\"baz\"] [\"foo\",\"bar\",\"\",\"baz\"] [\"foo\",\"bar\",\"baz\"] [\"\\n\",\"\\n\",\"\\n\",\"\\n\"] [\"\\n\",\"\\n\",\"\\n\",\"\\n\"] [[4,\"\\n\"],[8,\"\\n\"],[9,\"\\n\"],[13,\"\\n\"]]", "[\"foo\",\"bar\",\"\\r\",\"baz\"] [\"foo\",\"bar\",\"\\r\",\"baz\"] [\"foo\",\"bar\",\"\\r\",\"baz\"] [\"foo\",\"bar\",\"\\r\",\"baz\"] [\"foo\",\"bar\",\"\\r\",\"baz\"] [\"foo\",\"bar\",\"\",\"baz\"] [\"foo\",\"bar\",\"baz\"] [\"\\n\",\"\\n\",\"\\n\"] [\"\\n\",\"\\n\",\"\\n\"] [[3,\"\\n\"],[7,\"\\n\"],[9,\"\\n\"]]", "[\"A\",\"few\",\"words\"] [\"A\",\"few\",\"words\"] [\"A\",\"few\",\"words\"] [\"A\",\"few\",\"words\"] [\"A\",\"few\",\"words\"] [\"A few words\"] [\"A\",\"few\",\"words\"] [\" \",\" \"] [\" \",\" \"] [[1,\" \"],[5,\" \"]]", "[\"\",\"Mary\",\"\",\"\",\"had\\ta little\",\"\",\"\\n\\t\",\"lamb\"] [\"\",\"Mary\",\"\",\"\",\"had\\ta little\",\"\",\"\\n\\t\",\"lamb\"] [\"\",\"Mary\",\"\",\"\",\"had\\ta little\",\"\",\"\\n\\t\",\"lamb\"] [\"\",\"Mary\",\"\",\"\",\"had\\ta little\",\"\",\"\\n\\t\",\"lamb\"] [\"\",\"Mary\",\"\",\"\",\"had\\ta little\",\"\",\"\\n\\t\",\"lamb\"] [\" Mary   had\\ta little  \",\"\\t lamb\"] [\"Mary\",\"had\",\"a\",\"little\",\"lamb\"] [\" \",\" \",\" \",\" \",\" \",\" \",\" \"] [\" \",\" \",\" \",\" \",\" \",\" \",\" \"] [[0,\" \"],[5,\" \"],[6,\" \"],[7,\" \"],[22,\" \"],[23,\" \"],[26,\" \"]]", "[\"fn\",\"main()\",\"{\\n\",\"\",\"\",\"\",\"let\",\"s\",\"=\",\"\\\"🦀\",\"crab\",\"🦀\\\";\\r\\n}\\n\"] [\"fn\",\"main()\",\"{\\n\",\"\",\"\",\"\",\"let\",\"s\",\"=\",\"\\\"\",\"\",\"crab\",\"\",\"\\\";\\r\\n}\\n\"] [\"fn\",\"main()\",\"{\\n\",\"\",\"\",\"\",\"let\",\"s\",\"=\",\"\\\"🦀\",\"crab\",\"🦀\\\";\\r\\n}\\n\"] [\"fn\",\"main()\",\"{\\n\",\"\",\"\",\"\",\"let\",\"s\",\"=\",\"\\\"🦀\",\"crab\",\"🦀\\\";\\r\\n}\\n\"] [\"fn\",\"main()\",\"{\\n\",\"\",\"\",\"\",\"let\",\"s\",\"=\",\"\\\"\",\"\",\"crab\",\"\",\"\\\";\\r\\n}\\n\"] [\"fn main() {\",\"    let s = \\\"🦀 crab 🦀\\\";\",\"}\"] [\"fn\",\"main()\",\"{\",\"let\",\"s\",\"=\",\"\\\"🦀\",\"crab\",\"🦀\\\";\",\"}\"] [\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \"] [\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\" \",\"🦀\",\" \",\" \",\"🦀\"] [[2,\" \"],[9,\" \"],[12,\" \"],[13,\" \"],[14,\" \"],[15,\" \"],[19,\" \"],[21,\" \"],[23,\" \"],[29,\" \"],[34,\" \"]]", "[\"\",\"a\",\"b\",\"c\",\"\"]", "[\"a\",\"b\",\"\",\"c\"]"]);
  });

  it('src/iter/test.rs check_slice_split: parSplit of an array gives std::slice::split\'s groups', async () => {
    const result = await ok(`
import { parSplit } from "weft/par";
// std::slice::split, for comparison: the runs between separators, one more than there are separators.
function split(v: number[], sep: (x: number) => boolean): number[][] {
  const out: number[][] = [[]];
  for (const x of v) { if (sep(x)) out.push([]); else out[out.length - 1].push(x); }
  return out;
}
function main() {
  const v = Array.from({ length: 1000 }, (_, i) => i);
  let same = true;
  for (let m = 1; m < 100; m++) same &&= JSON.stringify(parSplit(v, (x) => x % m === 0).collect()) === JSON.stringify(split(v, (x) => x % m === 0));
  console.log(same);
  for (const slice of [[10, 40, 33, 20], [10, 40, 33], [10, 6, 33, 20]]) console.log(JSON.stringify(parSplit(slice, (n) => n % 3 === 0).collect()));
}`);
    expect(result.lines).toEqual(['true', '[[10,40],[20]]', '[[10,40],[]]', '[[10],[],[20]]']);
  });

  it('clone_str and clone_vec\'s par_split: slices split on a closure, as Rust\'s slice::split', async () => {
    const result = await ok(`
import { parSplit, parLines } from "weft/par";
function main() {
  const v = Array.from({ length: 10 }, (_, i) => i);
  console.log(JSON.stringify(parSplit(v, (x) => x % 3 === 0).collect()), JSON.stringify(parSplit([] as number[], (x) => x > 0).collect()));
  const it = parSplit(v, (x) => x % 3 === 0);
  console.log(JSON.stringify(it.clone().collect()) === JSON.stringify(it.collect()), parLines("a\\nb\\n").map((l) => l.toUpperCase()).collect().join(","));
}`);
    expect(result.lines).toEqual(['[[],[1,2],[4,5],[7,8],[]] [[]]', 'true A,B']);
  });
});

describe('rayon ParallelBridge: parBridge', () => {
  it('par_bridge over a JS iterator, unindexed as Rayon\'s; par_bridge_recursion\'s flat_map of bridged once_with iterators calling join', async () => {
    const result = await ok(`
import { parBridge, join } from "weft/par";
function* naturals(n: number) { for (let i = 0; i < n; i++) yield i; }
function main() {
  console.log(parBridge(naturals(1000)).map((x) => x * 2).sum(), parBridge(new Set([3, 1, 2])).collect().sort().join(","));
  let refused = false;
  try { parBridge(naturals(3)).enumerate(); } catch { refused = true; }
  console.log(refused);
  const N = 2000;
  const par = range(0, N).flatMap((i) => parBridge([join(() => i, () => String(i))])).collect();
  par.sort((a, b) => a[0] - b[0]);
  console.log(par.length, par.every(([i, s], k) => i === k && s === String(k)));
}`);
    expect(result.lines).toEqual(['999000 1,2,3', 'true', '2000 true']);
  });
});

/**
 * rayon-core's test_mixed_order! macros: on a one-thread pool, spawns of two
 * kinds interleaved. Rayon's `install` runs its body on the pool's thread;
 * here a scope's spawn does, so the spawns come from the pool's thread, and
 * an inner scope waits there, running what its thread queued meanwhile.
 */
const mixedSpawns = (pos: string, neg: string) => `
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel<number>();
  pool.scope((s) => s.spawn(() => {
    for (const i of [0, -1, 1, -2, 2, -3, 3]) {
      const t = tx.clone();
      if (i >= 0) ${pos}(() => { t.send(i); });
      else ${neg}(() => { t.send(i); });
    }
  }));
  drop(tx);
  console.log([...rx].join(","));
}`;

/** A program whose `body` runs on the only thread of a one-thread pool, with `push(vec, x)` to record an order, printed at the end. */
const onPoolThread = (body: string) => `
import { scope, scopeFifo } from "weft/par";
import { Mutex } from "weft/sync";
function push(vec: Mutex<number[]>, x: number) { using g = vec.lock(); g.value.push(x); }
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const vec = new Mutex<number[]>([]);
  pool.scope((s) => s.spawn(() => {
${body}
  }));
  using g = vec.lock();
  console.log(g.value.join(","));
}`;

const mixedScopes = (outer: string, outerSpawn: string, inner: string, innerSpawn: string) =>
  onPoolThread(`
    ${outer}((o) => {
      o.${outerSpawn}(() => { push(vec, 0); });
      ${inner}((n) => {
        n.${innerSpawn}(() => { push(vec, -1); });
        o.${outerSpawn}(() => { push(vec, 1); });
        n.${innerSpawn}(() => { push(vec, -2); });
        o.${outerSpawn}(() => { push(vec, 2); });
        n.${innerSpawn}(() => { push(vec, -3); });
      });
      o.${outerSpawn}(() => { push(vec, 3); });
    });`);

const nestedScopes = (outer: string, outerSpawn: string, inner: string, innerSpawn: string) =>
  onPoolThread(`
    ${outer}((o) => {
      for (let i = 0; i < 10; i++) {
        o.${outerSpawn}(() => {
          ${inner}((n) => {
            for (let j = 0; j < 10; j++) n.${innerSpawn}(() => { push(vec, i * 10 + j); });
          });
        });
      }
    });`);

describe('rayon-core: LIFO and FIFO spawns mixed on one thread, as Rayon\'s stub jobs order them', () => {
  it('spawn/test.rs mixed_lifo_fifo_order and mixed_fifo_lifo_order', async () => {
    expect((await ok(mixedSpawns('spawn', 'spawnFifo'))).lines).toEqual(['3,-1,2,-2,1,-3,0']);
    expect((await ok(mixedSpawns('spawnFifo', 'spawn'))).lines).toEqual(['0,-3,1,-2,2,-1,3']);
  });

  it('scope/test.rs nested_lifo_order, nested_fifo_order, nested_lifo_fifo_order, nested_fifo_lifo_order', async () => {
    expect((await ok(nestedScopes('scope', 'spawn', 'scope', 'spawn'))).lines).toEqual([seq(upTo(100).reverse())]);
    expect((await ok(nestedScopes('scopeFifo', 'spawnFifo', 'scopeFifo', 'spawnFifo'))).lines).toEqual([seq(upTo(100))]);
    expect((await ok(nestedScopes('scope', 'spawn', 'scopeFifo', 'spawnFifo'))).lines).toEqual([seq(upTo(10).reverse().flatMap((i) => upTo(10).map((j) => i * 10 + j)))]);
    expect((await ok(nestedScopes('scopeFifo', 'spawnFifo', 'scope', 'spawn'))).lines).toEqual([seq(upTo(10).flatMap((i) => upTo(10).reverse().map((j) => i * 10 + j)))]);
  });

  it('scope/test.rs mixed_lifo_order, mixed_fifo_order, mixed_lifo_fifo_order, mixed_fifo_lifo_order', async () => {
    expect((await ok(mixedScopes('scope', 'spawn', 'scope', 'spawn'))).lines).toEqual(['-3,2,-2,1,-1,3,0']);
    expect((await ok(mixedScopes('scopeFifo', 'spawnFifo', 'scopeFifo', 'spawnFifo'))).lines).toEqual(['-1,0,-2,1,-3,2,3']);
    expect((await ok(mixedScopes('scope', 'spawn', 'scopeFifo', 'spawnFifo'))).lines).toEqual(['-1,2,-2,1,-3,3,0']);
    expect((await ok(mixedScopes('scopeFifo', 'spawnFifo', 'scope', 'spawn'))).lines).toEqual(['-3,0,-2,1,-1,2,3']);
  });
});

describe('rayon tests/drain_vec.rs: parDrain', () => {
  it('drain_vec_yielded, drain_vec_dropped, drain_vec_empty_range_yielded/dropped; a Set and a Map drain whole; a range past the end panics', async () => {
    const result = await ok(`
import { parDrain } from "weft/par";
function main() {
  const v = Array.from({ length: 10 }, (_, i) => i);
  console.log(parDrain(v, 0, 5).map((x) => x * 10).collect().join(","), v.join(","));
  const w = Array.from({ length: 10 }, (_, i) => i);
  parDrain(w, 0, 5);
  console.log(w.join(","), parDrain(w, 2, 2).count(), w.length, parDrain(w).count(), w.length);
  const set = new Set([1, 2, 3]), map = new Map([["a", 1], ["b", 2]]);
  console.log(parDrain(set).sum(), set.size, JSON.stringify(parDrain(map).collect()), map.size);
  let message = "";
  try { parDrain([1, 2, 3], 1, 4); } catch (e) { message = (e as Error).message; }
  console.log(message);
}`);
    expect(result.lines).toEqual(['0,10,20,30,40 5,6,7,8,9', '5,6,7,8,9 0 5 5 0', '6 0 [["a",1],["b",2]] 0', 'range end index 4 out of range for slice of length 3']);
  });
});

/**
 * rayon-core src/test.rs and src/spawn/test.rs, src/broadcast/test.rs,
 * src/thread_pool/test.rs: ThreadPoolBuilder's start, exit and panic
 * handlers. Two differences from Rust shape the ports. weft's drop(pool)
 * waits for the pool's threads to end (Rayon's returns at once), so where
 * an exit handler meets the main thread at a barrier, another thread drops
 * the pool. And a handler borrows what it captures, as par closures do
 * (Rayon's owns it and the pool's drop drops it), so a channel's sender
 * captured by a handler is dropped by its owner.
 */
describe('rayon-core: ThreadPoolBuilder.startHandler, exitHandler, panicHandler, stackSize', () => {
  it('test.rs start_callback_called: the start handler runs on each of the 16 threads as the pool is built, with no work given to it', async () => {
    const result = await ok(`
import { Arc, Barrier } from "weft/sync";
function main() {
  const nThreads = 16;
  const nCalled = new Arc(new AtomicUsize(0));
  const barrier = new Arc(new Barrier(nThreads + 1));
  const b = barrier.clone();
  const nc = nCalled.clone();
  const indexSum = new AtomicUsize(0);
  const conf = new ThreadPoolBuilder().numThreads(nThreads).startHandler((i) => {
    nc.fetchAdd(1);
    indexSum.fetchAdd(i);
    b.wait();
  });
  // Rust's \`let _ = conf.build()\` drops the pool at once, its threads still held at the barrier.
  drop(conf.build());
  barrier.wait();
  console.log(nCalled.load(), indexSum.load());
}`);
    expect(result.lines).toEqual(['16 120']);
  });

  it('test.rs exit_callback_called: the exit handler runs on each thread as the dropped pool\'s threads end', async () => {
    const result = await ok(`
import { Arc, Barrier } from "weft/sync";
function main() {
  const nThreads = 16;
  const nCalled = new Arc(new AtomicUsize(0));
  const barrier = new Arc(new Barrier(nThreads + 1));
  const b = barrier.clone();
  const nc = nCalled.clone();
  const conf = new ThreadPoolBuilder().numThreads(nThreads).exitHandler((_) => {
    nc.fetchAdd(1);
    b.wait();
  });
  const pool = conf.build();
  console.log(nCalled.load());
  drop(pool); // returns at once, as Rayon's drop: the exit handlers meet main at the barrier
  barrier.wait();
  console.log(nCalled.load());
}`);
    expect(result.lines).toEqual(['0', '16']);
  });

  it('test.rs handler_panics_handled_correctly: panics in start and exit handlers go to the panic handler, on every thread', async () => {
    const result = await ok(`
import { Arc, Barrier } from "weft/sync";
function main() {
  const nThreads = 16;
  const nCalled = new Arc(new AtomicUsize(0));
  const startBarrier = new Arc(new Barrier(nThreads + 1));
  const exitBarrier = new Arc(new Barrier(nThreads + 1));
  const sb = startBarrier.clone(), eb = exitBarrier.clone(), nc = nCalled.clone();
  const messages = new AtomicUsize(0);
  const conf = new ThreadPoolBuilder()
    .numThreads(nThreads)
    .startHandler((_) => { throw new Error("ensure panic handler is called when starting"); })
    .exitHandler((_) => { throw new Error("ensure panic handler is called when exiting"); })
    .panicHandler((payload) => {
      if ((payload as Error).message.startsWith("ensure panic handler is called when")) messages.fetchAdd(1);
      const val = nc.fetchAdd(1);
      if (val < nThreads) sb.wait();
      else eb.wait();
    });
  const pool = conf.build();
  startBarrier.wait();
  drop(pool);
  exitBarrier.wait();
  console.log(nCalled.load(), messages.load());
}`);
    expect(result.lines).toEqual(['32 32']);
  });

  it('spawn/test.rs panic_fwd, custom_panic_handler_and_spawn, custom_panic_handler_and_nested_spawn: a spawned job\'s panic payload goes to the panic handler; install\'s panic still comes out of install (thread_pool/test.rs panic_propagate)', async () => {
    const result = await ok(`
import { Mutex } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<string>();
  const txm = new Mutex(tx);
  const pool = new ThreadPoolBuilder()
    .panicHandler((err) => {
      const guard = txm.lock();
      guard.value.send(typeof err === "string" ? "str " + err : err instanceof Error ? "Error " + err.message : "other");
      drop(guard);
    })
    .build();
  pool.spawn(() => { throw "Hello, world!"; });
  console.log(rx.recv());
  pool.spawn(() => { throw new Error("Hello, world!"); });
  console.log(rx.recv());
  pool.spawn(() => {
    for (let i = 0; i < 3; i++) spawn(() => { throw new Error("nested"); });
  });
  console.log([rx.recv(), rx.recv(), rx.recv()].join(","));
  let propagated = "";
  try { pool.install(() => { throw new Error("Hello, world!"); }); } catch (e) { propagated = (e as Error).message; }
  let handled = "nothing";
  try { handled = rx.tryRecv(); } catch { /* empty: the handler was not called */ }
  console.log(propagated, handled);
}`);
    expect(result.lines).toEqual(['str Hello, world!', 'Error Hello, world!', 'Error nested,Error nested,Error nested', 'Hello, world! nothing']);
  });

  it('broadcast/test.rs spawn_broadcast_panic_one and spawn_broadcast_panic_many: every call runs, each panic goes to the panic handler', async () => {
    const result = await ok(`
function main() {
  for (const many of [false, true]) {
    const [tx, rx] = mpsc.channel<null>();
    const [panicTx, panicRx] = mpsc.channel<string>();
    const pool = new ThreadPoolBuilder()
      .numThreads(7)
      .panicHandler((e) => { panicTx.send((e as Error).message); })
      .build();
    pool.spawnBroadcast((ctx) => {
      tx.send(null);
      if (many ? ctx.index() % 2 === 0 : ctx.index() === 3) throw new Error("Hello, world!");
    });
    drop(pool);
    // The handler borrowed panicTx; Rayon's drop(pool) drops it with the handler.
    drop(panicTx);
    console.log([...rx].length, [...panicRx].length);
  }
}`);
    expect(result.lines).toEqual(['7 1', '7 4']);
  });

  it('test.rs configuration: every builder method chains (stackSize is accepted and has no effect; breadth_first, deprecated, is not ported)', async () => {
    const result = await ok(`
function main() {
  const pool = new ThreadPoolBuilder()
    .threadName((i) => \`thread_name_\${i}\`)
    .numThreads(5)
    .panicHandler((_) => {})
    .stackSize(4e6)
    .startHandler((_) => {})
    .exitHandler((_) => {})
    .build();
  console.log(pool.currentNumThreads(), pool.broadcast((ctx) => ctx.index()).join(","));
  drop(pool);
}`);
    expect(result.lines).toEqual(['5 0,1,2,3,4']);
  });
});
