// weft/par in a real Chromium page, through the book's own runner chunk
// (browser-host) against the built site: a core subset of the Node tests
// (tests/unit/weft/par.test.ts) — adapters equal to their sequential
// counterparts on the pool, findFirst order, a pool's size, join, scope,
// parSort, and a panic at the closure's line.
import { test, expect } from './support/fixtures.ts';
import { runInPage as run } from './support/run-in-page.ts';

test.describe('weft/par in Chromium', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  });

  test('adapters on the pool equal their sequential counterparts; findFirst keeps order; the pool keeps its size', async ({ page }) => {
    const result = await run(
      page,
      `import { parIter, range, sharedArray, ThreadPoolBuilder, currentNumThreads } from "weft/par";
import { current } from "weft/thread";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(3).sequentialCutoff(0).build();
  const checks = pool.install(() => {
    const out = [];
    for (const n of [0, 1, 20000]) {
      const xs = [];
      for (let i = 0; i < n; i++) xs.push((i * 7919) % 1000);
      const shared = sharedArray(Float64Array, xs);
      out.push(parIter(shared).map((x) => x * 3).sum() === xs.reduce((a, x) => a + x * 3, 0));
      out.push(JSON.stringify(parIter(xs).filter((x) => x % 7 === 0).collect()) === JSON.stringify(xs.filter((x) => x % 7 === 0)));
      out.push(range(0, n).map((i) => xs[i]).reduce(() => 0, (a, b) => a + b) === xs.reduce((a, b) => a + b, 0));
      out.push(parIter(xs).findFirst((x) => x > 990) === xs.find((x) => x > 990));
      out.push(parIter(xs).max() === (n ? Math.max(...xs) : undefined));
      out.push(parIter(xs).count() === n);
    }
    const ids = new Set(range(0, 30000).map(() => current().id()).collect());
    out.push(ids.size <= 3 && currentNumThreads() === 3);
    return out;
  });
  console.log(checks.every(Boolean), checks.length);
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['true 19']);
  });

  test('join, scope and parSort', async ({ page }) => {
    const result = await run(
      page,
      `import { join, scope, parSort, sharedArray, ThreadPoolBuilder } from "weft/par";
import { AtomicI32, Ordering } from "weft/sync";
function fib(n) {
  if (n < 12) return n < 2 ? n : fib(n - 1) + fib(n - 2);
  const [a, b] = join(() => fib(n - 1), () => fib(n - 2));
  return a + b;
}
function main() {
  const total = new AtomicI32(0);
  scope((s) => { for (let i = 1; i <= 10; i++) s.spawn(() => { total.fetchAdd(i, Ordering.SeqCst); }); });
  const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  const xs = [];
  for (let i = 0; i < 50000; i++) xs.push((i * 7919) % 10007);
  const sorted = pool.install(() => { const a = sharedArray(Float64Array, xs); parSort(a); return Array.from(a); });
  console.log(fib(20), total.load(Ordering.SeqCst), JSON.stringify(sorted) === JSON.stringify([...xs].sort((a, b) => a - b)));
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['6765 55 true']);
  });

  test("a panic in a par closure reaches main with the closure's line", async ({ page }) => {
    const result = await run(
      page,
      `import { range, ThreadPoolBuilder } from "weft/par";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).build();
  pool.install(() => range(0, 1000).forEach((i) => {
    if (i === 500) throw new Error("bad " + i);
  }));
}`,
    );
    expect(result.status).toBe('panic');
    expect(result.errors[0]?.message).toBe("thread 'main' panicked: bad 500");
    expect(result.errors[0]?.line).toBe(5);
  });
});
