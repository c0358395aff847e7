/**
 * weft/task as a reader meets it: async functions are lazy, tasks are
 * cancelled at their await points with their cleanup run exactly once,
 * paused time makes a program print the same thing every run, and a task
 * hang is named like a thread deadlock. Every program runs through the real
 * compile step, supervisor and workers.
 */
import { describe, expect, it } from 'vitest';
import { lineOf, programsWith } from '../support/run-program.ts';

const IMPORTS = `import { spawn, sleep, sleepUntil, select, join, tryJoin, yieldNow, JoinSet, JoinError, timeout, Elapsed, interval, MissedTickBehavior, time, blockOn, drop } from "weft/task";\n`;

const { run, ok } = programsWith(IMPORTS);

describe('async functions are lazy futures', () => {
  it('calling an async function runs nothing until it is awaited or spawned', async () => {
    const { lines } = await ok(`
async function hello(name: string) {
  console.log("hello " + name);
  return name.length;
}
async function main() {
  const f = hello("lazy");
  const g = hello("spawned");
  console.log("made two futures");
  const h = spawn(g);
  console.log("spawned, not yet polled");
  console.log(await f);
  await h;
}`);
    expect(lines).toEqual(['made two futures', 'spawned, not yet polled', 'hello lazy', '4', 'hello spawned']);
  });

  it('a future never awaited never runs, and dropping it runs no finally', async () => {
    const { lines } = await ok(`
async function body() {
  try { console.log("ran"); } finally { console.log("finally"); }
}
async function main() {
  const future = body(); // made, kept, never awaited
  await yieldNow();
  drop(future);
  console.log("end");
}`);
    expect(lines).toEqual(['end']);
  });

  it('a statement that makes a future and drops it is refused at compile time, naming the call (rustc warns)', async () => {
    for (const [statement, message] of [
      ['body();', '`body(…)` makes a future that nobody awaits, so it never runs'],
      ['sleep(10);', '`sleep(…)` makes a future that nobody awaits'],
      ['[1, 2].forEach(async (i) => { await sleep(i); });', '`forEach` drops the future its async callback returns for each item'],
    ]) {
      const result = await run(`
async function body() { console.log("ran"); }
async function main() {
  ${statement}
}`);
      expect(result.outcome.status, statement).toBe('compile-error');
      expect(result.errors[0]?.message, statement).toContain(message);
      expect(result.errors[0]?.location?.line, statement).toBe(lineOf(result.source, statement));
    }
  });

  it('keeps `this`, `arguments`, expression bodies and await inside expressions', async () => {
    const { lines } = await ok(`
class Account {
  balance = 10;
  async deposit(amount: number) { await yieldNow(); this.balance += amount; return arguments.length; }
  read = async () => this.balance * await Promise.resolve(2);
}
async function main() {
  const a = new Account();
  console.log(await a.deposit(5, 99), await a.read(), 1 + await (async () => 41)());
}`);
    expect(lines).toEqual(['2 30 42']);
  });

  it('awaits native Promises inside tasks', async () => {
    const { lines } = await ok(`
async function main() {
  const v = await new Promise<number>((resolve) => setTimeout(() => resolve(7), 5));
  const h = spawn(async () => (await Promise.resolve(1)) + v);
  console.log(await h);
}`);
    expect(lines).toEqual(['8']);
  });

  it('a panic in an async function points at the reader\'s line', async () => {
    const result = await run(`
async function inner() {
  await yieldNow();
  throw new Error("broken");
}
async function main() {
  await inner();
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain('broken');
    expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, 'throw new Error("broken")'));
  });
});

describe('tasks', () => {
  it('awaiting a JoinHandle gives the value or rethrows the panic (also reported as it happens)', async () => {
    const result = await run(`
async function main() {
  const good = spawn(async () => { await sleep(1); return 42; });
  const bad = spawn(async () => { await sleep(2); throw new TypeError("bad input"); });
  console.log(await good, good.isFinished());
  try { await bad; } catch (e) { console.log("caught", (e as Error).name, (e as Error).message); }
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['42 true', 'caught TypeError bad input']);
    expect(result.errors.map((e) => e.message)).toEqual(["thread 'main' panicked in task 2: bad input"]);
  });

  it('abort cancels at the next await point: finally and using run exactly once, awaiting throws a cancelled JoinError', async () => {
    const { lines } = await ok(`
function resource(name: string) {
  return { [Symbol.dispose]() { console.log("dispose " + name); } };
}
async function main() {
  const h = spawn(async () => {
    using r = resource("r");
    try {
      console.log("started");
      await sleep(1000);
      console.log("not reached");
    } finally {
      console.log("finally");
    }
  });
  await sleep(10);
  h.abort();
  h.abort();
  try { await h; } catch (e) {
    console.log(e instanceof JoinError, (e as JoinError).isCancelled(), h.isFinished());
  }
  time.pause();
  await sleep(2000);
}`);
    expect(lines).toEqual(['started', 'finally', 'dispose r', 'true true true']);
  });

  it('a task aborted before its first poll never runs', async () => {
    const { lines } = await ok(`
async function main() {
  const h = spawn(async () => { try { console.log("ran"); } finally { console.log("finally"); } });
  h.abort();
  await yieldNow();
  console.log(h.isFinished());
}`);
    expect(lines).toEqual(['true']);
  });

  it('a JoinSet gives results as tasks finish, and dropping it aborts the rest, cleanup once each', async () => {
    const { lines } = await ok(`
async function main() {
  // Paused time, as Tokio's start_paused: the sleeps end in deadline order whatever the machine's load.
  time.pause();
  const set = new JoinSet<number>();
  for (const ms of [30, 10, 20]) set.spawn(async () => { await sleep(ms); return ms; });
  let r;
  while ((r = await set.joinNext()) !== undefined) if (r.ok) console.log("joined", r.value);
  {
    using workers = new JoinSet<void>();
    for (let i = 0; i < 3; i++) {
      workers.spawn(async () => {
        try { await sleep(1000); } finally { console.log("cleanup " + i); }
      });
    }
    await sleep(5);
  }
  await sleep(2000);
  console.log("end");
}`);
    expect(lines).toEqual(['joined 10', 'joined 20', 'joined 30', 'cleanup 0', 'cleanup 1', 'cleanup 2', 'end']);
  });

  it('tasks still running when main returns are dropped, their cleanup run', async () => {
    const { lines } = await ok(`
async function main() {
  spawn(async () => { try { await sleep(10_000); } finally { console.log("dropped at shutdown"); } });
  await yieldNow();
  console.log("main ends");
}`);
    expect(lines).toEqual(['main ends', 'dropped at shutdown']);
  });

  it('yieldNow lets the other tasks run in turn', async () => {
    const { lines } = await ok(`
async function worker(name: string) {
  for (let i = 0; i < 3; i++) { console.log(name + i); await yieldNow(); }
}
async function main() {
  await join(worker("a"), worker("b"));
  await join({ biased: true }, worker("c"), worker("d"));
}`);
    // join, like Tokio's join!, starts each poll one future further on (a, b; then b, a; …); biased keeps the order written.
    expect(lines).toEqual(['a0', 'b0', 'b1', 'a1', 'a2', 'b2', 'c0', 'd0', 'c1', 'd1', 'c2', 'd2']);
  });

  it('an executor that never runs out of work lets go of the tasks it finished', async () => {
    // main is woken before its queue runs dry, round after round: the run queue must not keep every task it ever
    // held. 600 rounds of 1,000 tasks whose results take ~8 KB each: ~4.8 GB if the finished tasks stayed reachable,
    // far above a thread's 512 MB.
    const { lines } = await ok(`
async function main() {
  let total = 0;
  for (let round = 0; round < 600; round++) {
    const handles = [];
    for (let i = 0; i < 1000; i++) handles.push(spawn(async () => new Array(1000).fill(round)));
    for (const h of handles) total += (await h).length;
  }
  console.log(total);
}`, { timeoutMs: 60_000 });
    expect(lines).toEqual([String(600 * 1000 * 1000)]);
  });
});

describe('select, join, timeout', () => {
  it("select's pick among ready branches is random, as Tokio's: it differs from run to run, and a seed replays it", async () => {
    // Ten selects between two ready branches: the order of the picks, as a string of a/b.
    const body = `
async function main() {
  let picks = "";
  for (let i = 0; i < 10; i++) picks += (await select({ a: sleep(0), b: sleep(0) })).key;
  console.log(picks);
}`;
    const free = new Set<string>();
    for (let i = 0; i < 4; i++) free.add((await ok(body)).lines[0]!);
    // Four free runs picking the same ten in a row would happen once in 2^30 with a fair pick.
    expect(free.size).toBeGreaterThan(1);
    const seeded = await Promise.all([run(body, { seed: 5 }), run(body, { seed: 5 })]);
    expect(seeded[0].lines).toEqual(seeded[1].lines);
    expect(seeded[0].lines[0]).toMatch(/^[ab]{10}$/);
  });

  it('select: the first ready branch wins, the others are cancelled at their await point (cleanup once)', async () => {
    const { lines } = await ok(`
async function slow(name: string, ms: number) {
  try { await sleep(ms); return name; } finally { console.log("finally " + name); }
}
async function main() {
  const r = await select({ one: sleep(1000), two: slow("two", 2000), three: slow("three", 10) });
  console.log(r.key, r.value);
  time.pause();
  await sleep(5000);
}`);
    // As in tokio::select!, the losers are dropped before the winner's value is used.
    expect(lines).toEqual(['finally three', 'finally two', 'three three']);
  });

  it('select over an array says which index won; biased picks the first ready branch in order', async () => {
    const { lines } = await ok(`
async function main() {
  time.pause(); // the shorter sleep wins whatever the machine's load
  const a = await select([sleep(20), sleep(5)]);
  console.log(a.index);
  for (let i = 0; i < 5; i++) {
    const b = await select({ first: Promise.resolve(1), second: Promise.resolve(2) }, { biased: true });
    const c = await select({ first: yieldNow(), second: (async () => 2)() }, { biased: true });
    console.log(b.key, c.key);
  }
}`);
    expect(lines).toEqual(['1', ...Array(5).fill('first second')]);
  });

  it('join waits for all, in order; tryJoin cancels the rest on the first error', async () => {
    const { lines } = await ok(`
async function after(ms: number, v: number) { try { await sleep(ms); return v; } finally { console.log("done " + v); } }
async function fail(ms: number) { await sleep(ms); throw new Error("failed at " + ms); }
async function main() {
  time.pause();
  console.log(await join(after(20, 1), after(10, 2)));
  try { await tryJoin(after(50, 3), fail(5)); } catch (e) { console.log((e as Error).message); }
}`);
    expect(lines).toEqual(['done 2', 'done 1', '[1, 2]', 'done 3', 'failed at 5']);
  });

  it('timeout throws Elapsed and cancels the future; in time, it gives the value', async () => {
    const { lines } = await ok(`
async function job(ms: number) { try { await sleep(ms); return ms; } finally { console.log("job " + ms + " over"); } }
async function main() {
  console.log(await timeout(100, job(10)));
  try { await timeout(10, job(100)); } catch (e) { console.log(e instanceof Elapsed, (e as Error).message); }
}`);
    expect(lines).toEqual(['job 10 over', '10', 'job 100 over', 'true deadline has elapsed (10 ms)']);
  });
});

describe('paused time', () => {
  const clockProgram = `
async function ticker(name: string, every: number, times: number) {
  for (let i = 0; i < times; i++) { await sleep(every); console.log(name, time.now() - start); }
}
let start = 0;
async function main() {
  time.pause();
  start = time.now();
  const started = performance.now();
  const handles = [spawn(ticker("a", 300, 4)), spawn(ticker("b", 500, 3)), spawn(ticker("c", 700, 2))];
  for (const h of handles) await h;
  await sleep(3_600_000);
  console.log("an hour later at", time.now() - start, "real ms < 1000:", performance.now() - started < 1000);
}`;

  it('jumps to the next timer when every task waits, and prints the same thing every run', async () => {
    const first = await ok(clockProgram);
    const second = await ok(clockProgram);
    expect(first.lines).toEqual(second.lines);
    expect(first.lines).toEqual([
      'a 300', 'b 500', 'a 600', 'c 700', 'a 900', 'b 1000', 'a 1200', 'c 1400', 'b 1500',
      'an hour later at 3601500 real ms < 1000: true',
    ]);
  });

  it('is paused automatically under a seed', async () => {
    const { lines } = await ok(`
async function main() {
  await sleep(60_000);
  console.log(time.now());
}`, { seed: 7 });
    expect(lines).toEqual(['60000']);
  });

  for (const [behavior, expected] of [
    ['Burst', '0 10 20 30 40'],
    ['Delay', '0 10 45 55 65'],
    ['Skip', '0 10 40 50 60'],
  ] as const) {
    it(`interval: missed ticks with MissedTickBehavior.${behavior}`, async () => {
      const { lines } = await ok(`
async function main() {
  time.pause();
  const start = time.now();
  const ticks = interval(10);
  ticks.setMissedTickBehavior(MissedTickBehavior.${behavior});
  const seen = [await ticks.tick()];
  await sleep(35); // late: the ticks at 10, 20 and 30 are missed
  for (let i = 0; i < 4; i++) seen.push(await ticks.tick());
  console.log(seen.map((t) => t - start).join(" "));
}`);
      expect(lines).toEqual([expected]);
    });
  }
});

describe('a hang is named', () => {
  it('when every task waits and nothing can wake one, the run stops with each task and its await line', async () => {
    const result = await run(`
class Never { poll() { return { ready: false }; } }
async function stuck() {
  await new Never(); // waits forever
}
async function main() {
  const h = spawn(stuck());
  await h; // main waits for task 1
}`);
    expect(result.outcome.status).toBe('deadlock');
    expect(result.outcome.message).toMatch(/^Deadlock: every task is waiting/);
    const at = result.errors.map((e) => `${e.location?.line}: ${e.message}`);
    const stuck = result.source.split('\n')[lineOf(result.source, 'await new Never()') - 1]!;
    expect(result.errors[1]!.location?.column).toBe(stuck.indexOf('await') + 1);
    expect(at).toEqual([
      `${lineOf(result.source, 'await h;')}: task 'main' is waiting for task 1 to finish, and nothing can wake it`,
      `${lineOf(result.source, 'await new Never()')}: task 1 is waiting for a Never whose waker has not been called, and nothing can wake it`,
    ]);
  });

  it('a blocking weft call inside a task is reported as blocking the executor, once, at its line', async () => {
    const result = await run(`
import { sleep as threadSleep } from "weft/thread";
async function main() {
  const other = spawn(async () => { console.log("other ran"); });
  for (let i = 0; i < 3; i++) threadSleep(5); // blocks the whole executor
  await other;
}`);
    expect(result.outcome.status).toBe('ok');
    const warnings = result.events.filter((e) => e.kind === 'output' && e.stream === 'warn');
    expect(warnings).toHaveLength(1);
    expect((warnings[0] as { text: string }).text).toContain(
      `task 'main' is blocking the executor at line ${lineOf(result.source, 'threadSleep(5);')}: weft/thread's sleep`,
    );
    expect(result.lines.at(-1)).toBe('other ran');
  });
});

describe('blockOn', () => {
  it('runs a future from plain code, and refuses to nest in a runtime', async () => {
    const { lines } = await ok(`
async function add(a: number, b: number) { await sleep(5); return a + b; }
function main() {
  console.log(blockOn(add(1, 2)));
  console.log(blockOn(async () => { try { blockOn(add(1, 1)); } catch (e) { return (e as Error).message.split(":")[0]; } }));
}`);
    expect(lines).toEqual(['3', 'blockOn']);
  });
});

describe('spawnBlocking', () => {
  it('runs the closure on a real thread while the tasks go on, and awaits its value; a panic comes back as a ThreadPanic', async () => {
    const result = await run(`
import { sleep as threadSleep } from "weft/thread";
import { spawnBlocking } from "weft/task";
async function main() {
  let ticks = 0;
  const ticker = spawn(async () => { for (;;) { await sleep(5); ticks++; } });
  const n = 1_000_000;
  const sum = await spawnBlocking(() => {
    threadSleep(100); // blocks its own thread, not the executor
    let s = 0;
    for (let i = 0; i < n; i++) s += i;
    return s;
  });
  console.log(sum, ticks > 3);
  ticker.abort();
  try { await spawnBlocking(() => { throw new Error("bad"); }); } catch (e) { console.log((e as Error).name, (e as Error).message); }
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['499999500000 true', 'ThreadPanic bad']);
    expect(result.errors.map((e) => e.message)).toEqual(["thread 'blocking-2' panicked: bad"]);
  });

  it('under a seed (paused time) the clock waits for the blocking thread, and the run replays', async () => {
    const body = `
import { spawnBlocking } from "weft/task";
async function main() {
  const started = time.now();
  const v = await spawnBlocking(() => 6 * 7);
  await sleep(1000);
  console.log(v, time.now() - started);
}`;
    const a = await run(body, { seed: 11 });
    const b = await run(body, { seed: 11 });
    expect(a.lines).toEqual(['42 1000']);
    expect(b.lines).toEqual(a.lines);
  });
});

describe('JoinSet.joinAll', () => {
  it("a task's panic aborts the set's other tasks and is shown once, as Tokio's join_all (resume_unwind)", async () => {
    const result = await run(`
import { oneshot } from "weft/task";
async function main() {
  time.pause();
  const [tx, rx] = oneshot.channel<string>();
  const set = new JoinSet<void>();
  set.spawn(async () => { await sleep(2000); tx.send("sent"); });
  set.spawn(async () => { await sleep(1000); throw new Error("boom"); });
  const all = await spawn(set.joinAll()).result();
  console.log("joinAll:", all.ok ? "ok" : all.value.isPanic());
  await sleep(3000);
  try { console.log("rx:", rx.tryRecv()); } catch (e) { console.log("rx:", (e as Error).name); }
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['joinAll: true', 'rx: TryRecvError']);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringMatching(/panicked.*boom/)]);
  });
});
