/**
 * A weft/sync primitive that a block's local variable makes and never lets
 * go is dropped at the block's end, as in Rust (compile/local-drops.ts):
 * its record in run memory is freed. And never while anything else can
 * still reach it: a handle sent, moved, put in an Arc or a lock, captured by
 * a thread, a scoped thread or a par closure, or a guard that left the block
 * still holding the lock. Freeing then would be a use-after-free in shared
 * memory, a silent corruption, so the adversarial programs below let a
 * handle escape, end its block, make hundreds of new records of the same
 * size (which would land on the freed one), and use the escaped handle.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { compile } from '../../../src/compile/index.ts';
import { evaluate } from '../support/compile.ts';
import { lineOf, programsWith } from '../support/run-program.ts';
import { enterRun } from '../support/run-memory.ts';
import { H } from '../../../src/weft/runtime/memory.ts';
import { resetRunLocals } from '../../../src/weft/runtime/run-local.ts';
import * as sync from '../../../src/weft/sync.ts';

afterEach(() => resetRunLocals());

/** Compiles `source` and runs its main in this process, as thread 1 of a fresh run; returns main's value and the heap's high-water mark. */
function runHere(source: string): { value: unknown; bump: number } {
  const memory = enterRun();
  const { exports } = evaluate(compile(source), { 'weft/sync': sync as unknown as Record<string, unknown> });
  const value = exports.main();
  return { value, bump: memory.header[H.bump]! };
}

const { ok, run } = programsWith(`import { spawn, scope, sleep } from "weft/thread";
import { mpsc, drop, Arc, Mutex, RwLock, AtomicI32, Condvar } from "weft/sync";
import { parIter } from "weft/par";
/** Makes and drops records of every size the tests use, with values of their own: a freed record would be reused here. */
/** Frees 70 Mutexes in a row: this thread's cache of freed records (64) is full, so the next one freed goes back to the free lists, where another thread's next record comes from. */
function fillCache(n = 70) {
  if (n === 0) return;
  const m = new Mutex(n);
  fillCache(n - 1);
  m.clearPoison();
}
function churn() {
  for (let i = 0; i < 300; i++) {
    { const x = new Mutex(-1); using g = x.lock(); g.value = -2; }
    { const t = new Mutex("churn " + i); using g = t.lock(); g.value = g.value + "!"; }
    { const y = new RwLock(-3); using w = y.write(); w.value = -4; }
    { const z = new AtomicI32(-5); z.store(-6); }
  }
}
`);

const ROUNDS = 20_000;

describe('a local that never lets its primitive go frees it at the end of its block', () => {
  it('a Mutex, an RwLock, a Condvar, a Barrier, a Once and atomics made each round leave run memory where one round does', () => {
    // Before: every record stayed (64 bytes a Mutex: the 50,000,000-round loop of the issue stopped at ~16 million
    // with 'the run needs more than 1024 MiB of shared memory'), so the mark grew with the rounds.
    const loop = (rounds: number) => `import { Mutex, RwLock, Condvar, Barrier, Once, AtomicUsize, AtomicBool, AtomicI64 } from "weft/sync";
function main() {
  let total = 0;
  for (let i = 0; i < ${rounds}; i++) {
    const m = new Mutex(i);
    using g = m.lock();
    total += g.value;
    const text = new RwLock("round " + i);
    using r = text.read();
    total += r.value.length;
    const cv = new Condvar();
    cv.notifyAll();
    const b = new Barrier(1);
    if (b.wait().isLeader()) total += 1;
    const once = new Once();
    once.callOnce(() => { total += 1; });
    const n = new AtomicUsize(1);
    total += n.fetchAdd(1);
    const flag = new AtomicBool(false);
    if (!flag.swap(true)) total += 1;
    const big = new AtomicI64(5n);
    total += Number(big.load());
  }
  return total;
}`;
    const one = runHere(loop(1));
    const many = runHere(loop(ROUNDS));
    let expected = 0;
    for (let i = 0; i < ROUNDS; i++) expected += i + ('round ' + i).length + 1 + 1 + 1 + 1 + 5;
    expect(many.value).toBe(expected);
    expect(many.bump).toBe(one.bump);
  });
});

