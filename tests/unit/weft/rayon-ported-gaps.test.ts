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
  console.log(range(0, 10).filterMap((x) => (x % 3 === 0 ? x * 2 : undefined)).collect().join(","), parIter([1, 5, 2, 5]).positions((x) => x === 5).join(","));
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
