// weft/par: every adapter gives what its sequential counterpart gives, on the
// pool (a pool whose sequential cut-off is 0, so even one item goes to it)
// and through the default cut-off; findFirst keeps order; pools keep their
// size; closures borrow handles; panics come back to the caller at the
// closure's line. Programs run through the real compile step and runner.
import { describe, expect, it } from 'vitest';
import { lineOf, runProgram } from '../support/run-program.ts';
import { TraceView } from '../../../src/exercises/trace-view.ts';

/**
 * Runs every adapter on inputs of length `sizes` against the plain-array
 * computation of the same thing, on `pools`, and prints each mismatch.
 */
const ADAPTERS = `    const s = (what) => name + "." + what;
    expect(s("sum"), it().sum(), seqSum);
    expect(s("map.sum"), it().map((x) => x * k).sum(), xs.map((x) => x * k).reduce((a, b) => a + b, 0));
    expect(s("collect"), it().collect(), xs);
    expect(s("map.collect"), it().map((x) => x * k + 1).collect(), xs.map((x) => x * k + 1));
    expect(s("filter.collect"), it().filter((x) => x % 3 === 0).collect(), xs.filter((x) => x % 3 === 0));
    expect(s("filter.count"), it().filter((x) => x > 500).count(), xs.filter((x) => x > 500).length);
    expect(s("flatMap"), it().flatMap((x) => (x % 4 === 0 ? [] : [x, -x])).collect(), xs.flatMap((x) => (x % 4 === 0 ? [] : [x, -x])));
    expect(s("reduce"), it().reduce(() => 0, (a, b) => a + b), seqSum);
    expect(s("reduce-concat"), it().map((x) => String(x % 10)).reduce(() => "", (a, b) => a + b), xs.map((x) => String(x % 10)).join(""));
    expect(s("fold.sum"), it().fold(() => 0, (acc, x) => acc + x).sum(), seqSum);
    expect(s("fold.reduce"), it().fold(() => [], (acc, x) => { acc.push(x); return acc; }).reduce(() => [], (a, b) => a.concat(b)), xs);
    expect(s("count"), it().count(), n);
    expect(s("min"), it().min(), n ? Math.min(...xs) : undefined);
    expect(s("max"), it().max(), n ? Math.max(...xs) : undefined);
    const firstMin = n ? xs.reduce((b, x) => (key(x) < key(b) ? x : b)) : undefined;
    const lastMax = n ? xs.reduce((b, x) => (key(x) >= key(b) ? x : b)) : undefined;
    expect(s("minByKey"), it().minByKey((x) => x % 17), firstMin);
    expect(s("maxByKey"), it().maxByKey((x) => x % 17), lastMax);
    expect(s("minBy"), it().map((x) => ({ x, m: x % 17 })).minBy((a, b) => a.m - b.m)?.x, firstMin);
    expect(s("maxBy"), it().map((x) => ({ x, m: x % 17 })).maxBy((a, b) => a.m - b.m)?.x, lastMax);
    expect(s("any"), it().any((x) => x === 999), xs.some((x) => x === 999));
    expect(s("any-none"), it().any((x) => x < 0), false);
    expect(s("all"), it().all((x) => x < 1000), true);
    expect(s("all-fails"), it().all((x) => x !== 500), xs.every((x) => x !== 500));
    const found = it().findAny((x) => x % 97 === 5);
    expect(s("findAny"), found === undefined ? !xs.some((x) => x % 97 === 5) : found % 97 === 5, true);
    expect(s("findFirst"), it().findFirst((x) => x % 97 === 5), xs.find((x) => x % 97 === 5));
    expect(s("findFirst-none"), it().findFirst((x) => x < 0), undefined);
    expect(s("withMinLen"), it().withMinLen(64).map((x) => x + 1).collect(), xs.map((x) => x + 1));
    expect(s("inspect"), it().inspect((x) => x).sum(), seqSum);
`;