describe('every way out of the block drops it', () => {
  it('continue, break, return and a caught throw free it as the end of the block does', () => {
    const loop = (rounds: number) => `import { Mutex, AtomicI32 } from "weft/sync";
function step(i) {
  const m = new Mutex(i);
  using g = m.lock();
  if (i % 4 === 0) return g.value;
  if (i % 4 === 1) throw new Error("odd");
  return -g.value;
}
function main() {
  let total = 0;
  for (let i = 0; ; i++) {
    const a = new AtomicI32(i);
    if (a.load() === ${rounds}) break;
    if (i % 5 === 0) continue;
    try { total += step(a.load()); } catch (e) { total += 1; }
  }
  return total;
}`;
    const one = runHere(loop(10));
    const many = runHere(loop(ROUNDS));
    let expected = 0;
    for (let i = 0; i < ROUNDS; i++) if (i % 5 !== 0) expected += i % 4 === 0 ? i : i % 4 === 1 ? 1 : -i;
    expect(many.value).toBe(expected);
    expect(many.bump).toBe(one.bump);
  });

  it("an async function with such a local runs as before, across its awaits", async () => {
    const { lines } = await ok(`
import { spawn as spawnTask, sleep as nap } from "weft/task";
async function tick(i: number) {
  const m = new Mutex(i);
  await nap(0);
  using g = m.lock();
  return g.value;
}
async function main() {
  let total = 0;
  for (let i = 0; i < 5; i++) total += await spawnTask(tick(i));
  console.log(total);
}`);
    expect(lines).toEqual(['10']);
  });

  it("a panic in such a block is still reported at the reader's line and column", async () => {
    const { lines, errors, outcome, source } = await run(`
function main() {
  const t = spawn(() => {
    const m = new Mutex(1);
    using g = m.lock();
    if (g.value === 1) throw new Error("at its line");
  });
  try { t.join(); } catch (e) { console.log(String(e.message)); }
}`);
    expect(outcome.status).toBe('ok');
    expect(lines).toEqual(['at its line']);
    const text = 'if (g.value === 1) throw new Error("at its line");';
    const line = lineOf(source, text);
    const column = source.split('\n')[line - 1]!.indexOf('new Error') + 1;
    expect(errors.map((e) => [e.message, e.location?.line, e.location?.column])).toEqual([["thread 'thread 2' panicked: at its line", line, column]]);
  });
});

