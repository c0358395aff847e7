/**
 * Rayon's own tests (rayon-core/src/join/test.rs, rayon-core/src/scope/test.rs,
 * src/iter/test.rs, tests/iter_panic.rs), ported to weft/par. Closures given
 * to the pool borrow handles, so what upstream mutates through `&mut` or a
 * captured local is an atomic or a Mutex here; `par_iter_mut` becomes a
 * `map` whose results are collected; sizes are upstream's unless noted.
 */
import { ported } from './support/ported.ts';

const IMPORTS = `import { parIter, range, join, scope, sharedArray, ThreadPoolBuilder, type Scope } from "weft/par";
import { Arc, AtomicBool, AtomicI32, Mutex } from "weft/sync";`;

const HELPERS = `
/** A xorshift generator, seeded: the same numbers every run, like upstream's XorShiftRng. */
function seededRng(seed = 0x9e3779b9): () => number {
  let s = seed | 0 || 1;
  return () => { s ^= s << 13; s ^= s >>> 17; s ^= s << 5; return s >>> 0; };
}

/** rayon-core join/test.rs's quick_sort: sorts \`v\` in place, the halves in parallel. */
function quickSort(v: Uint32Array): void {
  if (v.length <= 1) return;
  const mid = partition(v);
  const lo = v.subarray(0, mid), hi = v.subarray(mid + 1);
  join(() => quickSort(lo), () => quickSort(hi));
}

function partition(v: Uint32Array): number {
  const pivot = v.length - 1;
  let i = 0;
  for (let j = 0; j < pivot; j++) {
    if (v[j]! <= v[pivot]!) { const t = v[i]!; v[i] = v[j]!; v[j] = t; i++; }
  }
  const t = v[i]!; v[i] = v[pivot]!; v[pivot] = t;
  return i;
}

/** scope/test.rs's divide_and_conquer: a binary tree of spawns, counting the leaves. */
function divideAndConquer(s: Scope, counter: AtomicI32, size: number): void {
  if (size > 1) {
    s.spawn((s) => divideAndConquer(s, counter, size / 2));
    s.spawn((s) => divideAndConquer(s, counter, size / 2));
  } else {
    counter.fetchAdd(1);
  }
}

function divideAndConquerSeq(counter: { n: number }, size: number): void {
  if (size > 1) { divideAndConquerSeq(counter, size / 2); divideAndConquerSeq(counter, size / 2); }
  else counter.n++;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
`;

