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