describe('a primitive that something else can still reach is never freed', () => {
  it('sent through a channel from inside a block, then received after the block ended', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<Mutex<number>>();
  { const m = new Mutex(41); tx.send(m); }
  churn();
  const got = rx.recv();
  using g = got.lock();
  g.value += 1;
  console.log(g.value);
}`);
    expect(lines).toEqual(['42']);
  });

  it('put in an Arc and shared with threads, the Arc dropped where it was made', async () => {
    const { lines } = await ok(`
function main() {
  let handles = [];
  let shared;
  {
    const m = new Mutex(0);
    const a = new Arc(m);
    shared = a.clone();
    for (let t = 0; t < 3; t++) { const mine = a.clone(); handles.push(spawn(() => { for (let i = 0; i < 100; i++) { using g = mine.lock(); g.value += 1; } })); }
  }
  churn();
  for (const h of handles) h.join();
  churn();
  using g = shared.lock();
  console.log(g.value);
}`);
    expect(lines).toEqual(['300']);
  });

  it('captured by scoped threads and by a par closure, then used after the scope', async () => {
    const { lines } = await ok(`
function main() {
  const counter = new Mutex(0);
  const hits = new AtomicI32(0);
  scope((s) => {
    for (let t = 0; t < 3; t++) s.spawn(() => { for (let i = 0; i < 50; i++) { using g = counter.lock(); g.value += 1; } hits.fetchAdd(1); });
  });
  churn();
  const words = new RwLock(0);
  parIter([1, 2, 3, 4, 5, 6, 7, 8]).forEach((x) => { using w = words.write(); w.value += x; });
  churn();
  using g = counter.lock();
  using r = words.read();
  console.log(g.value, hits.load(), r.value);
}`);
    expect(lines).toEqual(['150 3 36']);
  });

  it('stored inside another Mutex from inside a block, then locked through it after the block ended', async () => {
    const { lines } = await ok(`
function main() {
  const outer = new Mutex<Mutex<number> | null>(null);
  {
    const inner = new Mutex(7);
    using g = outer.lock();
    g.value = inner;
  }
  churn();
  using g = outer.lock();
  using h = g.value!.lock();
  console.log(h.value);
}`);
    expect(lines).toEqual(['7']);
  });

  it('a guard that left its block still holding the lock keeps the record; one released refuses use', async () => {
    const { lines } = await ok(`
function main() {
  let held;
  let released;
  for (let i = 0; i < 3; i++) {
    const m = new Mutex("value " + i);
    held = m.lock();
    const other = new Mutex(i);
    const g = other.lock();
    g.unlock();
    released = g;
  }
  churn();
  console.log(held.value);
  held.value = "changed";
  held.unlock();
  try { console.log(released.value); } catch (e) { console.log(String(e)); }
  churn();
}`);
    expect(lines).toEqual(['value 2', 'Error: this MutexGuard was already released: lock the Mutex again to use its value']);
  });

  it('declared in a scope closure and captured by its scoped threads, which run on after the closure returns', async () => {
    // The closure's block ends before scope() joins its threads (Rust would not compile this: the Mutex does not
    // outlive the scope). The threads start counting only after another thread has made new records meanwhile.
    const { lines } = await ok(`
function main() {
  const ended = new AtomicI32(0);
  const go = new AtomicI32(0);
  const most = new AtomicI32(0);
  scope((s) => {
    const m = new Mutex(0);
    for (let t = 0; t < 3; t++) s.spawn(() => {
      while (go.load() === 0) sleep(1);
      for (let i = 0; i < 100; i++) { using g = m.lock(); g.value += 1; most.fetchMax(g.value); }
    });
    s.spawn(() => {
      while (ended.load() === 0) sleep(1);
      sleep(20);
      churn();
      go.store(1);
    });
    fillCache();
    ended.store(1);
  });
  console.log(most.load());
}`);
    expect(lines).toEqual(['300']);
  });

  it('captured by a closure that outlives its block, or returned from it, it is not dropped', async () => {
    const { lines } = await ok(`
function make() {
  const m = new Mutex(5);
  return m;
}
function main() {
  let read;
  {
    const a = new AtomicI32(3);
    read = () => a.load();
  }
  const m = make();
  churn();
  using g = m.lock();
  console.log(read(), g.value);
}`);
    expect(lines).toEqual(['3 5']);
  });
});

describe("a channel's ends are dropped at the end of the block that declared them, as in Rust", () => {
  it('a function that hands clones of its Sender to producers and returns the Receiver closes the channel when it returns', async () => {
    // Before: the function's own Sender stayed open, so main's loop waited forever: a deadlock report where Rust prints 3.
    const { lines } = await ok(`
function producers(): mpsc.Receiver<number> {
  const [tx, rx] = mpsc.channel<number>();
  for (let i = 0; i < 3; i++) {
    const t = tx.clone();
    spawn(() => t.send(i));
  }
  return rx;
}
function main() {
  let sum = 0;
  for (const v of producers()) sum += v;
  console.log("sum", sum);
}`);
    expect(lines).toEqual(['sum 3']);
  });

  it('a clone made and used in a loop body is dropped at the end of each round', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  for (let i = 0; i < 4; i++) {
    const t = tx.clone();
    t.send(i * 10);
  }
  drop(tx);
  console.log([...rx].join(" "));
}`);
    expect(lines).toEqual(['0 10 20 30']);
  });

  it("a Receiver dropped as its function returns makes the producer's next send fail, so the producer ends", async () => {
    // Before: the Receiver stayed, the bounded channel filled and the producer blocked forever (a deadlock at join).
    const { lines } = await ok(`
function firstThree(): [number[], JoinHandle<number>] {
  const [tx, rx] = mpsc.syncChannel<number>(1);
  const h = spawn(() => {
    let sent = 0;
    for (;;) {
      try { tx.send(sent); } catch (e) { return sent; }
      sent++;
    }
  });
  const got = [rx.recv(), rx.recv(), rx.recv()];
  return [got, h];
}
function main() {
  const [got, h] = firstThree();
  console.log(got.join(" "), h.join() >= 3);
}`);
    expect(lines).toEqual(['0 1 2 true']);
  });

  it('an end that is returned, stored, passed or captured stays open after its block', async () => {
    const { lines } = await ok(`
function make(): [mpsc.Sender<string>, mpsc.Receiver<string>] {
  const [tx, rx] = mpsc.channel<string>();
  return [tx, rx];
}
function keep(list: mpsc.Sender<string>[], tx: mpsc.Sender<string>) { list.push(tx); }
function main() {
  const [tx, rx] = make();
  const kept: mpsc.Sender<string>[] = [];
  let later: () => void = () => {};
  {
    const a = tx.clone();
    kept.push(a);
    const b = tx.clone();
    keep(kept, b);
    const c = tx.clone();
    later = () => c.send("from a closure");
  }
  kept[0].send("stored");
  kept[1].send("passed");
  later();
  console.log(rx.recv(), rx.recv(), rx.recv());
}`);
    expect(lines).toEqual(['stored passed from a closure']);
  });

  it('an end dropped or moved inside its block is left alone at the block end; iter() outside a for loop keeps it', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  {
    const t = tx.clone();
    t.send(1);
    t.drop();
  }
  {
    const t = tx.clone();
    spawn(() => t.send(2)).join();
  }
  let it: Iterator<number>;
  {
    const [t2, r2] = mpsc.channel<number>();
    t2.send(7);
    it = r2.iter();
    t2.drop();
  }
  drop(tx);
  console.log([...rx].join(" "), it.next().value);
}`);
    expect(lines).toEqual(['1 2 7']);
  });
});

describe('an Arc made in a block and only used through its methods is dropped at the end of the block, as in Rust', () => {
  it('a Weak of it no longer upgrades after the block; the clone a thread took counted until that thread ended', async () => {
    // Before: the block's Arc stayed in its thread's list of what it owns until the thread ended, so the Weak still
    // upgraded (Rust prints `true`), and a loop making one a round grew without bound.
    const { lines } = await ok(`
