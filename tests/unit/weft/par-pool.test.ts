// A ThreadPool's own join and scope (Rayon's ThreadPool::join and
// ThreadPool::scope): results come back as a tuple, the work runs on that
// pool's threads, panics come back as join's and scope's do, and the
// closures borrow what they capture. Programs run through the real compile
// step and runner.
// Upstream: rayon-core/src/thread_pool/test.rs `nested_scopes`,
// `in_place_scope_no_deadlock`.
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';
import { schedules } from '../support/schedules.ts';
import { TraceView } from '../../../src/exercises/trace-view.ts';

const { ok, run } = programsWith(`import { join, range, ThreadPoolBuilder, currentNumThreads } from "weft/par";
import { current } from "weft/thread";
import { AtomicBool, AtomicI32, Ordering, mpsc } from "weft/sync";
`);

describe('ThreadPool.join', () => {
  it("returns both results as a tuple, and runs both closures on the pool's threads, never the caller's", async () => {
    const result = await ok(`
function where() { return { id: current().id(), name: current().name(), threads: currentNumThreads() }; }
function main() {
  const me = current().id();
  const three = new ThreadPoolBuilder().numThreads(3).build();
  console.log(three.join(() => 1 + 1, () => "two"));
  for (let i = 0; i < 20; i++) {
    const [a, b] = three.join(() => where(), () => where());
    if (a.id === me || b.id === me || a.threads !== 3 || b.threads !== 3 || !a.name.startsWith("par-worker") || !b.name.startsWith("par-worker")) {
      console.log("not on the pool", JSON.stringify([a, b]));
    }
  }
  // A pool of one thread runs both on that thread, one after the other.
  const one = new ThreadPoolBuilder().numThreads(1).build();
  const [a, b] = one.join(() => where(), () => where());
  console.log(a.id === b.id, a.id !== me, a.threads, b.threads);
  // install(() => join(…)) still works, and so does a plain join after.
  console.log(three.install(() => join(() => currentNumThreads(), () => 5)), join(() => 6, () => 7));
}`);
    expect(result.lines).toEqual(['[2, "two"]', 'true true 1 1', '[3, 5] [6, 7]']);
  });

  it('runs the two closures at the same time when the pool has threads for both', async () => {
    // Each closure waits (up to 5 s) for the other to have started: only possible when they run in parallel.
    const result = await ok(`
function meet(me, other) {
  me.store(true, Ordering.SeqCst);
  const end = Date.now() + 5000;
  while (!other.load(Ordering.SeqCst) && Date.now() < end) {}
  return other.load(Ordering.SeqCst);
}
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const a = new AtomicBool(false), b = new AtomicBool(false);
  console.log(pool.join(() => meet(a, b), () => meet(b, a)));
}`);
    expect(result.lines).toEqual(['[true, true]']);
  });

  it("both closures borrow a captured array and handles; a join nested in a pool's scope runs on that pool", async () => {
    const result = await ok(`
function sum(xs, lo, hi) { let s = 0; for (let i = lo; i < hi; i++) s += xs[i]; return s; }
function main() {
  const xs = Array.from({ length: 1000 }, (_, i) => i);
  const hits = new AtomicI32(0);
  const pool = new ThreadPoolBuilder().numThreads(3).build();
  const [lo, hi] = pool.join(() => { hits.fetchAdd(1, Ordering.SeqCst); return sum(xs, 0, 500); }, () => { hits.fetchAdd(1, Ordering.SeqCst); return sum(xs, 500, xs.length); });
  console.log(lo, hi, lo + hi, hits.load(Ordering.SeqCst), xs.length);
  const total = new AtomicI32(0);
  const threads = new AtomicI32(0);
  const r = pool.scope((s) => {
    for (let k = 0; k < 4; k++) {
      s.spawn(() => {
        const [a, b] = join(() => sum(xs, k * 250, k * 250 + 125), () => sum(xs, k * 250 + 125, (k + 1) * 250));
        total.fetchAdd(a + b, Ordering.SeqCst);
        threads.fetchAdd(currentNumThreads(), Ordering.SeqCst);
      });
    }
    return "scope body";
  });
  console.log(r, total.load(Ordering.SeqCst), threads.load(Ordering.SeqCst));
}`);
    expect(result.lines).toEqual(['124750 374750 499500 2 1000', 'scope body 499500 12']);
  });

  it("a panic in either closure is rethrown once both ran, a's first, as Rayon's join does", async () => {
    const result = await ok(`
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const bRan = new AtomicBool(false);
  try { pool.join(() => { throw new RangeError("a panics"); }, () => { bRan.store(true, Ordering.SeqCst); }); console.log("returned"); }
  catch (e) { console.log("caught", e.name, e.message, "b ran:", bRan.load(Ordering.SeqCst)); }
  const aRan = new AtomicBool(false);
  try { pool.join(() => { aRan.store(true, Ordering.SeqCst); }, () => { throw new Error("b panics"); }); console.log("returned"); }
  catch (e) { console.log("caught", e.message, "a ran:", aRan.load(Ordering.SeqCst)); }
  try { pool.join(() => { throw new Error("from a"); }, () => { throw new Error("from b"); }); }
  catch (e) { console.log("both panicked:", e.message); }
  try { pool.scope((s) => { s.spawn(() => { throw new Error("spawned"); }); }); }
  catch (e) { console.log("scope:", e.message); }
  console.log(pool.join(() => "still", () => "works"));
}`);
    expect(result.lines).toEqual(['caught RangeError a panics b ran: true', 'caught b panics a ran: true', 'both panicked: from a', 'scope: spawned', '["still", "works"]']);
  });

  it('the trace records it as a join: its line, its two results, and in a free run how long each closure took on the pool', async () => {
    const source = `
function busy(ms) { const end = performance.now() + ms; while (performance.now() < end) {} }
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  const before = 40;
  const [a, b] = pool.join(() => { busy(5); return 1; }, () => before);
  console.log(a, b);
}`;
    const free = await ok(source, { trace: true });
    expect(free.lines).toEqual(['1 40']);
    const [joined] = new TraceView(free.outcome.trace).parJoins();
    expect(joined!.thread).toBe('main');
    expect(joined!.line).toBe(free.source.split('\n').findIndex((l) => l.includes('pool.join(')) + 1);
    expect(joined!.results).toEqual([1, 40]);
    expect(joined!.halvesMs![0]).toBeGreaterThanOrEqual(4);
    expect(joined!.halvesMs![1]).toBeLessThan(2);
    const seeded = await ok(source, { seed: 3, trace: true });
    expect(new TraceView(seeded.outcome.trace).parJoins().map((j) => [j.results, j.halvesMs])).toEqual([[[1, 40], undefined]]);
  });

  it("a closure that waits on a channel fed by the other deadlocks a one-thread pool, as Rayon's does; two threads get through", async () => {
    // Both closures run on the pool: on one thread, `a` blocks it and `b` waits behind `a` for ever.
    const result = await run(`
function main() {
  const [tx, rx] = mpsc.channel();
  const two = new ThreadPoolBuilder().numThreads(2).build();
  console.log(two.join(() => rx.recv(), () => { tx.send(7); return "sent"; }));
  const one = new ThreadPoolBuilder().numThreads(1).build();
  console.log(one.join(() => rx.recv(), () => { tx.send(8); return "sent"; }));
}`);
    expect(result.lines).toEqual(['[7, "sent"]']);
    expect(result.outcome.status).toBe('deadlock');
    expect(result.errors.map((e) => e.message)).toContain("'main' is blocked waiting for parallel work on the thread pool");
    expect(result.errors.map((e) => e.message).some((m) => /'par-worker-1' is blocked waiting to receive from a channel/.test(m))).toBe(true);
  });

  it("a panic's report points at the closure's line", async () => {
    const result = await run(`
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  pool.join(() => 1, () => {
    throw new Error("right half");
  });
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toBe("thread 'main' panicked: right half");
    expect(result.errors[0]!.location?.line).toBe(result.source.split('\n').findIndex((l) => l.includes('"right half"')) + 1);
  });

  it('a pool that reaches join through a parameter is refused with what to write instead', async () => {
    const result = await run(`
function half(pool, xs) { return pool.join(() => xs[0], () => xs[1]); }
function main() {
  console.log(half(new ThreadPoolBuilder().numThreads(2).build(), [1, 2]));
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toMatch(/join: weft could not see that this closure goes to the thread pool.*pool\.install\(\(\) => join\(/);
  });
});

describe('ThreadPool.scope', () => {
  it("runs every spawn on the pool's threads and returns the body's value once they are done", async () => {
    // The body runs in the place of one of the pool's threads (Rayon runs it on one), and so may the spawns.
    const result = await ok(`
import { currentThreadIndex } from "weft/par";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(3).build();
  const done = new AtomicI32(0), elsewhere = new AtomicI32(0), three = new AtomicI32(0);
  const r = pool.scope((s) => {
    for (let i = 0; i < 30; i++) {
      s.spawn((s) => {
        s.spawn(() => { done.fetchAdd(1, Ordering.SeqCst); });
        const index = currentThreadIndex();
        if (index !== undefined && index < 3) elsewhere.fetchAdd(1, Ordering.SeqCst);
        if (currentNumThreads() === 3) three.fetchAdd(1, Ordering.SeqCst);
      });
    }
    return currentNumThreads();
  });
  console.log(r, done.load(Ordering.SeqCst), elsewhere.load(Ordering.SeqCst), three.load(Ordering.SeqCst));
}`);
    expect(result.lines).toEqual(['3 30 30 30']);
  });

  for (const { label, options } of schedules([1])) {
    it(`nested_scopes: a spawn into each of ten one-thread pools' nested scopes runs on each (${label})`, async () => {
      const result = await ok(
        `
function nest(pools, scopes, op) {
  if (pools.length > 0) pools[0].scope((s) => nest(pools.slice(1), [...scopes, s], op));
  else op(scopes);
}
function main() {
  const pools = Array.from({ length: 10 }, () => new ThreadPoolBuilder().numThreads(1).build());
  const counter = new AtomicI32(0);
  nest(pools, [], (scopes) => {
    for (const s of scopes) s.spawn(() => { counter.fetchAdd(1, Ordering.Relaxed); });
  });
  console.log(counter.load(Ordering.SeqCst), pools.length);
}`,
        options,
      );
      expect(result.lines).toEqual(['10 10']);
    });

    it(`in_place_scope_no_deadlock: the body waits for its own spawn on a one-thread pool (${label})`, async () => {
      // in_place_scope runs its body on the calling thread, so the pool's one thread is free to run
      // the spawn the body waits for (with pool.scope, the body would hold that thread: see below).
      const result = await ok(
        `
function main() {
  const pool = new ThreadPoolBuilder().numThreads(1).build();
  const [tx, rx] = mpsc.channel();
  pool.inPlaceScope((s) => {
    s.spawn(() => { tx.send("from the pool"); });
    console.log(rx.recv());
  });
}`,
        options,
      );
      expect(result.lines).toEqual(['from the pool']);
    });
  }
});

// Rayon's ThreadPool is Send and Sync: it may be moved into a thread, shared
// through an Arc, or borrowed by scoped threads, and work installed from any
// of them runs on that pool's threads.
describe('A ThreadPool used from other threads', () => {
  for (const { label, options } of schedules([3])) {
    it(`scoped threads borrow one pool: each one's install, join and scope run on it (${label})`, async () => {
      const result = await ok(
        `
import { scope, spawn } from "weft/thread";
function main() {
  const pool = new ThreadPoolBuilder().numThreads(3).build();
  const [tx, rx] = mpsc.channel();
  scope((s) => {
    for (let t = 1; t <= 2; t++) {
      s.spawn(() => {
        const sum = pool.install(() => range(0, 100).map((x) => x * t).sum());
        const [a, b] = pool.join(() => currentNumThreads(), () => t * 10);
        const seen = new AtomicI32(0);
        pool.scope((sc) => { for (let i = 0; i < 4; i++) sc.spawn(() => { seen.fetchAdd(currentNumThreads(), Ordering.SeqCst); }); });
        tx.send(\`\${t}: \${sum} \${a} \${b} \${seen.load(Ordering.SeqCst)}\`);
      });
    }
  });
  tx.drop();
  console.log([...rx].sort().join(" | "));
}`,
        options,
      );
      expect(result.lines).toEqual(['1: 4950 3 10 12 | 2: 9900 3 20 12']);
    });
  }

  it('an Arc of a pool shares it between threads; a pool moved into a thread is spent where it was', async () => {
    const result = await run(`
import { spawn } from "weft/thread";
import { Arc } from "weft/sync";
function main() {
  const shared = new Arc(new ThreadPoolBuilder().numThreads(2).build());
  const handles = [1, 2, 3].map((t) => {
    const pool = shared.clone();
    return spawn(() => pool.install(() => join(() => t * currentNumThreads(), () => range(0, t).sum())));
  });
  console.log(handles.map((h) => h.join()).join(" "), String(shared));
  const mine = new ThreadPoolBuilder().numThreads(1).build();
  console.log(spawn(() => mine.install(() => currentNumThreads())).join());
  mine.install(() => 0);
}`);
    expect(result.lines).toEqual(['2,0 4,1 6,3 ThreadPool { numThreads: 2 }', '1']);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors.map((e) => e.message).join('\n')).toMatch(/use of moved value `mine`: this ThreadPool was moved into thread \d+ at line 15/);
  });
});