const equivalence = `import { parIter, range, sharedArray, ThreadPoolBuilder, currentNumThreads } from "weft/par";
import { AtomicI32, Ordering } from "weft/sync";

function data(n) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push((i * 7919) % 1000);
  return xs;
}
function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
const key = (x) => x % 17;

function check(label, n, mismatches) {
  const xs = data(n);
  const k = 3;
  const seqSum = xs.reduce((a, b) => a + b, 0);
  const expect = (name, got, want) => { if (!same(got, want)) mismatches.push(label + " n=" + n + " " + name + ": got " + JSON.stringify(got).slice(0, 80) + " want " + JSON.stringify(want).slice(0, 80)); };
SOURCES  // forEach writes through a shared array and a borrowed atomic.
  const out = sharedArray(Int32Array, n);
  const calls = new AtomicI32(0);
  range(0, n).forEach((i) => { out[i] = i * 2; calls.fetchAdd(1, Ordering.SeqCst); });
  expect("forEach.shared", Array.from(out), xs.map((_, i) => i * 2));
  expect("forEach.calls", calls.load(Ordering.SeqCst), n);
}

function main() {
  const mismatches = [];
  const eager2 = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  const eager3 = new ThreadPoolBuilder().numThreads(3).sequentialCutoff(0).build();
  for (const n of SIZES) {
    eager2.install(() => check("pool2", n, mismatches));
    eager3.install(() => check("pool3", n, mismatches));
    check("default", n, mismatches);
  }
  console.log(mismatches.length === 0 ? "all equal" : mismatches.slice(0, 20).join("\\n"));
}
`;

/** Each source written in place of `it()`, so the compile step sees each chain is a par iterator. */
const SOURCES: Record<string, string> = {
  array: 'parIter(xs)',
  f64: 'parIter(Float64Array.from(xs))',
  shared: 'parIter(sharedArray(Int32Array, xs))',
  objects: 'parIter(xs.map((v) => ({ v }))).map((o) => o.v)',
  range: 'range(0, n).map((i) => (i * 7919) % 1000)',
};
function equivalenceProgram(sizes: string): string {
  const blocks = Object.entries(SOURCES)
    .map(([name, expr]) => `  {\n    const name = "${name}";\n${ADAPTERS.replaceAll('it()', expr)}  }\n`)
    .join('');
  return equivalence.replace('SOURCES', blocks).replace('SIZES', sizes);
}

describe('weft/par adapters equal their sequential counterparts', () => {
  it('on empty, one-element and small inputs', async () => {
    const run = await runProgram(equivalenceProgram('[0, 1, 2, 5, 33]'), { timeoutMs: 60_000 });
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['all equal']);
  });

  it('on inputs big enough to split into many chunks (and past the default cut-off)', async () => {
    const run = await runProgram(equivalenceProgram('[1000, 30011]'), { timeoutMs: 60_000 });
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['all equal']);
  });
});

const preamble = `import { parIter, range, join, scope, sharedArray, ThreadPoolBuilder, currentNumThreads, currentThreadIndex } from "weft/par";
import { current } from "weft/thread";
import { Arc, Mutex, AtomicI32, Ordering } from "weft/sync";
`;