import { Weak } from "weft/sync";
function main() {
  let w: Weak<Mutex<number>>;
  let data: Weak<number[]>;
  {
    const m = new Arc(new Mutex(0));
    const c = m.clone();
    spawn(() => { using g = c.lock(); g.value += 1; }).join();
    console.log("in the block", Arc.strongCount(m));
    w = Arc.downgrade(m);
    const list = new Arc([1, 2, 3]);
    const again = list.clone();
    console.log("clones", Arc.strongCount(again));
    data = Arc.downgrade(list);
  }
  console.log("after the block", w.upgrade() === undefined, data.upgrade() === undefined);
}`);
    expect(lines).toEqual(['in the block 1', 'clones 2', 'after the block true true']);
  });

  it('an Arc passed to a function, returned, captured or assigned stays alive after its block', async () => {
    const { lines } = await ok(`
const kept: Arc<Mutex<number>>[] = [];
function keep(a: Arc<Mutex<number>>) { kept.push(a); }
function make(): Arc<number> {
  const a = new Arc(41);
  const b = a.clone();
  return b;
}
function main() {
  { const a = new Arc(new Mutex(1)); keep(a); }
  churn();
  { using g = kept[0].lock(); console.log("kept", g.value); }
  const r = make();
  console.log("returned", Arc.strongCount(r));
  let later: () => Arc<number>;
  { const a = new Arc(7); later = () => a; }
  let moved: Arc<number>;
  { const a = new Arc(8); moved = a; }
  churn();
  console.log("captured", Arc.strongCount(later()), "assigned", Arc.strongCount(moved));
}`);
    expect(lines).toEqual(['kept 1', 'returned 1', 'captured 1 assigned 1']);
  });

  it("a lock read out of an Arc's value and used after the Arc's block refuses with a clear error, where Rust would not compile", async () => {
    const result = await run(`
function main() {
  let inner: Mutex<string>;
  {
    const shared = new Arc({ label: new Mutex("text") });
    inner = shared.label;
  }
  using g = inner.lock();
  console.log(g.value);
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]?.message).toContain('use of dropped value: this Mutex was dropped with what held it (the last Arc of it');
    expect(result.errors[0]?.location?.line).toBe(lineOf(result.source, 'console.log(g.value)'));
  });

  it('a loop making an Arc of data and a clone of it each round leaves run memory where one round does', () => {
    // Before: each round's Arc record and its value's bytes stayed (the mark grew with the rounds).
    const loop = (rounds: number) => `import { Arc } from "weft/sync";
function main() {
  let total = 0;
  for (let i = 0; i < ${rounds}; i++) {
    const point = new Arc({ x: i, label: "point " + i });
    const mine = point.clone();
    total += mine.x + Arc.strongCount(point);
  }
  return total;
}`;
    const one = runHere(loop(1));
    const many = runHere(loop(ROUNDS));
    expect(many.value).toBe((ROUNDS * (ROUNDS - 1)) / 2 + 2 * ROUNDS);
    expect(many.bump).toBe(one.bump);
  });
});