ported('rayon rayon-core/src/join/test.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'sort',
      body: `  const rng = seededRng();
  const data = sharedArray(Uint32Array, 6 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = rng();
  const sorted = Array.from(data).sort((a, b) => a - b);
  quickSort(data);
  console.log(Array.from(data).every((x, i) => x === sorted[i]));`,
      expect: ['true'],
    },
    {
      test: 'sort_in_pool',
      body: `  const rng = seededRng(7);
  const data = sharedArray(Uint32Array, 12 * 1024);
  for (let i = 0; i < data.length; i++) data[i] = rng();
  const sorted = Array.from(data).sort((a, b) => a - b);
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  pool.install(() => quickSort(data));
  console.log(Array.from(data).every((x, i) => x === sorted[i]));`,
      expect: ['true'],
    },
    {
      test: 'panic_propagate_a',
      body: `  try { join(() => { throw new Error("Hello, world!"); }, () => {}); console.log("no panic"); } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_propagate_b',
      body: `  try { join(() => {}, () => { throw new Error("Hello, world!"); }); console.log("no panic"); } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_propagate_both',
      body: `  try {
    join(() => { throw new Error("Hello, world!"); }, () => { throw new Error("Goodbye, world!"); });
    console.log("no panic");
  } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_b_still_executes',
      body: `  const x = new AtomicBool(false);
  try {
    join(() => { throw new Error("Hello, world!"); }, () => x.store(true));
    console.log("failed to propagate panic from closure A");
  } catch {
    console.log("closure b executed", x.load());
  }`,
      expect: ['closure b executed true'],
    },
  ],
});

ported('rayon rayon-core/src/scope/test.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'scope_empty',
      body: `  scope(() => {});
  console.log("ok");`,
      expect: ['ok'],
    },
    {
      test: 'scope_result',
      body: `  console.log(scope(() => 22));`,
      expect: ['22'],
    },
    {
      test: 'scope_two',
      body: `  const counter = new AtomicI32(0);
  scope((s) => {
    s.spawn(() => { counter.fetchAdd(1); });
    s.spawn(() => { counter.fetchAdd(10); });
  });
  console.log(counter.load());`,
      expect: ['11'],
    },
    {
      test: 'scope_divide_and_conquer',
      body: `  const counterP = new AtomicI32(0);
  scope((s) => s.spawn((s) => divideAndConquer(s, counterP, 1024)));
  const counterS = { n: 0 };
  divideAndConquerSeq(counterS, 1024);
  console.log(counterP.load(), counterS.n);`,
      expect: ['1024 1024'],
    },
    {
      test: 'panic_propagate_scope',
      body: `  try { scope(() => { throw new Error("Hello, world!"); }); console.log("no panic"); } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_propagate_spawn',
      body: `  try { scope((s) => s.spawn(() => { throw new Error("Hello, world!"); })); console.log("no panic"); } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_propagate_nested_spawn',
      body: `  try {
    scope((s) => s.spawn((s) => s.spawn((s) => s.spawn(() => { throw new Error("Hello, world!"); }))));
    console.log("no panic");
  } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_propagate_nested_scope_spawn',
      body: `  try {
    scope((s) => s.spawn(() => scope((s) => s.spawn(() => { throw new Error("Hello, world!"); }))));
    console.log("no panic");
  } catch (e) { console.log(message(e)); }`,
      expect: ['Hello, world!'],
    },
    {
      test: 'panic_propagate_still_execute_1',
      body: `  const x = new AtomicBool(false);
  try {
    scope((s) => {
      s.spawn(() => { throw new Error("Hello, world!"); }); // job A
      s.spawn(() => x.store(true)); // job B, should still execute even though A panics
    });
    console.log("failed to propagate panic");
  } catch { console.log("job b executed", x.load()); }`,
      expect: ['job b executed true'],
    },
    {
      test: 'panic_propagate_still_execute_2',
      body: `  const x = new AtomicBool(false);
  try {
    scope((s) => {
      s.spawn(() => x.store(true));
      s.spawn(() => { throw new Error("Hello, world!"); });
    });
    console.log("failed to propagate panic");
  } catch { console.log("job b executed", x.load()); }`,
      expect: ['job b executed true'],
    },
    {
      test: 'panic_propagate_still_execute_3',
      body: `  const x = new AtomicBool(false);
  try {
    scope((s) => {
      s.spawn(() => x.store(true)); // spawned job should still execute despite later panic
      throw new Error("Hello, world!");
    });
    console.log("failed to propagate panic");
  } catch { console.log("spawn executed", x.load()); }`,
      expect: ['spawn executed true'],
    },
    {
      test: 'panic_propagate_still_execute_4',
      body: `  let x = false;
  try {
    scope((s) => {
      s.spawn(() => { throw new Error("Hello, world!"); });
      x = true;
    });
    console.log("failed to propagate panic");
  } catch { console.log("scope body finished", x); }`,
      expect: ['scope body finished true'],
    },
    {
      test: 'static_scope',
      body: `  const counter = new AtomicI32(0);
  scope((s) => {
    for (let i = 0; i < 100; i++) s.spawn(() => { counter.fetchAdd(i); });
  });
  console.log(counter.load());`,
      expect: ['4950'],
    },
    {
      test: 'mixed_lifetime_scope',
      body: `  const counter = new AtomicI32(0);
  const counters = new Array(100).fill(counter);
  scope((s) => {
    for (const c of counters) s.spawn(() => { c.fetchAdd(1); });
  });
  console.log(counter.load());`,
      expect: ['100'],
    },
  ],
});