describe('weft/par', () => {
  it('a chain run as one compiled loop keeps what sum means for any values, and many chains still run', async () => {
    // Chains of map/filter/inspect and a common terminal run as a loop compiled per chain (par/fused.ts); the
    // sum starts from the first item, as Rayon's does from its first: strings concatenate, BigInts stay BigInts,
    // -0 stays -0, and an item that turns the sum into a string mid-way does so as + does. More chains than
    // the loops kept (256) take the general path and give the same answers.
    const many = Array.from({ length: 300 }, (_, i) => `  total += parIter(xs).map((x) => x * ${i + 1}).filter((x) => x % 2 === 0).sum();`).join('\n');
    const run = await runProgram(`${preamble}
function main() {
  const eager = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  for (const where of ["here", "pool"]) {
    const go = (f) => (where === "pool" ? eager.install(f) : f());
    console.log(where, go(() => parIter(["a", "b", "c"]).map((s) => s + s).sum()));
    console.log(where, go(() => parIter([1n, 2n, 3n]).filter((b) => b > 1n).sum()));
    console.log(where, Object.is(go(() => parIter([-0, -0]).sum()), -0), go(() => parIter([1, 2]).filter((x) => x > 5).sum()));
    console.log(where, go(() => parIter([1, 2, "x", 3]).sum()), go(() => range(0, 10).filter((i) => i > 3).inspect((i) => i).count()));
    console.log(where, go(() => range(5, 9).map((i) => [i]).collect()).join(","), go(() => parIter(new Float64Array([0.5, 1.5])).map((x) => x * 2).reduce(() => 0, (a, b) => a + b)));
  }
  const xs = Array.from({ length: 100 }, (_, i) => i);
  let total = 0;
${many}
  console.log("many", total);
}`, { timeoutMs: 60_000 });
    expect(run.errors).toEqual([]);
    const lines = (where: string) => [`${where} aabbcc`, `${where} 5n`, `${where} true 0`, `${where} 3x3 6`, `${where} 5,6,7,8 4`];
    // Sum over i of the even multiples (x * i for x in 0..99 kept when even).
    let total = 0;
    for (let i = 1; i <= 300; i++) for (let x = 0; x < 100; x++) if ((x * i) % 2 === 0) total += x * i;
    expect(run.lines).toEqual([...lines('here'), ...lines('pool'), `many ${total}`]);
  });

  it('findFirst finds the first match in source order even when a later chunk finishes first', async () => {
    const run = await runProgram(`${preamble}
function slowWhenEarly(i) { if (i < 100) { const end = Date.now() + 2; while (Date.now() < end) {} } return i; }
function main() {
  const pool = new ThreadPoolBuilder().numThreads(4).sequentialCutoff(0).build();
  pool.install(() => {
    console.log(range(0, 100000).map(slowWhenEarly).findFirst((i) => i % 10 === 7));
    console.log(range(0, 100000).findFirst((i) => i > 99990));
  });
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['7', '99991']);
  });

  it('a pool runs its work on exactly its own threads, and currentNumThreads says how many', async () => {
    const run = await runProgram(`${preamble}
function main() {
  for (const n of [1, 3]) {
    const pool = new ThreadPoolBuilder().numThreads(n).sequentialCutoff(0).build();
    // install runs its closure in the place of one of the pool's threads (Rayon, on one): so the caller may run some items, as that thread.
    const ids = pool.install(() => range(0, 20000).map((i) => { let s = 0; for (let j = 0; j < 200; j++) s += j; return [current().id(), currentThreadIndex()]; }).collect());
    const inside = pool.install(() => range(0, 1000).map(() => currentNumThreads()).max());
    console.log(n, new Set(ids.map(([id]) => id)).size <= n, ids.every(([, index]) => index !== undefined && index < n), pool.currentNumThreads(), pool.install(() => currentNumThreads()), inside);
  }
  console.log(currentNumThreads() >= 1);
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['1 true true 1 1 1', '3 true true 3 3 3', 'true']);
  });

  it('under the default cut-off, a few expensive items go to the pool after the first', async () => {
    const run = await runProgram(`${preamble}
function spin(ms) { const end = performance.now() + ms; while (performance.now() < end) {} }
function main() {
  const me = current().id();
  // Four items of 50 ms each: far more than the cut-off, so only the first runs here before the rest is handed on.
  const heavy = range(0, 4).map(() => { spin(50); return current().id(); }).collect();
  console.log("heavy: first here", heavy[0] === me, "rest on the pool", heavy.slice(1).some((id) => id !== me));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['heavy: first here true rest on the pool true']);
  });

  it('closures borrow: captured handles are shared with the pool and still usable after; plain data is copied', async () => {
    const run = await runProgram(`${preamble}
function main() {
  const total = new Arc(new Mutex(0));
  const hits = new AtomicI32(0);
  const table = { scale: 2 };
  const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  pool.install(() => range(0, 1000).forEach((i) => {
    hits.fetchAdd(1, Ordering.SeqCst);
    { using g = total.lock(); g.value = g.value + i * table.scale; }
  }));
  console.log(hits.load(Ordering.SeqCst), total.lock().value, table.scale);
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines[0]).toBe('1000 999000 2');
  });

  it('a par closure that changes what it captures is refused at the change, as Rust refuses it (its copies would lose the changes)', async () => {
    // Each thread of the pool has its own copy of plain data, and the calling thread runs part of the work on
    // the original: a count kept this way came out 1000, 574 or 1 from run to run before.
    const cases: [string, string][] = [
      ['let count = 0;', 'count++;'],
      ['let best = 0;', 'if (i > best) best = i;'],
      ['const seen: number[] = [];', 'seen.push(i);'],
      ['const table = { scale: 2 };', 'table.scale = i;'],
      ['const byKey = new Map();', 'byKey.set(i, 1);'],
      ['const list = [0];', 'list[0] = i;'],
    ];
    for (const [declaration, change] of cases) {
      const run = await runProgram(`${preamble}
function main() {
  ${declaration}
  range(0, 1000).forEach((i) => { ${change} });
}`);
      expect(run.outcome.status, change).toBe('compile-error');
      expect(run.errors[0]?.message, change).toMatch(/is changed inside a closure that weft\/par runs on several threads at once/);
      expect(run.errors[0]?.location?.line, change).toBe(preamble.split('\n').length + 3); // the range(…) line
    }
    // Writing a sharedArray by index is shared memory, and a closure's own locals are its own.
    const allowed = await runProgram(`${preamble}
function main() {
  const out = sharedArray(Int32Array, 10);
  range(0, 10).forEach((i) => { out[i] = i * 2; const mine = [i]; mine.push(1); });
  console.log(Array.from(out).join(","));
}`);
    expect(allowed.errors).toEqual([]);
    expect(allowed.lines).toEqual(['0,2,4,6,8,10,12,14,16,18']);
  });

  it('join runs both halves and returns both results, recursively (parallel fib)', async () => {
    const run = await runProgram(`${preamble}
function fib(n) {
  if (n < 12) return n < 2 ? n : fib(n - 1) + fib(n - 2);
  const [a, b] = join(() => fib(n - 1), () => fib(n - 2));
  return a + b;
}
function main() {
  const k = 10;
  console.log(join(() => k + 1, () => "b" + k));
  console.log(fib(22));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['[11, "b10"]', '17711']);
  });

  it("scope waits for every spawn, which may borrow the caller's handles", async () => {
    const run = await runProgram(`${preamble}
function main() {
  const sum = new AtomicI32(0);
  const out = sharedArray(Int32Array, 8);
  const r = scope((s) => {
    for (let i = 0; i < 8; i++) s.spawn(() => { sum.fetchAdd(i, Ordering.SeqCst); out[i] = i * i; });
    return "body";
  });
  console.log(r, sum.load(Ordering.SeqCst), Array.from(out).join(","));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['body 28 0,1,4,9,16,25,36,49']);
  });

  it("a panic in a par closure is rethrown in the caller with the closure's line (map, join, scope)", async () => {
    const closureLine = `    if (i === 777) throw new Error("bad item " + i);`;
    const source = `${preamble}
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  pool.install(() => range(0, 5000).map((i) => {
${closureLine}
    return i;
  }).sum());
}`;
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('panic');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]!.message).toBe("thread 'main' panicked: bad item 777");
    expect(run.errors[0]!.location?.line).toBe(lineOf(source, closureLine));

    const joined = await runProgram(`${preamble}
function main() {
  try { join(() => 1, () => { throw new RangeError("right half"); }); } catch (e) { console.log("caught", e.name, e.message); }
  try { scope((s) => { s.spawn(() => { throw new Error("spawned"); }); }); } catch (e) { console.log("caught", e.message); }
  console.log(range(0, 10).sum());
}`);
    expect(joined.errors).toEqual([]);
    expect(joined.lines).toEqual(['caught RangeError right half', 'caught spawned', '45']);
  });

  it('parSort and parSortBy sort in place like their sequential counterparts (stable), on the pool and below the cut-off', async () => {
    const run = await runProgram(`import { parSort, parSortBy, sharedArray, ThreadPoolBuilder } from "weft/par";
function byFloor(p, q) { return Math.floor(p.x) - Math.floor(q.x); }
function check(n) {
  const xs = [];
  for (let i = 0; i < n; i++) xs.push(((i * 7919) % 1009) - 500 + (i % 3) * 0.5);
  const want = JSON.stringify([...xs].sort((a, b) => a - b));
  const a = [...xs]; parSort(a);
  const f = Float64Array.from(xs); parSort(f);
  const s = sharedArray(Float64Array, xs); parSort(s);
  const objs = xs.map((x, i) => ({ x, i }));
  const o = [...objs]; parSortBy(o, byFloor);
  const down = Int32Array.from(xs.map(Math.floor)); parSortBy(down, (p, q) => q - p);
  const words = xs.map((x) => "w" + x); const w = [...words]; parSort(w);
  return [
    JSON.stringify(a) === want,
    JSON.stringify(Array.from(f)) === want,
    JSON.stringify(Array.from(s)) === want,
    JSON.stringify(o) === JSON.stringify([...objs].sort(byFloor)),
    JSON.stringify(Array.from(down)) === JSON.stringify(Array.from(Int32Array.from(xs.map(Math.floor)).sort((p, q) => q - p))),
    JSON.stringify(w) === JSON.stringify([...words].sort()),
  ].every(Boolean);
}
function main() {
  const eager = new ThreadPoolBuilder().numThreads(3).sequentialCutoff(0).build();
  const sizes = [0, 1, 2, 3, 7, 100, 5000, 70001];
  console.log(eager.install(() => sizes.map(check)).join(" "));
  console.log(sizes.map(check).join(" "));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(Array(2).fill(Array(8).fill('true').join(' ')));
  });

  it('parSort refuses items with no order of their own (Rust needs Ord), naming the first odd one; parSortBy sorts them', async () => {
    const run = await runProgram(`${preamble}
import { parSort, parSortBy } from "weft/par";
function main() {
  for (const items of [[{ a: 2 }, { a: 1 }], [3, "a", 1]]) {
    try { parSort(items); console.log("sorted"); } catch (e) { console.log(e.name, e.message.split(" (")[0]); }
  }
  const objects = [{ a: 2 }, { a: 1 }];
  parSortBy(objects, (x, y) => x.a - y.a);
  const words = ["b", "a"], big = [3n, 1n];
  parSort(words); parSort(big);
  console.log(objects.map((o) => o.a).join(","), words.join(","), big.join(","));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([
      'TypeError parSort orders numbers, strings, bigints or booleans of one kind, or arrays of them as tuples, but item 0 is an object',
      'TypeError parSort orders numbers, strings, bigints or booleans of one kind, or arrays of them as tuples, but item 1 is a string where item 0 is a number',
      '1,2 a,b 1,3',
    ]);
  });

  it('nested par iterators inside par closures run (a worker helps while it waits)', async () => {
    const run = await runProgram(`${preamble}
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  const got = pool.install(() => range(0, 40).map((i) => range(0, i).map((j) => j * i).sum()).collect());
  const want = [];
  for (let i = 0; i < 40; i++) { let s = 0; for (let j = 0; j < i; j++) s += j * i; want.push(s); }
  console.log(JSON.stringify(got) === JSON.stringify(want));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['true']);
  });

  it('under a seed, par runs on the calling thread and replays', async () => {
    const source = `${preamble}
function main() { console.log(range(0, 100).map((i) => i * 2).sum(), join(() => 1, () => 2)); }`;
    const run = await runProgram(source, { seed: 7 });
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['9900 [1, 2]']);
  });

  it('under a seed, the work is cut into pieces the seed chooses: every adapter still equals its loop, a reduce that is not associative does not', { timeout: 240_000 }, async () => {
    for (const seed of [3, 8]) {
      const run = await runProgram(equivalenceProgram('[0, 1, 2, 5, 33, 300]'), { seed, timeoutMs: 60_000 });
      expect(run.errors).toEqual([]);
      expect(run.lines).toEqual(['all equal']);
    }
    const source = `${preamble}
function main() {
  const minus = range(1, 41).reduce(() => 0, (a, b) => a - b);
  const plus = range(1, 41).reduce(() => 0, (a, b) => a + b);
  const big = parIter([1, 2, 3, 4, 5, 6, 7, 8]).withMinLen(5).reduce(() => 0, (a, b) => a - b);
  console.log(minus, plus, big);
}`;
    const answers = new Set<string>();
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const a = await runProgram(source, { seed });
      const again = await runProgram(source, { seed });
      expect(again.lines).toEqual(a.lines); // a seed replays its pieces
      const [minus, plus, big] = a.lines[0]!.split(' ').map(Number);
      expect(plus).toBe(820);
      expect(big).toBe(-36); // withMinLen(5) over 8 items: never cut, so the loop's answer for every seed
      answers.add(String(minus));
    }
    expect(answers.size).toBeGreaterThan(1);
  });

  it('the trace records each join with how deeply it is nested, and each parallel iterator with its number of items', async () => {
    const source = `${preamble}
function sum(xs: number[]): number {
  if (xs.length <= 2) return xs.reduce((a, b) => a + b, 0);
  const mid = xs.length >> 1;
  const [a, b] = join(() => sum(xs.slice(0, mid)), () => sum(xs.slice(mid)));
  return a + b;
}
function main() {
  console.log(sum([1, 2, 3, 4, 5, 6, 7, 8]), range(0, 50).map((i) => i).sum());
}`;
    const run = await runProgram(source, { seed: 4, trace: true });
    expect(run.lines).toEqual(['36 1225']);
    const view = new TraceView(run.outcome.trace);
    // 8 -> 4 + 4 -> each 4 -> 2 + 2: one join at depth 0, two at depth 1.
    expect(view.parJoins().map((j) => j.depth)).toEqual([0, 1, 1]);
    expect(view.parJoins().every((j) => j.line === lineOf(source, 'const [a, b] = join'))).toBe(true);
    expect(view.parIterators().map((p) => p.items)).toEqual([50]);
  });

  it("the trace carries a parallel iterator's result and a join's two results when they are numbers, seeded or free", async () => {
    const source = `${preamble}
function main() {
  const [a, b] = join(() => range(0, 2_000).map((i) => i % 7).sum(), () => "not a number");
  const total = range(0, 100_000).map((i) => i % 13).reduce(() => 0, (x, y) => x + y);
  const items = range(0, 10).collect();
  console.log(a, total, items.length, typeof b);
}`;
    for (const seed of [3, undefined]) {
      const run = await runProgram(source, { ...(seed !== undefined ? { seed } : {}), trace: true });
      expect(run.lines[0]).toMatch(/^\d+ \d+ 10 string$/);
      const [a, total] = run.lines[0]!.split(' ').map(Number);
      const view = new TraceView(run.outcome.trace);
      expect(view.parIterators().map((p) => [p.items, p.value])).toEqual([
        [2_000, a],
        [100_000, total],
        [10, undefined], // collect: an array, not a number
      ]);
      expect(view.parJoins().map((j) => j.results)).toEqual([[a, undefined]]);
    }
  });

  it("in a free run the trace says how long the pool's pieces took, so a total worked out before and passed through the pool shows as no work", async () => {
    // Each item spins for 0.5 ms of the real clock: the iterator's pieces and the join's halves take what their items take, on whichever thread.
    const source = `${preamble}
function busy(ms: number): number { const end = performance.now() + ms; let spins = 0; do spins++; while (performance.now() < end); return spins > 0 ? 1 : 0; }
function main() {
  const worked = range(0, 40).map(() => busy(0.5)).sum();
  let outside = 0;
  for (let i = 0; i < 40; i++) outside += busy(0.5);
  const [a, b] = join(() => range(0, 8).map(() => busy(0.5)).sum(), () => outside);
  // A clock that gains a second a call cannot make the pass-through look busy: the trace's was kept before the program ran.
  let fake = 0;
  performance.now = () => (fake += 1000);
  const passed = parIter([outside]).sum();
  console.log(worked, passed, a, b);
}`;
    const free = await runProgram(source, { trace: true });
    expect(free.lines, JSON.stringify(free.errors)).toEqual(["40 40 8 40"]);
    const view = new TraceView(free.outcome.trace);
    const [worked, inner, passed] = view.parIterators();
    // 40 items of 0.5 ms: at least 20 ms of pieces, none of them the whole of it.
    expect(worked!.work!.totalMs).toBeGreaterThanOrEqual(20);
    expect(worked!.work!.longestMs).toBeLessThan(worked!.work!.totalMs);
    // The pass-through: one item that took next to nothing.
    expect(passed!.items).toBe(1);
    expect(passed!.work!.totalMs).toBeLessThan(2);
    expect(passed!.work!.longestMs).toBe(passed!.work!.totalMs);
    expect(inner!.work!.totalMs).toBeGreaterThanOrEqual(4);
    const [joined] = view.parJoins();
    expect(joined!.halvesMs![0]).toBeGreaterThanOrEqual(4);
    expect(joined!.halvesMs![1]).toBeLessThan(2);

    // Under a seed the trace keeps only replayable numbers: no times.
    const seeded = await runProgram(source, { seed: 5, trace: true });
    const seededView = new TraceView(seeded.outcome.trace);
    expect(seededView.parIterators().map((p) => p.work)).toEqual([undefined, undefined, undefined]);
    expect(seededView.parJoins().map((j) => j.halvesMs)).toEqual([undefined]);
  });

  it('capturing what cannot cross a thread is refused as for spawn: at compile time (a local function) or at the call (a value)', async () => {
    const compileError = await runProgram(`${preamble}
function main() {
  const twice = (x) => x * 2;
  console.log(parIter([1, 2]).map((x) => twice(x)).sum());
}`);
    expect(compileError.outcome.status).toBe('compile-error');
    expect(compileError.errors[0]!.message).toContain('`twice` is a function and cannot be moved into a thread');

    const runtime = await runProgram(`${preamble}
class Counter { n = 0; bump() { this.n++; } }
function make() { return new Counter(); }
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  const c = make();
  pool.install(() => range(0, 10).forEach((i) => c.bump()));
}`);
    expect(runtime.outcome.status).toBe('panic');
    expect(runtime.errors[0]!.message).toContain('`c`');
    expect(runtime.errors[0]!.message).toContain('not `Send`');
  });

  it('ordinary array methods with the same names are not lifted', async () => {
    const run = await runProgram(`${preamble}
function main() {
  const twice = (x) => x * 2;
  const xs = [1, 2, 3].map((x) => twice(x)).filter((x) => x > 2);
  console.log(xs.join(","), parIter(xs).collect().map((x) => twice(x)).join(","));
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['4,6 8,12']);
  });
});
