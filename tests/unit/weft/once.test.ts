import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

const imports = 'import { Once, OnceLock, AtomicU32 } from "weft/sync";';

describe('weft/sync Once', () => {
  it('runs the initializer exactly once under contention; every caller waits until it has finished', async () => {
    const threads = 8;
    const run = await runProgram(
      program(
        `
  const shared = new Arc({ once: new Once(), runs: new AtomicU32(0), value: new AtomicU32(0) });
  const handles = [];
  for (let t = 0; t < ${threads}; t++) {
    const s = shared.clone();
    handles.push(spawn(() => {
      s.once.callOnce(() => {
        s.runs.fetchAdd(1);
        sleep(30); // the others arrive while this runs, and must wait
        s.value.store(42);
      });
      return [s.value.load(), s.once.isCompleted()];
    }));
  }
  const seen = handles.map((h) => h.join().join("/"));
  console.log("runs:", shared.runs.load());
  console.log(seen.join(" "));`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['runs: 1', Array(threads).fill('42/true').join(' ')]);
  });

  it('a panicking initializer poisons it: later callOnce panics; callOnceForce runs and sees the poison', async () => {
    const run = await runProgram(
      program(
        `
  const once = new Arc(new Once());
  const o2 = once.clone();
  const h = spawn(() => { o2.callOnce(() => { throw new Error("init failed"); }); });
  try { h.join(); } catch (e) { console.log("joined:", e.message); }
  console.log("completed:", once.isCompleted());
  try { once.callOnce(() => console.log("never runs")); } catch (e) { console.log(e.message.includes("poisoned")); }
  once.callOnceForce((state) => console.log("forced, poisoned:", state.isPoisoned()));
  once.callOnce(() => console.log("never runs either"));
  console.log("completed:", once.isCompleted());`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['joined: init failed', 'completed: false', 'true', 'forced, poisoned: true', 'completed: true']);
  });

  it('calling it from inside its own initializer is reported instead of hanging', async () => {
    const run = await runProgram(
      program(
        `
  const once = new Once();
  once.callOnce(() => { once.callOnce(() => {}); });`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('panic');
    expect(run.errors[0]!.message).toContain('from inside its own initializer');
  });
});

describe('weft/sync OnceLock', () => {
  it('getOrInit runs one initializer across 8 threads and all see its value', async () => {
    const threads = 8;
    const run = await runProgram(
      program(
        `
  const shared = new Arc({ cell: new OnceLock(), inits: new AtomicU32(0) });
  const handles = [];
  for (let t = 0; t < ${threads}; t++) {
    const s = shared.clone();
    handles.push(spawn(() => {
      const config = s.cell.getOrInit(() => {
        s.inits.fetchAdd(1);
        sleep(30);
        return { name: "config", made: "by thread " + t };
      });
      return config.made;
    }));
  }
  const made = new Set(handles.map((h) => h.join()));
  console.log("inits:", shared.inits.load(), "distinct values:", made.size, "main sees the same:", made.has(shared.cell.get().made));`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['inits: 1 distinct values: 1 main sees the same: true']);
  });

  it('get is undefined until set; a second set hands its value back', async () => {
    const run = await runProgram(
      program(
        `
  const cell = new OnceLock<number[]>();
  console.log(cell.get());
  const first = cell.set([1, 2]);
  console.log(first.ok, cell.get().join(","));
  const second = cell.set([3]);
  console.log(second.ok, second.value.join(","), cell.get().join(","));
  console.log(cell.getOrInit(() => [9]).join(","));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['undefined', 'true 1,2', 'false 3 1,2', '1,2']);
  });

  it('an initializer that throws leaves the cell empty, so the next caller initializes it', async () => {
    const run = await runProgram(
      program(
        `
  const cell = new Arc(new OnceLock<string>());
  const c2 = cell.clone();
  const h = spawn(() => c2.getOrInit(() => { throw new Error("first try failed"); }));
  try { h.join(); } catch (e) { console.log("joined:", e.message); }
  console.log(cell.get());
  console.log(cell.getOrInit(() => "second try"));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['joined: first try failed', 'undefined', 'second try']);
  });

  it('holds a handle that every thread shares (a lazily made Mutex)', async () => {
    const run = await runProgram(
      program(
        `
  const cell = new Arc(new OnceLock());
  const handles = [];
  for (let t = 0; t < 4; t++) {
    const c = cell.clone();
    handles.push(spawn(() => {
      for (let k = 0; k < 50; k++) { using g = c.getOrInit(() => new Mutex(0)).lock(); g.value += 1; }
    }));
  }
  for (const h of handles) h.join();
  using g = cell.get().lock();
  console.log(g.value);`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['200']);
  });
});
