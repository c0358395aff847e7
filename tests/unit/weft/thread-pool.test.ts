// Threads run on pooled workers (src/runner/idle-workers.ts): a worker whose
// thread ends takes the run's next thread. These tests pin down what reuse
// must not change: every thread starts from a fresh top level, sees its own
// identity, and a stop still ends every worker of the run.
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../../src/runner/events.ts';
import { lineOf, program, runProgram, supervisorForTests } from '../support/run-program.ts';

describe('pooled thread workers', () => {
  it('runs 64 threads that are all alive at once (they meet at a barrier), and every result is right', async () => {
    const run = await runProgram(
      program(
        `
  const barrier = new Arc(new Barrier(64));
  const handles = [];
  for (let i = 0; i < 64; i++) {
    const b = barrier.clone();
    handles.push(spawn(() => { b.wait(); return i * 3; }));
  }
  const results = handles.map((h) => h.join());
  console.log(results.every((r, i) => r === i * 3), results.reduce((a, b) => a + b, 0));`,
        'import { Barrier } from "weft/sync";',
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([`true ${3 * ((63 * 64) / 2)}`]);
  });

  it('runs hundreds of short threads one after another (workers are reused), each with its own result', async () => {
    const run = await runProgram(program(`
  let sum = 0;
  for (let i = 0; i < 300; i++) sum += spawn(() => i + 1).join();
  console.log(sum);`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([String((300 * 301) / 2)]);
  });

  it("a reused worker does not leak one thread's module-level state into the next: top-level statements run once per thread", async () => {
    const source = program(
      `
  for (let i = 0; i < 3; i++) spawn(() => console.log("calls", bump())).join();
  console.log("main calls", bump());`,
      `
let calls = 0;
console.log("top level");
function bump() { return ++calls; }`,
    );
    const run = await runProgram(source);
    expect(run.errors).toEqual([]);
    expect(run.labelled).toEqual([
      '[main] top level',
      '[thread 2] top level',
      '[thread 2] calls 1',
      '[thread 3] top level',
      '[thread 3] calls 1',
      '[thread 4] top level',
      '[thread 4] calls 1',
      '[main] main calls 1',
    ]);
  });

  it('a thread on a reused worker has its own name and id, and owns only its own handles', async () => {
    const run = await runProgram(program(`
  const names = [];
  for (let i = 0; i < 4; i++) {
    const [tx, rx] = mpsc.channel();
    builder().name("w" + i).spawn(() => { tx.send(current().name() + "/" + current().id()); }).join();
    names.push(rx.recv());
    // The thread ended, so the Sender it owned was dropped: the channel is disconnected.
    try { rx.recv(); names.push("still connected"); } catch (e) { if (!(e instanceof RecvError)) throw e; }
  }
  console.log(names.join(" "));`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['w0/ThreadId(2) w1/ThreadId(3) w2/ThreadId(4) w3/ThreadId(5)']);
  });

  it("a panic on a pooled worker is reported at the reader's line, and the next thread runs normally", async () => {
    const source = program(`
  for (let i = 0; i < 3; i++) {
    try {
      spawn(() => { if (i === 1) throw new Error("boom " + i); return i; }).join();
    } catch (e) {
      if (!(e instanceof ThreadPanic)) throw e;
      console.log("caught", e.message, e.location.line);
    }
  }
  console.log("after", spawn(() => 7).join());`);
    const run = await runProgram(source);
    expect(run.lines).toEqual([`caught boom 1 ${lineOf(source, 'throw new Error("boom')}`, 'after 7']);
  });

  it('stop during a run with busy pooled threads ends it, and the next run spawns normally', async () => {
    const events: RunEvent[] = [];
    const handle = supervisorForTests().startRun(
      program(`
  const [tx, rx] = mpsc.channel();
  for (let i = 0; i < 4; i++) {
    const t = tx.clone();
    spawn(() => { for (;;) t.send(i); });
  }
  console.log("started", rx.recv() >= 0);
  for (;;) rx.recv();`),
      { timeoutMs: 30_000 },
      (event) => {
        events.push(event);
        if (event.kind === 'output') handle.stop();
      },
    );
    const outcome = await handle.done;
    expect(outcome.status).toBe('stopped');
    expect(events.filter((e) => e.kind === 'output').map((e) => (e as { text: string }).text)).toEqual(['started true']);

    const next = await runProgram(program(`
  const hs = [];
  for (let i = 0; i < 8; i++) hs.push(spawn(() => i));
  console.log(hs.map((h) => h.join()).join(","));`));
    expect(next.errors).toEqual([]);
    expect(next.lines).toEqual(['0,1,2,3,4,5,6,7']);
  });
});
