import { describe, expect, it } from 'vitest';
import { lineOf, program, runProgram } from '../support/run-program.ts';

describe('weft/thread', () => {
  it('sending a function says weft cannot, and to call a module-level function by its name', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel<unknown>();
  try { tx.send(answer); } catch (e) { console.log(e.name, e.message.includes("Call a module-level function by its name")); }
  drop(rx);`, 'function answer() { return 42; }'));
    expect(run.lines).toEqual(['NotSendError true']);
  });

  it("test_scoped_threads_nesting: a scoped thread spawns into its own scope, and scope waits for all of them (Rust's Scope is Sync)", async () => {
    const run = await runProgram(program(`
  const hits = new AtomicI32(0);
  scope((s) => nest(5, s, hits));
  console.log("hits", hits.load(Ordering.SeqCst));
  const r = scope((s) => { const h = s.spawn(() => { s.spawn(() => hits.fetchAdd(10, Ordering.SeqCst)); return 7; }); return h.join(); });
  console.log("after", r, hits.load(Ordering.SeqCst));
  try { scope((s) => { s.spawn(() => { s.spawn(() => { throw new Error("deep"); }); }); }); } catch (e) { console.log("scope:", e.message); }
  let kept: Scope | undefined;
  scope((s) => { kept = s; });
  try { kept!.spawn(() => 1); } catch (e) { console.log(e.message.split(":")[0]); }`, `import { AtomicI32, Ordering } from "weft/sync";
import type { Scope } from "weft/thread";
function nest(level: number, s: Scope, hits: AtomicI32) {
  hits.fetchAdd(1, Ordering.SeqCst);
  if (level > 0) s.spawn(() => nest(level - 1, s, hits));
}`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['hits 6', 'after 7 16', 'scope: a scoped thread panicked: deep', 'this scope has ended']);
  });

  it('a panic that throws a string or a plain object names its line, and shows the object as JSON; catch still gets the value itself', async () => {
    const source = program(`
  try { throw 5; } catch (e) { console.log("caught", e === 5); }
  const h = spawn(() => {
    throw { code: 3 };
  });
  try { h.join(); } catch (e) { console.log("joined"); }
  throw "static string";`);
    const run = await runProgram(source);
    expect(run.lines).toEqual(['caught true', 'joined']);
    const [inThread, inMain] = run.errors;
    expect(inThread?.message).toBe('thread \'thread 2\' panicked: {"code":3}');
    expect(inThread?.location?.line).toBe(lineOf(source, 'throw { code: 3 }'));
    expect(inMain?.message).toBe("thread 'main' panicked: static string");
    expect(inMain?.location?.line).toBe(lineOf(source, 'throw "static string"'));
  });

  it('join returns the value the thread computed', async () => {
    const run = await runProgram(program(`
  const base = 6;
  const handle = spawn(() => base * 7);
  console.log("answer", handle.join());`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['answer 42']);
  });

  it("console.log of a JoinHandle prints Rust's Debug, JoinHandle { .. }, not weft's own fields", async () => {
    const run = await runProgram(program(`
  const handle = spawn(() => 1);
  console.log(handle);
  console.log(\`\${handle}\`);
  handle.join();`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['JoinHandle { .. }', 'JoinHandle { .. }']);
  });

  it('labels output by thread name, in the order it was written across threads', async () => {
    const run = await runProgram(program(`
  builder().name("worker-1").spawn(() => { console.log("hello from", current().name()); }).join();
  const unnamed = spawn(() => { console.log("name is", current().name()); });
  unnamed.join();
  console.log("back in", current().name());`));
    expect(run.labelled).toEqual(['[worker-1] hello from worker-1', '[thread 3] name is undefined', '[main] back in main']);
  });

  it('copies plain data into the thread: the thread mutates its own copy', async () => {
    const run = await runProgram(program(`
  const v = [1, 2, 3];
  spawn(() => { v.push(4); console.log("in thread", v); }).join();
  console.log("in main", v);`));
    expect(run.lines).toEqual(['in thread [1, 2, 3, 4]', 'in main [1, 2, 3]']);
  });

  it('transfers buffers: an ArrayBuffer or typed array moved into a thread is detached in the spawner', async () => {
    const run = await runProgram(program(`
  const buffer = new ArrayBuffer(8);
  const samples = new Float64Array([1.5, 2.5]);
  spawn(() => console.log("in thread", buffer.byteLength, samples[1])).join();
  console.log("in main", buffer.byteLength, samples.length);
  const kept = new Uint8Array([7, 8]);
  scope((s) => { s.spawn(() => console.log("borrowed", kept.length)); });
  console.log("still here", kept.length);`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['in thread 8 2.5', 'in main 0 0', 'borrowed 2', 'still here 2']);
  });

  it('moves handles: using one after the spawn names the variable and the thread', async () => {
    const source = program(`
  const counter = new Arc(new Mutex(0));
  const h = builder().name("mover").spawn(() => { using g = counter.lock(); g.value += 1; });
  h.join();
  const again = counter.lock();`);
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('panic');
    expect(run.errors).toHaveLength(1);
    expect(run.errors[0]!.name).toBe('MovedValueError');
    expect(run.errors[0]!.message).toContain('`counter`');
    expect(run.errors[0]!.message).toContain("thread 'mover'");
    expect(run.errors[0]!.location?.line).toBe(lineOf(source, 'const again'));
  });

  it("rethrows a thread's panic from join with its message, thread name and line", async () => {
    const source = program(`
  const h = builder().name("doomed").spawn(() => {
    throw new Error("boom");
  });
  try { h.join(); } catch (e) {
    console.log(e instanceof ThreadPanic, e.message, e.thread, e.location.line);
  }`);
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('ok');
    const line = lineOf(source, 'throw new Error("boom")');
    expect(run.lines).toEqual([`true boom doomed ${line}`]);
    // The panic is also reported to the reader, as Rust prints it, with its location.
    expect(run.errors.map((e) => e.location?.line)).toEqual([line]);
    expect(run.errors[0]!.message).toContain("thread 'doomed' panicked");
  });

  it('spawns from a spawned thread', async () => {
    const run = await runProgram(program(`
  const outer = spawn(() => {
    const n = 20;
    const inner = spawn(() => n + 1);
    return inner.join() * 2;
  });
  console.log(outer.join());`));
    expect(run.lines).toEqual(['42']);
  });

  it('ends the program when main returns, cutting off threads still running', async () => {
    const run = await runProgram(program(`
  spawn(() => { sleep(300); console.log("too late"); });
  console.log("main is done");`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['main is done']);
  });

  it('joins every scoped thread before scope returns; scoped threads borrow handles', async () => {
    const run = await runProgram(program(`
  const total = new Mutex(0);
  scope((s) => {
    for (let i = 1; i <= 4; i++) s.spawn(() => { using g = total.lock(); g.value += i; });
  });
  using g = total.lock();
  console.log(g.value);`));
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['10']);
  });

  it('runs 64 threads at once', async () => {
    const run = await runProgram(program(`
  const handles = [];
  for (let i = 0; i < 64; i++) handles.push(spawn(() => i * i));
  let sum = 0;
  for (const h of handles) sum += h.join();
  console.log(sum);`), { timeoutMs: 60_000 });
    expect(run.lines).toEqual([String(Array.from({ length: 64 }, (_, i) => i * i).reduce((a, b) => a + b))]);
  });

  it('a capture that cannot cross threads is a compile error naming the variable', async () => {
    const source = program(`
  const helper = (x: number) => x + 1;
  spawn(() => helper(1)).join();`);
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('compile-error');
    expect(run.errors[0]!.message).toContain('`helper`');
    expect(run.errors[0]!.location?.line).toBe(lineOf(source, 'spawn(() => helper(1))'));
  });

  it('a class instance with methods cannot be moved into a thread', async () => {
    const source = program(
      `
  const p = makePoint();
  spawn(() => p.norm()).join();`,
      `class Point { x = 3; y = 4; norm() { return Math.hypot(this.x, this.y); } }
function makePoint() { return new Point(); }`,
    );
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('panic');
    expect(run.errors[0]!.name).toBe('NotSendError');
    expect(run.errors[0]!.message).toContain('`p`');
    expect(run.errors[0]!.message).toContain('Point');
  });

  it('park blocks until unpark', async () => {
    const run = await runProgram(program(`
  const flag = new Arc(new Mutex(false));
  const flag2 = flag.clone();
  const h = spawn(() => {
    park();
    using g = flag2.lock();
    console.log("woke, flag =", g.value);
  });
  sleep(50);
  { using g = flag.lock(); g.value = true; }
  h.thread().unpark();
  h.join();`));
    expect(run.lines).toEqual(['woke, flag = true']);
  });
});

