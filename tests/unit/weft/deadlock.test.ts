import { describe, expect, it } from 'vitest';
import { lineOf, program, runProgram } from '../support/run-program.ts';
import { isDeadlocked, snapshot } from '../../../src/runner/deadlock.ts';
import { RunMemory } from '../../../src/weft/runtime/memory.ts';
import { allocateThread, S, slot, ThreadState } from '../../../src/weft/runtime/thread-table.ts';
import { waitKindCode } from '../../../src/weft/runtime/wait.ts';

/** What a reader sees of a deadlock: the summary, and each blocked thread at its line. */
async function deadlock(source: string) {
  const run = await runProgram(source, { timeoutMs: 8000 });
  expect(run.outcome.status).toBe('deadlock');
  const at = run.errors.map((e) => `${e.thread}@${e.location?.line}: ${e.message}`).sort();
  return { summary: run.outcome.message, at, run };
}

describe('deadlocks are named', () => {
  it('a lock-order inversion: each thread holds one Mutex and waits for the other', async () => {
    // A Barrier between the first lock and the second: each thread holds its first lock before either asks
    // for its second, so the two always deadlock, on any machine (no sleep that a loaded machine can outlast).
    const source = program(
      `
  const a = new Arc(new Mutex(0));
  const b = new Arc(new Mutex(0));
  const both = new Arc(new Barrier(2));
  const [a2, b2, both2] = [a.clone(), b.clone(), both.clone()];
  const t = builder().name("worker").spawn(() => {
    using gb = b2.lock();
    both2.wait();
    using ga = a2.lock(); // worker: b then a
  });
  using ga = a.lock();
  both.wait();
  using gb = b.lock(); // main: a then b
  t.join();`,
      'import { Barrier } from "weft/sync";',
    );
    const mainLine = lineOf(source, 'using gb = b.lock(); // main');
    const workerLine = lineOf(source, 'using ga = a2.lock(); // worker');
    const { summary, at } = await deadlock(source);
    expect(at).toEqual([
      `main@${mainLine}: 'main' is blocked waiting to lock a Mutex held by 'worker'`,
      `worker@${workerLine}: 'worker' is blocked waiting to lock a Mutex held by 'main'`,
    ]);
    expect(summary).toContain(`'main' (line ${mainLine}) waits for 'worker'`);
    expect(summary).toContain(`'worker' (line ${workerLine}) waits for 'main'`);
  });

  it('a 2-thread cycle through join: main joins a thread that waits for main\'s lock', async () => {
    const source = program(`
  const m = new Arc(new Mutex(1));
  const m2 = m.clone();
  using g = m.lock();
  const t = builder().name("late").spawn(() => {
    using inner = m2.lock(); // blocks: main holds it
  });
  t.join(); // main waits for 'late' while holding the lock`);
    const { summary, at } = await deadlock(source);
    expect(at).toEqual([
      `late@${lineOf(source, 'using inner')}: 'late' is blocked waiting to lock a Mutex held by 'main'`,
      `main@${lineOf(source, 't.join()')}: 'main' is blocked waiting to join 'late', which is blocked too`,
    ]);
    expect(summary).toMatch(/^Deadlock: /);
  });

  it('a 3-thread cycle: the report follows it all the way round', async () => {
    const source = program(`
  const locks = [new Arc(new Mutex(0)), new Arc(new Mutex(0)), new Arc(new Mutex(0))];
  const barrier = new Arc(new Barrier(3));
  const handles = [];
  for (let i = 0; i < 3; i++) {
    const mine = locks[i].clone();
    const next = locks[(i + 1) % 3].clone();
    const b = barrier.clone();
    handles.push(builder().name("philosopher-" + i).spawn(() => {
      using left = mine.lock();
      b.wait(); // everyone holds their own lock
      using right = next.lock();
    }));
  }
  for (const h of handles) h.join();`, 'import { Barrier } from "weft/sync";');
    const { summary, at } = await deadlock(source);
    const line = lineOf(source, 'using right');
    expect(at.filter((a) => a.startsWith('philosopher'))).toEqual([
      `philosopher-0@${line}: 'philosopher-0' is blocked waiting to lock a Mutex held by 'philosopher-1'`,
      `philosopher-1@${line}: 'philosopher-1' is blocked waiting to lock a Mutex held by 'philosopher-2'`,
      `philosopher-2@${line}: 'philosopher-2' is blocked waiting to lock a Mutex held by 'philosopher-0'`,
    ]);
    // The cycle, whichever philosopher it starts from.
    expect(summary.match(/'philosopher-\d' \(line \d+\) waits for 'philosopher-\d'/g)).toHaveLength(3);
  });

  it('a receive that can never be answered: main joins the receiver while keeping the only sender', async () => {
    const source = program(`
  const [tx, rx] = mpsc.channel();
  const t = builder().name("consumer").spawn(() => {
    for (const v of rx) console.log("got", v); // ends only when every sender is gone
  });
  tx.send(1);
  t.join(); // but main still holds tx`);
    const { at, run } = await deadlock(source);
    expect(run.lines).toEqual(['got 1']);
    expect(at).toEqual([
      `consumer@${lineOf(source, 'for (const v of rx)')}: 'consumer' is blocked waiting to receive from a channel, but every thread that still holds one of its Senders is blocked (a Sender this thread holds itself counts: drop it before receiving)`,
      `main@${lineOf(source, 't.join()')}: 'main' is blocked waiting to join 'consumer', which is blocked too`,
    ]);
  });

  it('a receive loop in the only thread left, which holds the last Sender itself, says to drop it', async () => {
    const source = program(`
  const [tx, rx] = mpsc.channel();
  const tx1 = tx.clone();
  spawn(() => tx1.send(1));
  for (const v of rx) console.log("got", v); // tx is still main's`);
    const { at, run } = await deadlock(source);
    expect(run.lines).toEqual(['got 1']);
    expect(at).toEqual([
      `main@${lineOf(source, 'for (const v of rx)')}: 'main' is blocked waiting to receive from a channel, but no other thread is left to send on it, so the Sender keeping it open is in this thread's own hands: drop each one it holds before receiving, as in drop(tx), clones too (a scoped thread only borrows the Senders it uses)`,
    ]);
  });

  it('a spawn waiting for a place in a full thread table, while every other running thread is blocked, is a deadlock that says so', async () => {
    // 1,021 finished threads kept unjoined and one worker blocked on a receive that main alone could answer: the
    // table is full, and the next spawn waits for a place no thread will give back.
    const source = program(`
  const [tx, rx] = mpsc.channel<number>();
  const worker = builder().name("worker").spawn(() => rx.recv());
  const handles = [];
  for (let i = 0; i < 1021; i++) handles.push(spawn(() => i));
  spawn(() => 0); // the 1,024th
  tx.send(1);
  worker.join();`);
    const spawnLine = lineOf(source, 'spawn(() => 0); // the 1,024th');
    const run = await runProgram(source, { timeoutMs: 60_000 });
    expect(run.outcome.status).toBe('deadlock');
    const main = run.errors.find((e) => e.thread === 'main')!;
    expect(main.location?.line).toBe(spawnLine);
    expect(main.message).toContain("'main' is blocked waiting to spawn a thread: weft runs at most 1023 threads at once");
    expect(main.message).toContain('every other running thread is blocked, so none will');
  });

  it('no false alarm: long sleeps, timed receives and a slow, busy producer all finish', async () => {
    const run = await runProgram(
      program(`
  const [tx, rx] = mpsc.channel();
  const t = spawn(() => {
    sleep(700);
    for (let i = 0; i < 3; i++) { sleep(200); tx.send(i); }
  });
  let timeouts = 0;
  for (;;) {
    try { console.log("got", rx.recvTimeout(450)); }
    catch (e) { if (e.kind === "disconnected") break; timeouts++; }
  }
  t.join();
  console.log("timeouts seen:", timeouts > 0);`),
      { timeoutMs: 9000 },
    );
    expect(run.errors).toEqual([]);
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['got 0', 'got 1', 'got 2', 'timeouts seen: true']);
  });
});

describe('the watchdog on a loaded machine', () => {
  it('does not take a thread that was woken but has not run yet for a deadlocked one', () => {
    // main joins a thread that has just finished: the joined word changed, but the OS has not scheduled main yet.
    const memory = RunMemory.create();
    const i32 = memory.i32;
    const main = allocateThread(memory, 'main');
    const worker = allocateThread(memory, 'worker');
    const joined = slot(worker, S.joined);
    const block = (id: number, kind: Parameters<typeof waitKindCode>[0], object: number, index: number, value: number) => {
      i32[slot(id, S.waitKind)] = waitKindCode(kind);
      i32[slot(id, S.waitObject)] = object;
      i32[slot(id, S.waitIndex)] = index;
      i32[slot(id, S.waitValue)] = value;
    };
    block(main, 'join', worker, joined, 0);
    i32[slot(worker, S.state)] = ThreadState.finished;
    const look = () => snapshot(memory);
    // Still waiting for the word to change: both looks see main stuck, alone.
    expect(isDeadlocked(look(), look())).toBe(true);
    // The worker's exit stores the word and wakes main, which has not run yet.
    Atomics.store(i32, joined, 1);
    expect(isDeadlocked(look(), look())).toBe(false);
  });
});
