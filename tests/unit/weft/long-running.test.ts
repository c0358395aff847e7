/**
 * What a long-running program repeats must not make memory grow without
 * bound. Some tests run a weft primitive in this process, on a run memory of
 * their own, and look at the heap's high-water mark (the allocator's bump
 * pointer): what is freed is reused, so a loop that lets go of what it made
 * leaves the mark where it was. Others run programs whose rounds would, if
 * something stayed behind each time, run out of memory.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { programsWith, runProgram } from '../support/run-program.ts';
import { enterRun } from '../support/run-memory.ts';
import { H } from '../../../src/weft/runtime/memory.ts';
import { resetRunLocals } from '../../../src/weft/runtime/run-local.ts';
import { channel, syncChannel } from '../../../src/weft/sync/mpsc.ts';
import { TryRecvError } from '../../../src/weft/sync/errors.ts';
import { drop } from '../../../src/weft/sync/drop.ts';
import { scope } from '../../../src/weft/thread.ts';
import { Arc } from '../../../src/weft/sync/arc.ts';
import { Mutex } from '../../../src/weft/sync/mutex.ts';
import { RwLock } from '../../../src/weft/sync/rwlock.ts';

const { ok, run } = programsWith(`import { spawn, scope, sleep } from "weft/thread";
import { mpsc, drop, Arc, AtomicI32 } from "weft/sync";
`);

afterEach(() => resetRunLocals());

describe('weft/sync channels', () => {
  it('a channel whose Sender and Receiver are both dropped is freed, its rings and unread blocks with it', () => {
    const memory = enterRun();
    const big = 'x'.repeat(2000);
    const round = (i: number) => {
      const [tx, rx] = i % 2 === 0 ? channel<unknown>() : syncChannel<unknown>(500);
      // Enough to grow past the first ring, a message in a block of its own, one received and one left queued.
      for (let n = 0; n < 300; n++) tx.send(n);
      tx.send(big);
      tx.send({ text: big });
      for (let n = 0; n < 301; n++) rx.recv();
      if (i % 3 === 0) (drop(rx), drop(tx));
      else (drop(tx), drop(rx));
    };
    for (let i = 0; i < 10; i++) round(i);
    const mark = memory.header[H.bump]!;
    for (let i = 10; i < 2000; i++) round(i);
    // Before: ~2.3 KB more each round (the record, the rings, the unread message's block), 4.6 MB in all.
    expect(memory.header[H.bump]! - mark).toBe(0);
  });
});

describe('weft/sync channel rings after a burst', () => {
  it('a channel kept open after a burst goes back to a small ring, so channels that each took a burst do not each keep one', () => {
    // 20 channels kept alive, each taking a burst of 20,000 numbers in turn (its ring grows to 32,765 slots, 256 KB),
    // drained, then used lightly. Before: each kept its 256 KB ring for good, +4.9 MB for 19 of them; now each shrinks
    // to a ring of at most 32 KB once found empty, and the next burst reuses the big rings.
    const memory = enterRun();
    const kept: unknown[] = [];
    const burst = () => {
      const [tx, rx] = channel<number>();
      for (let n = 0; n < 20_000; n++) tx.send(n);
      let sum = 0;
      for (let n = 0; n < 20_000; n++) sum += rx.recv();
      expect(sum).toBe((19_999 * 20_000) / 2);
      // Light use: each message taken at once, the receiver then finding nothing (as a blocked recv would).
      for (let n = 0; n < 600; n++) {
        tx.send(n);
        if (rx.recv() !== n) throw new Error('out of order');
        try {
          rx.tryRecv();
          throw new Error('a message too many');
        } catch (error) {
          if (!(error instanceof TryRecvError)) throw error;
        }
      }
      kept.push(tx, rx);
    };
    burst();
    const mark = memory.header[H.bump]!;
    for (let i = 1; i < 20; i++) burst();
    expect(memory.header[H.bump]! - mark).toBeLessThan(1_000_000);
  });
});

describe('weft/sync channel rings shrinking between threads', () => {
  it('bursts from two producers with pauses between them, numbers, objects and long messages, arrive whole and in order', async () => {
    // Each burst grows the ring past 4,093 slots; in each pause the receiver catches up, so the next sends find it
    // empty and swap it for a smaller one while the receiver may be reading: every message must still arrive once.
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number | { p: number; i: number; pad?: string }>();
  const producer = (p: number, t: any) => spawn(() => {
    for (let b = 0; b < 12; b++) {
      for (let i = 0; i < 6000; i++) t.send(i % 97 === 0 ? { p, i, pad: i % 3 === 0 ? "x".repeat(600) : undefined } : p * 1_000_000 + b * 10_000 + i);
      sleep(3);
    }
  });
  const hs = [producer(1, tx.clone()), producer(2, tx.clone())];
  drop(tx);
  const last = [0, -1, -1];
  let numbers = 0, objects = 0, outOfOrder = 0;
  for (const m of rx) {
    if (typeof m === "number") {
      const p = Math.floor(m / 1_000_000);
      if (m <= last[p]) outOfOrder++;
      last[p] = m;
      numbers++;
    } else objects++;
  }
  for (const h of hs) h.join();
  console.log(numbers, objects, outOfOrder);
}`, { timeoutMs: 60_000 });
    const objects = 2 * 12 * Math.ceil(6000 / 97);
    expect(lines).toEqual([`${2 * 12 * 6000 - objects} ${objects} 0`]);
  });
});

describe('locks held by what is dropped', () => {
  it("dropping the last Arc of a Mutex or an RwLock frees the value it held, and drops the handles in it", () => {
    const memory = enterRun();
    const round = (i: number) => {
      const data = new Arc(i % 2 === 0 ? new Mutex(new Array(10_000).fill(i)) : new RwLock({ rows: new Array(10_000).fill(i) }));
      const other = Arc.clone(data);
      drop(data);
      drop(other);
    };
    for (let i = 0; i < 10; i++) round(i);
    const mark = memory.header[H.bump]!;
    for (let i = 10; i < 200; i++) round(i);
    // Before: the value's ~65 KB block stayed each round, 12 MB in all (a program of such rounds ran out of run memory).
    // The lock's own record (64 bytes) stays, for a handle that outlived it to find it dropped: 12 KB.
    expect(memory.header[H.bump]! - mark).toBeLessThan(190 * 64 + 1);

    // A Sender inside is dropped with it, so its channel closes (it never did).
    const [tx, rx] = channel<number>();
    const shared = new Arc(new Mutex({ tx }));
    drop(shared);
    expect(() => rx.recv()).toThrow(/every Sender was dropped/);
  });

  it('a handle kept past the last Arc (which Rust would not compile) says the value is gone', () => {
    enterRun();
    const data = new Arc(new Mutex([1, 2, 3]));
    const kept = Arc.get(data) as Mutex<number[]>;
    drop(data);
    const guard = kept.lock();
    expect(() => guard.value).toThrow(/use of dropped value: this Mutex was dropped with what held it/);
    guard.unlock();
  });
});

describe('Arc records with Weaks', () => {
  it('an Arc record is freed by the last of its Arcs and Weaks, whichever goes last, and by makeMut\'s moves', () => {
    const memory = enterRun();
    const round = (i: number) => {
      const a = new Arc({ rows: new Array(1000).fill(i) });
      const w = Arc.downgrade(a);
      const w2 = w.clone();
      if (i % 2 === 0) (drop(a), drop(w), drop(w2));
      else (drop(w), drop(w2), drop(a));
      const b = new Arc([i]);
      const c = b.clone();
      Arc.makeMut(b).value.push(1); // b gets a copy of its own
      drop(b);
      drop(c);
      const d = new Arc([i]);
      const dw = Arc.downgrade(d);
      Arc.makeMut(d); // the value moves away from dw
      expect(dw.upgrade()).toBeUndefined();
      drop(dw);
      drop(d);
    };
    for (let i = 0; i < 10; i++) round(i);
    const mark = memory.header[H.bump]!;
    for (let i = 10; i < 300; i++) round(i);
    expect(memory.header[H.bump]! - mark).toBe(0);
  });

  it('assigning through Arc.getMut drops the handles only the old value held, and the new value\'s move into the Arc', () => {
    enterRun();
    const [tx1, rx1] = channel<number>();
    const [tx2, rx2] = channel<number>();
    const [tx3, rx3] = channel<number>();
    const a = new Arc([{ tx: tx1 }, { tx: tx3 }]);
    const kept = Arc.get(a)[1]!.tx;
    Arc.getMut(a)!.value = [{ tx: tx2 }, { tx: kept }];
    const b = Arc.clone(a); // the change is written back here
    expect(() => rx1.recv()).toThrow(/every Sender was dropped/);
    expect(() => tx2.send(1)).toThrow(/use of moved value/);
    Arc.get(b)[0]!.tx.send(5);
    expect(rx2.recv()).toBe(5);
    drop(a);
    drop(b);
    expect(() => rx2.recv()).toThrow(/every Sender was dropped/);
    expect(() => rx3.recv()).toThrow(/every Sender was dropped/);
  });
});

describe('scopes', () => {
  it('a scope that has returned is freed, unless a handle to it left it', () => {
    const memory = enterRun();
    for (let i = 0; i < 10; i++) scope(() => i);
    const mark = memory.header[H.bump]!;
    let total = 0;
    for (let i = 0; i < 10_000; i++) total += scope(() => i);
    expect(total).toBe((9_999 * 10_000) / 2);
    // Before: 32 bytes more each scope, 320 KB in all.
    expect(memory.header[H.bump]! - mark).toBe(0);
    // A scope that has ended refuses new threads, through its own handle too (its record is gone, not read).
    let kept: { spawn(f: () => void): unknown } | undefined;
    scope((s) => {
      kept = s;
    });
    expect(() => kept!.spawn(() => {})).toThrow(/this scope has ended/);
  });
});

describe('weft/sync channels in programs', () => {
  it('either end may go first, with messages left queued in blocks and in the ring', async () => {
    const { lines } = await ok(`
function main() {
  let got = 0;
  const big = "x".repeat(2000);
  for (let round = 0; round < 3000; round++) {
    const [tx, rx] = round % 2 === 0 ? mpsc.channel<string>() : mpsc.syncChannel<string>(8);
    tx.send(big);
    tx.send("small");
    got += rx.recv().length;
    tx.send(big); // never received: freed with the channel
    if (round % 3 === 0) { drop(rx); drop(tx); } else { drop(tx); drop(rx); }
  }
  console.log(got);
}`);
    expect(lines).toEqual([String(3000 * 2000)]);
  });

  it('a Sender clone dropped by the scoped thread it was lent to leaves the next channels whole', async () => {
    // The book's scoped producers drop their borrowed clones, and main's own handles of those clones are dropped
    // again when main ends: such a channel must not be freed (and its block handed to a new channel) under them.
    const { lines } = await ok(`
function collect(round: number): number {
  const [tx, rx] = mpsc.channel<number>();
  scope((s) => {
    const tx1 = tx.clone();
    s.spawn(() => { tx1.send(round); drop(tx1); });
    const tx2 = tx.clone();
    s.spawn(() => { tx2.send(1); drop(tx2); });
  });
  drop(tx);
  let sum = 0;
  for (const x of rx) sum += x;
  return sum;
}
function main() {
  let total = 0;
  for (let round = 0; round < 200; round++) {
    total += collect(round);
    // Channels made and dropped in between may take the blocks of any channel freed too early.
    for (let i = 0; i < 5; i++) { const [tx, rx] = mpsc.channel<number>(); tx.send(i); rx.recv(); drop(tx); drop(rx); }
  }
  console.log(total);
}`);
    expect(lines).toEqual([String((199 * 200) / 2 + 200)]);
  });

  it("a Sender a guard copied into its lock stays counted once: the lock's drop does not drop it, its channel is not freed", async () => {
    // A handle pushed into a guard's value is copied there (the thread that pushed it still owns it, and drops it
    // when it ends). Dropping the lock must not drop that copy too (the channel would read as closed with main's tx
    // alive), and the channel must not be freed under the copy (its block would go to the next channel, into which
    // the copy would then send).
    const { lines } = await ok(`
import { Arc as A2, Mutex } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const registry = new A2(new Mutex<any[]>([]));
  const r2 = registry.clone();
  const t = tx.clone();
  spawn(() => { using g = r2.lock(); g.value.push(t); }).join();
  drop(registry);
  try { rx.tryRecv(); } catch (e) { console.log(String(e)); }
  const keep = new A2(new Mutex<any[]>([]));
  const k2 = keep.clone();
  const t2 = tx.clone();
  spawn(() => { using g = k2.lock(); g.value.push(t2); }).join();
  drop(tx);
  drop(rx);
  const [tx3, rx3] = mpsc.channel<number>();
  { using g = keep.lock(); try { g.value[0].send(7); console.log("sent"); } catch (e) { console.log(String(e)); } }
  try { console.log(rx3.tryRecv()); } catch (e) { console.log(String(e)); }
  drop(tx3);
}`);
    expect(lines).toEqual([
      'TryRecvError: the channel is empty',
      'SendError: sending on a closed channel: the Receiver was dropped',
      'TryRecvError: the channel is empty',
    ]);
  });

  it('a Receiver dropped by a scoped thread is not freed under its owner, which can still use it', async () => {
    // In Rust the scoped thread could not drop what it borrows; here it may, and main's rx is still main's: had the
    // channel been freed, the next channel would take its block and main's rx would read that channel's messages.
    const { lines } = await ok(`
function main() {
  let got = 0;
  let crossed = 0;
  for (let round = 0; round < 50; round++) {
    const [tx, rx] = mpsc.channel<number>();
    tx.send(round);
    got += rx.recv();
    drop(tx);
    scope((s) => { s.spawn(() => { drop(rx); }); });
    const [tx2, rx2] = mpsc.channel<number>();
    tx2.send(1000);
    try { rx.tryRecv(); crossed++; } catch {}
    got += rx2.recv();
    drop(tx2);
    drop(rx2);
  }
  console.log(got, crossed);
}`);
    expect(lines).toEqual([`${(49 * 50) / 2 + 50 * 1000} 0`]);
  });
});

describe('threads', () => {
  it('threads whose JoinHandles are dropped give their places back when they end, and what they returned is dropped', async () => {
    // Rust detaches a thread whose JoinHandle is dropped. A thread neither joined nor detached keeps its place in the
    // run's thread table (1,023 places): 3,000 spawned, 100 at most at once, stopped at the 1,024th before.
    const { lines, errors, outcome } = await run(`
function main() {
  const ended = new Arc(new AtomicI32(0));
  const [tx, rx] = mpsc.channel<number>();
  for (let i = 0; i < 3000; i++) {
    while (i - ended.load() > 100) sleep(1);
    const e = ended.clone();
    const t = tx.clone();
    drop(spawn(() => { e.fetchAdd(1); if (i % 1000 === 999) throw new Error("boom"); return t; }));
  }
  drop(tx);
  // Each thread returned its Sender (or panicked holding it): dropped as the thread ended, so the channel closes.
  let n = 0;
  for (const _ of rx) n++;
  console.log(ended.load(), n);
}`, { timeoutMs: 60_000 });
    expect(outcome.status).toBe('ok');
    expect(errors.map((e) => e.message.replace(/'thread \d+'/, "'thread n'"))).toEqual(Array(3).fill("thread 'thread n' panicked: boom"));
    expect(lines).toEqual(['3000 0']);
  });

  it('a spawn statement, which keeps no handle, detaches its thread as Rust does', async () => {
    // \`spawn(f);\` drops the JoinHandle in Rust: a server spawning a thread per request never joins them. Before,
    // weft kept each such thread's place until the run ended, and the 1,024th spawn stopped the program.
    const { lines } = await ok(`
function main() {
  const ended = new Arc(new AtomicI32(0));
  for (let i = 0; i < 3000; i++) {
    while (i - ended.load() > 100) sleep(1);
    const e = ended.clone();
    spawn(() => { e.fetchAdd(1); });
  }
  while (ended.load() < 3000) sleep(1);
  console.log(ended.load());
}`, { timeoutMs: 60_000 });
    expect(lines).toEqual(['3000']);
  });

  it('a loop that spawns and drops handles faster than its threads finish waits for a place, as Rust would just run it', async () => {
    // 5,000 threads that each sleep 1 ms, spawned and detached at once: 1,023 are alive when the table is full, and
    // the next spawn used to panic ('weft runs at most 1023 threads at once'). Now it waits until one ends.
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  for (let i = 0; i < 5000; i++) {
    const t = tx.clone();
    spawn(() => { sleep(1); t.send(i); });
  }
  drop(tx);
  let n = 0, sum = 0;
  for (const v of rx) { n++; sum += v; }
  console.log(n, sum);
}`, { timeoutMs: 120_000 });
    expect(lines).toEqual([`5000 ${(4999 * 5000) / 2}`]);
  });

  it('under a seed, a spawn that waits for a place replays exactly', async () => {
    // The joiner joins in batches of 1,000, so main's spawns fill the table (finished threads not yet joined) and
    // wait for the joiner; the same seed gives the same trace, event for event, wait included.
    const source = `import { spawn, JoinHandle } from "weft/thread";
import { mpsc, drop } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<JoinHandle<number>>();
  const joiner = spawn(() => {
    let sum = 0, n = 0;
    let batch: JoinHandle<number>[] = [];
    for (const h of rx) {
      batch.push(h);
      if (batch.length === 1000) { for (const b of batch) { sum += b.join(); n++; } batch = []; }
    }
    for (const b of batch) { sum += b.join(); n++; }
    return [n, sum];
  });
  for (let i = 0; i < 2500; i++) tx.send(spawn(() => i));
  drop(tx);
  console.log(JSON.stringify(joiner.join()));
}`;
    const seeded = () => runProgram(source, { seed: 3, trace: true, traceCapacity: 50_000, timeoutMs: 120_000 });
    const first = await seeded();
    const second = await seeded();
    expect(first.errors).toEqual([]);
    expect(first.lines).toEqual([JSON.stringify([2500, (2499 * 2500) / 2])]);
    const events = (r: typeof first) => r.outcome.trace!.events;
    // Main blocked on a place (thread-slot) at least once, besides its final join.
    const slotWaits = events(first).filter((e) => e.threadId === 1 && e.kind === 'block' && e.waitKind === 'thread-slot');
    expect(slotWaits.length).toBeGreaterThan(0);
    expect(JSON.stringify(events(second))).toBe(JSON.stringify(events(first)));
  });

  it('a dropped JoinHandle cannot join; a scoped thread whose handle is dropped is still joined by its scope', async () => {
    const { lines } = await ok(`
function main() {
  const h = spawn(() => 5);
  sleep(5);
  drop(h);
  try { h.join(); } catch (e) { console.log(String(e)); }
  scope((s) => { const k = s.spawn(() => { sleep(20); console.log("scoped ran"); }); drop(k); });
  console.log("after the scope");
}`);
    expect(lines).toEqual([
      'Error: use of dropped value: this JoinHandle was dropped, which detached its thread (as in Rust): it can no longer be joined',
      'scoped ran',
      'after the scope',
    ]);
  });
});

describe('weft/par thread pools', () => {
  const POOLS = `import { parIter, ThreadPoolBuilder } from "weft/par";
import { drop } from "weft/sync";
`;

  it('a dropped ThreadPool ends its threads, so a loop of pools keeps only the one it uses', async () => {
    // Each pool's two threads were real threads (a worker each, tens of MB) kept until the run ended: 260 pools of
    // two put the run out of memory (12 GB together). Dropped, each pool's threads end once their work is done;
    // the drop does not wait for that (Rayon's does not), so main counts their exit handlers, the last thing a
    // pool thread runs, before it ends.
    const run = await runProgram(
      `${POOLS}import { mpsc } from "weft/sync";
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const data = Array.from({ length: 100 }, (_, i) => i);
  let total = 0;
  for (let round = 0; round < 8; round++) {
    const pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).exitHandler((i) => { tx.send(i); }).build();
    total += pool.install(() => parIter(data).map((x) => x + 1).sum());
    drop(pool);
  }
  for (let round = 0; round < 8; round++) {
    using pool = new ThreadPoolBuilder().numThreads(2).sequentialCutoff(0).exitHandler((i) => { tx.send(i); }).build();
    total += pool.install(() => parIter(data).sum());
  }
  let exited = 0;
  for (let i = 0; i < 32; i++) exited += rx.recv() === undefined ? 0 : 1;
  console.log(total, exited);
}`,
      { trace: true },
    );
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([`${8 * 5050 + 8 * 4950} 32`]);
    const events = run.outcome.trace!.events;
    const workers = new Set(events.filter((e) => e.thread.startsWith('par-worker')).map((e) => e.threadId));
    expect(workers.size).toBe(32);
  });

  it('a dropped ThreadPool is gone, and a borrowed one cannot be dropped', async () => {
    const run = await runProgram(`import { scope } from "weft/thread";
${POOLS}
function main() {
  const pool = new ThreadPoolBuilder().numThreads(2).build();
  scope((s) => { s.spawn(() => { try { drop(pool); } catch (e) { console.log(String(e)); } }); });
  console.log(pool.install(() => parIter([1, 2, 3]).sum()));
  drop(pool);
  try { pool.install(() => 1); } catch (e) { console.log(String(e)); }
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([
      'Error: cannot drop a borrowed ThreadPool: the thread that owns it drops it (in Rust, a borrowed value cannot be dropped)',
      '6',
      'Error: use of dropped value: this ThreadPool was dropped, and its threads have ended',
    ]);
  });
});