describe('stopping runs', () => {
  it('the time limit stops a busy loop in main', async () => {
    const run = await runProgram(program(`while (true) {}`), { timeoutMs: 500 });
    expect(run.outcome.status).toBe('timeout');
  });

  it('the time limit stops a busy loop in a spawned thread joined by main, and says which thread looped and where main waited', async () => {
    const source = program(`spawn(() => { while (true) {} }).join();`);
    const run = await runProgram(source, { timeoutMs: 500 });
    expect(run.outcome.status).toBe('timeout');
    // The run used to end with the time limit's sentence alone: nothing said which thread spun or where main was.
    expect(run.errors.map((e) => [e.thread, e.message, e.location?.line])).toEqual([
      ['main', "'main' was still waiting to join thread 2", lineOf(source, 'spawn(')],
      ['thread 2', 'thread 2 was still running, not waiting for anything in weft: a loop that never ends, or work that needs more time', undefined],
    ]);
  });

  it('at the time limit, a run of many threads names the first few and counts the rest', async () => {
    // Every thread has started before the limit (each says so, then parks): one still waiting for a worker is told
    // apart, with the others that wait, in one line (runner/deadlock.ts), so twelve spinning threads spawned at once
    // on a loaded machine gave fewer lines than this test is about.
    const run = await runProgram(
      program(`const [tx, rx] = mpsc.channel<number>();
  for (let i = 0; i < 12; i++) { const t = tx.clone(); spawn(() => { t.send(i); while (true) park(); }); }
  for (let i = 0; i < 12; i++) rx.recv();
  while (true) {}`),
      { timeoutMs: 6000 },
    );
    expect(run.outcome.status).toBe('timeout');
    expect(run.errors).toHaveLength(8);
    expect(run.errors[7]!.message).toBe('and 6 more threads were still running or waiting');
  });

  it('the next run after a stopped one works', async () => {
    await runProgram(program(`while (true) {}`), { timeoutMs: 300 });
    const run = await runProgram(program(`console.log("fine");`));
    expect(run.lines).toEqual(['fine']);
  });
});
