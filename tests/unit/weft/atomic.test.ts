import { describe, expect, it } from 'vitest';
import { program, runProgram } from '../support/run-program.ts';

const imports = 'import { AtomicBool, AtomicI32, AtomicU32, AtomicI64, AtomicU64, Ordering } from "weft/sync";';

describe('weft/sync atomics', () => {
  it('8 threads × 10,000 fetchAdd on an AtomicU32 lose no update', async () => {
    const threads = 8;
    const perThread = 10_000;
    const run = await runProgram(
      program(
        `
  const counter = new Arc(new AtomicU32(0));
  const handles = [];
  for (let t = 0; t < ${threads}; t++) {
    const c = counter.clone();
    handles.push(spawn(() => { for (let k = 0; k < ${perThread}; k++) c.fetchAdd(1, Ordering.Relaxed); }));
  }
  for (const h of handles) h.join();
  console.log(counter.load(Ordering.SeqCst));`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([String(threads * perThread)]);
  });

  it('32-bit arithmetic wraps as in Rust', async () => {
    const run = await runProgram(
      program(
        `
  const u = new AtomicU32(4294967295);
  console.log(u.fetchAdd(1), u.load(), u.fetchSub(1), u.load());
  const i = new AtomicI32(2147483647);
  console.log(i.fetchAdd(1), i.load(), i.fetchSub(1), i.load());
  const bits = new AtomicU32(0b1100);
  console.log(bits.fetchAnd(0b1010), bits.fetchOr(0b0001), bits.fetchXor(0b1111), bits.load(), bits.fetchNand(0b0110), bits.load());
  console.log(new AtomicU32(-1).load(), new AtomicI32(4294967295).load());`,
        imports,
      ),
    );
    const u32max = 2 ** 32 - 1;
    const i32max = 2 ** 31 - 1;
    const i32min = -(2 ** 31);
    const nand = ~(0b0110 & 0b0110) >>> 0;
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([
      `${u32max} 0 0 ${u32max}`,
      `${i32max} ${i32min} ${i32min} ${i32max}`,
      `12 8 9 6 6 ${nand}`,
      `${u32max} -1`,
    ]);
  });

  it('64-bit atomics hold bigints, add across threads and wrap', async () => {
    const threads = 4;
    const step = 2n ** 40n;
    const perThread = 1000;
    const run = await runProgram(
      program(
        `
  const total = new Arc(new AtomicU64(0n));
  const handles = [];
  for (let t = 0; t < ${threads}; t++) {
    const c = total.clone();
    handles.push(spawn(() => { for (let k = 0; k < ${perThread}; k++) c.fetchAdd(${step}n); }));
  }
  for (const h of handles) h.join();
  console.log(String(total.load()));
  const u = new AtomicU64(18446744073709551615n);
  console.log(String(u.fetchAdd(1n)), String(u.load()));
  const i = new AtomicI64(-9223372036854775808n);
  console.log(String(i.fetchSub(1n)), String(i.load()), String(i.swap(-5n)), String(i.fetchMax(3n)), String(i.fetchMin(-7n)), String(i.load()));
  try { new AtomicI64(5); } catch (e) { console.log(e.name, e.message.includes("bigint")); }`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    const u64max = 2n ** 64n - 1n;
    const i64min = -(2n ** 63n);
    const i64max = 2n ** 63n - 1n;
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([
      String(BigInt(threads * perThread) * step),
      `${u64max} 0`,
      `${i64min} ${i64max} ${i64max} -5 3 -7`,
      'TypeError true',
    ]);
  });

  it('compareExchange reports success with the previous value, failure with the actual one; a CAS loop loses no update', async () => {
    const threads = 4;
    const perThread = 2000;
    const run = await runProgram(
      program(
        `
  const a = new AtomicI32(5);
  const hit = a.compareExchange(5, 10, Ordering.AcqRel, Ordering.Acquire);
  const miss = a.compareExchange(5, 20);
  console.log(hit.ok, hit.value, miss.ok, miss.value, a.load());
  const counter = new Arc(new AtomicI32(0));
  const handles = [];
  for (let t = 0; t < ${threads}; t++) {
    const c = counter.clone();
    handles.push(spawn(() => {
      let retries = 0;
      for (let k = 0; k < ${perThread}; k++) {
        let current = c.load();
        for (;;) {
          const r = c.compareExchangeWeak(current, current + 1);
          if (r.ok) break;
          current = r.value;
          retries++;
        }
      }
      return retries;
    }));
  }
  for (const h of handles) h.join();
  console.log(counter.load());`,
        imports,
      ),
      { timeoutMs: 60_000 },
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['true 5 false 10 10', String(threads * perThread)]);
  });

  it('fetchUpdate applies a function until it sticks, and stops when it returns undefined', async () => {
    const run = await runProgram(
      program(
        `
  const x = new AtomicU32(7);
  const doubled = x.fetchUpdate((v) => v * 2);
  const stopped = x.fetchUpdate(Ordering.SeqCst, Ordering.SeqCst, (v) => (v > 10 ? undefined : v + 1));
  console.log(doubled.ok, doubled.value, stopped.ok, stopped.value, x.load());
  const counter = new Arc(new AtomicU32(0));
  const hs = [];
  for (let t = 0; t < 3; t++) {
    const c = counter.clone();
    hs.push(spawn(() => { for (let k = 0; k < 500; k++) c.fetchUpdate((v) => v + 2); }));
  }
  for (const h of hs) h.join();
  console.log(counter.load());`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual(['true 7 false 14 14', String(3 * 500 * 2)]);
  });

  it('AtomicBool: a ready flag publishes data to another thread; the logic operations return the old value', async () => {
    const run = await runProgram(
      program(
        `
  const shared = new Arc({ ready: new AtomicBool(false), data: new AtomicI32(0) });
  const s = shared.clone();
  const reader = spawn(() => {
    while (!s.ready.load(Ordering.Acquire)) sleep(1);
    return s.data.load(Ordering.Relaxed);
  });
  shared.data.store(123, Ordering.Relaxed);
  shared.ready.store(true, Ordering.Release);
  console.log("reader saw", reader.join());
  const b = new AtomicBool(true);
  console.log(b.fetchAnd(false), b.fetchOr(true), b.fetchXor(true), b.fetchNand(true), b.load(), b.fetchNot(), b.load());
  const swapped = b.swap(false);
  const cas = b.compareExchange(false, true);
  const casMiss = b.compareExchange(false, true);
  console.log(swapped, cas.ok, cas.value, casMiss.ok, casMiss.value, b.fetchUpdate((v) => !v).value, b.load());`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    // fetchAnd(false): true -> false; fetchOr(true): false -> true; fetchXor(true): true -> false;
    // fetchNand(true): false -> !(false && true) = true; fetchNot: true -> false.
    expect(run.lines).toEqual(['reader saw 123', 'true false true false true true false', 'false true false false true true false']);
  });

  it('orderings Rust rejects are rejected; weft accepts the rest (and always uses SeqCst)', async () => {
    const run = await runProgram(
      program(
        `
  const a = new AtomicI32(1);
  const attempts = [
    () => a.store(2, Ordering.Acquire),
    () => a.load(Ordering.Release),
    () => a.load(Ordering.AcqRel),
    () => a.compareExchange(1, 2, Ordering.SeqCst, Ordering.Release),
    () => a.load("Sometimes"),
  ];
  for (const attempt of attempts) {
    try { attempt(); console.log("accepted"); } catch (e) { console.log(e.message); }
  }
  a.store(3, Ordering.Release);
  console.log(a.load(Ordering.Acquire), a.fetchAdd(1, Ordering.Relaxed), a.load(Ordering.Relaxed));`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('ok');
    expect(run.lines).toEqual([
      'there is no such thing as an acquire store',
      'there is no such thing as a release load',
      'there is no such thing as an acquire-release load',
      'there is no such thing as a release failure ordering',
      'expected an Ordering (Ordering.SeqCst, Ordering.Acquire, ...), got Sometimes',
      '3 3 4',
    ]);
  });

  it('moves into a thread without an Arc; intoInner consumes it', async () => {
    const run = await runProgram(
      program(
        `
  const hits = new AtomicU32(0);
  const h = spawn(() => { hits.fetchAdd(5); return hits.intoInner(); });
  console.log("thread's value:", h.join());
  const mine = new AtomicI32(9);
  console.log(mine.intoInner());
  try { mine.load(); } catch (e) { console.log(e.name, e.message.includes("intoInner")); }
  hits.load();`,
        imports,
      ),
    );
    expect(run.outcome.status).toBe('panic');
    expect(run.lines).toEqual(["thread's value: 5", '9', 'MovedValueError true']);
    expect(run.errors[0]!.name).toBe('MovedValueError');
    expect(run.errors[0]!.message).toContain('`hits`');
  });
});