ported('rayon src/iter/test.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'execute',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  const b = parIter(a).map((i) => i + 1).collect();
  console.log(b.length, b.every((x, i) => x === i + 1));`,
      expect: ['1024 true'],
    },
    {
      test: 'execute_range',
      body: `  const b = range(0, 1024).map((i) => i + 1).collect();
  console.log(b.length, b.every((x, i) => x === i + 1));`,
      expect: ['1024 true'],
    },
    {
      test: 'map_sum',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).map((i) => i + 1).sum(), a.map((i) => i + 1).reduce((x, y) => x + y, 0));`,
      expect: ['524800 524800'],
    },
    {
      test: 'map_reduce',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).map((i) => i + 1).reduce(() => 0, (i, j) => i + j));`,
      expect: ['524800'],
    },
    {
      test: 'map_reduce_with',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).map((i) => i + 1).reduceWith((i, j) => i + j), parIter([] as number[]).reduceWith((i, j) => i + j));`,
      expect: ['524800 undefined'],
    },
    {
      test: 'fold_map_reduce',
      body: `  const r1 = range(0, 32)
    .withMaxLen(1)
    .fold(() => [] as number[], (v, e) => { v.push(e); return v; })
    .map((v) => [v])
    .reduceWith((a, b) => a.concat(b));
  console.log(JSON.stringify(r1));`,
      expect: [JSON.stringify(Array.from({ length: 32 }, (_, i) => [i]))],
    },
    {
      test: 'check_enumerate',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => 1023 - i);
  const b = parIter(a).enumerate().map(([i, x]) => i + x).collect();
  console.log(b.length, b.every((x) => x === a.length - 1));`,
      expect: ['1024 true'],
    },
    {
      test: 'check_increment (par_iter_mut().enumerate() as a map)',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => 1023 - i);
  const b = parIter(a).enumerate().map(([i, v]) => v + i).collect();
  console.log(b.every((x) => x === a.length - 1));`,
      expect: ['true'],
    },
    {
      test: 'check_inspect',
      body: `  const a = new AtomicI32(0);
  const b = range(0, 1024).inspect((i) => { a.fetchAdd(i); }).sum();
  console.log(a.load() === b, b);`,
      expect: ['true 523776'],
    },
    {
      test: 'check_zip',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => 1023 - i);
  const b = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).zip(b).map(([x, y]) => x + y).all((x) => x === a.length - 1));`,
      expect: ['true'],
    },
    {
      test: 'check_zip_into_par_iter',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => 1023 - i);
  const b = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).zip(parIter(b)).map(([x, y]) => x + y).all((x) => x === a.length - 1));`,
      expect: ['true'],
    },
    {
      test: 'check_zip_range',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => 1023 - i);
  console.log(parIter(a).zip(range(0, 1024)).map(([x, y]) => x + y).all((x) => x === a.length - 1));`,
      expect: ['true'],
    },
    {
      test: 'check_sum_filtered_ints',
      body: `  const a = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  console.log(parIter(a).filter((x) => (x & 1) === 0).sum());`,
      expect: ['30'],
    },
    {
      test: 'check_flat_map_nested_ranges',
      body: `  const v = range(0, 10).flatMap((i) => Array.from({ length: 10 }, (_, j) => [i, j])).map(([i, j]) => i * j).sum();
  let w = 0;
  for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) w += i * j;
  console.log(v, w);`,
      expect: ['2025 2025'],
    },
    {
      test: 'check_empty_flat_map_sum',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  const b = parIter(a).flatMap(() => [] as number[]).sum();
  const c = parIter([] as number[]).flatMap(() => a).sum();
  console.log(b, c);`,
      expect: ['0 0'],
    },
    {
      test: 'check_chunks',
      body: `  const a = [1, 5, 10, 4, 100, 3, 1000, 2, 10000, 1];
  const pairs = parIter(a).chunks(2).map((c) => c.reduce((x, y) => x * y, 1)).sum();
  const triples = parIter(a).chunks(3).map((c) => c.reduce((x, y) => x * y, 1)).sum();
  console.log(pairs, triples, 5_0 + 12_00 + 20_000_000 + 1);`,
      expect: ['12345 20001251 20001251'],
    },
    {
      test: 'check_chunks_even_size',
      body: `  console.log(JSON.stringify(range(1, 10).chunks(3).collect()));`,
      expect: ['[[1,2,3],[4,5,6],[7,8,9]]'],
    },
    {
      test: 'check_chunks_empty',
      body: `  console.log(JSON.stringify(parIter([] as number[]).chunks(2).collect()));`,
      expect: ['[]'],
    },
    {
      test: 'check_chunks_len',
      body: `  console.log(range(0, 8).chunks(2).count(), range(0, 9).chunks(3).count(), range(0, 8).chunks(3).count(), parIter([1]).chunks(3).count(), range(0, 0).chunks(3).count());`,
      expect: ['4 3 3 1 0'],
    },
    {
      test: 'check_chunks_uneven',
      body: `  console.log(JSON.stringify(range(0, 5).chunks(3).collect()), JSON.stringify(parIter([1]).chunks(5).collect()), JSON.stringify(range(0, 4).chunks(3).collect()));`,
      expect: ['[[0,1,2],[3,4]] [[1]] [[0,1,2],[3]]'],
    },
    {
      test: 'check_chunks_zero_size',
      body: `  try { parIter([1, 2, 3]).chunks(0).collect(); console.log("no panic"); } catch (e) { console.log((e as Error).name); }`,
      expect: ['RangeError'],
    },
    {
      test: 'check_count',
      body: `  let c0 = 0;
  for (let i = 0; i < 24 * 1024; i++) if (i % 2 === 0) c0++;
  console.log(c0, range(0, 24 * 1024).filter((i) => i % 2 === 0).count());`,
      expect: ['12288 12288'],
    },
    {
      test: 'find_any',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).findAny((x) => x % 42 === 41) !== undefined, parIter(a).findAny((x) => x % 19 === 1 && x % 53 === 0), parIter(a).findAny((x) => x < 0));
  console.log(parIter(a).positionAny((x) => x % 42 === 41) !== undefined, parIter(a).positionAny((x) => x % 19 === 1 && x % 53 === 0), parIter(a).positionAny((x) => x < 0));
  console.log(parIter(a).any((x) => x > 1000), parIter(a).any((x) => x < 0), parIter(a).all((x) => x > 1000), parIter(a).all((x) => x >= 0));`,
      expect: ['true 742 undefined', 'true 742 undefined', 'true false false true'],
    },
    {
      test: 'find_first_or_last',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  console.log(parIter(a).findFirst((x) => x % 42 === 41), parIter(a).findFirst((x) => x % 19 === 1 && x % 53 === 0), parIter(a).findFirst((x) => x < 0));
  console.log(parIter(a).positionFirst((x) => x % 42 === 41), parIter(a).positionFirst((x) => x % 19 === 1 && x % 53 === 0), parIter(a).positionFirst((x) => x < 0));
  console.log(parIter(a).findLast((x) => x % 42 === 41), parIter(a).findLast((x) => x % 19 === 1 && x % 53 === 0), parIter(a).findLast((x) => x < 0));
  console.log(parIter(a).positionLast((x) => x % 42 === 41), parIter(a).positionLast((x) => x % 19 === 1 && x % 53 === 0), parIter(a).positionLast((x) => x < 0));`,
      expect: ['41 742 undefined', '41 742 undefined', '1007 742 undefined', '1007 742 undefined'],
    },
    {
      test: 'check_find_not_present',
      body: `  const counter = new AtomicI32(0);
  const value = range(0, 2048).findAny((p) => { counter.fetchAdd(1); return p >= 2048; });
  console.log(value, counter.load());`,
      expect: ['undefined 2048'],
    },
    {
      test: 'check_find_is_present',
      body: `  const counter = new AtomicI32(0);
  const value = range(0, 2048).findAny((p) => { counter.fetchAdd(1); return p >= 1024 && p < 1096; });
  console.log(value !== undefined && value >= 1024 && value < 1096, counter.load() < 2048);`,
      expect: ['true true'],
    },
    {
      test: 'par_iter_collect',
      body: `  const a = Array.from({ length: 1024 }, (_, i) => i);
  const b = parIter(a).map((i) => i + 1).collect();
  console.log(JSON.stringify(b) === JSON.stringify(a.map((i) => i + 1)));`,
      expect: ['true'],
    },
    {
      test: 'min_max',
      body: `  const rng = seededRng(3);
  const a = Array.from({ length: 300 }, () => rng() | 0);
  let ok = true;
  for (let i = 0; i <= a.length; i += 7) {
    const slice = a.slice(0, i);
    const min = slice.length ? Math.min(...slice) : undefined, max = slice.length ? Math.max(...slice) : undefined;
    ok &&= parIter(slice).min() === min && parIter(slice).max() === max;
  }
  console.log(ok);`,
      expect: ['true'],
    },
    {
      test: 'min_max_by_key',
      body: `  const rng = seededRng(5);
  const r = Array.from({ length: 256 }, () => rng() % 50);
  const a = r.concat(r).map((k, i) => [k, i] as [number, number]);
  // Rust: min_by_key keeps the first of equal keys, max_by_key the last.
  let firstMin = a[0]!, lastMax = a[0]!;
  for (const x of a) { if (x[0] < firstMin[0]) firstMin = x; if (x[0] >= lastMax[0]) lastMax = x; }
  console.log(JSON.stringify(parIter(a).minByKey((x) => x[0])) === JSON.stringify(firstMin), JSON.stringify(parIter(a).maxByKey((x) => x[0])) === JSON.stringify(lastMax));`,
      expect: ['true true'],
    },
    {
      test: 'check_lengths',
      body: `  const N = 2000;
  const lengths = [0, 1, 10, 100, 1000, Infinity];
  const failed: string[] = [];
  for (const min of lengths) {
    for (const max of lengths) {
      const minCheck = Math.min(Math.max(min, 1), N);
      const maxCheck = Math.max(max, minCheck * 2 - 1);
      const ok = range(0, N).withMinLen(min).withMaxLen(max).fold(() => 0, (count) => count + 1).all((c) => c >= minCheck && c <= maxCheck);
      if (!ok) failed.push(min + "/" + max);
    }
  }
  console.log("failed", JSON.stringify(failed));`,
      expect: ['failed []'],
    },
    {
      test: 'scope_mix',
      body: `  const counterP = new AtomicI32(0);
  const sums = new Mutex<number[]>([]);
  scope((s) => {
    s.spawn((s) => divideAndConquer(s, counterP, 1024));
    s.spawn(() => {
      const r1 = range(0, 1024).map((i) => i + 1).reduceWith((i, j) => i + j);
      using g = sums.lock();
      g.value.push(r1!);
    });
  });
  using g = sums.lock();
  console.log(counterP.load(), JSON.stringify(g.value));`,
      expect: ['1024 [524800]'],
    },
  ],
});

ported('rayon tests/iter_panic.rs', {
  imports: IMPORTS,
  helpers: HELPERS,
  cases: [
    {
      test: 'iter_panic',
      body: `  try {
    range(0, 2_000_000).forEach((i) => { if (i === 1_350_000) throw new Error("boom"); });
    console.log("no panic");
  } catch (e) { console.log(message(e)); }`,
      expect: ['boom'],
    },
  ],
});
