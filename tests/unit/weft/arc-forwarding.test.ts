import { describe, expect, it } from 'vitest';
import { program as withBody, runProgram } from '../support/run-program.ts';

const program = (body: string) => withBody(body, 'import { AtomicBool, AtomicUsize, Condvar } from "weft/sync";');

// An Arc of a weft handle forwards the handle's members through methods made
// once per class (sync/arc.ts forwarderOf); an Arc of data through a Proxy.
// These are what a reader sees of either, whichever way it is built.
describe('weft/sync Arc forwards to what it holds, as Rust`s Arc derefs', () => {
  it('an Arc of a handle offers its methods and getters, in this thread and in the one it is moved to', async () => {
    const run = await runProgram(program(`
  const m = new Arc(new Mutex(1));
  const flag = new Arc(new AtomicBool(false));
  const [tx, rx] = mpsc.channel();
  const shared = new Arc(tx);
  const m2 = m.clone();
  const f2 = flag.clone();
  const s2 = shared.clone();
  spawn(() => {
    { using g = m2.lock(); g.value += 1; }
    f2.store(true);
    s2.send(m2.tryLock() === undefined ? "held" : "free");
    console.log("in thread:", m2.isPoisoned(), f2.load(), Arc.strongCount(m2));
  }).join();
  shared.drop();
  console.log(rx.recv(), m.lock().value, flag.load(), "lock" in m, typeof m.lock, m.lock.name);`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['in thread: false true 2', 'free 2 true true function lock']);
  });

  it('clone and drop are the Arc`s own, even when the value has a clone of its own (a Sender)', async () => {
    const run = await runProgram(program(`
  const [tx, rx] = mpsc.channel();
  const a = new Arc(tx);
  const b = a.clone();
  console.log(Arc.strongCount(a), Arc.strongCount(b));
  b.drop();
  console.log(Arc.strongCount(a));
  const own = Arc.get(a).clone();
  a.drop();
  own.send(7);
  console.log(rx.recv());`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['2 2', '1', '7']);
  });

  it('assigning through an Arc of a handle throws the read-only error, whether the member exists or not', async () => {
    const run = await runProgram(program(`
  const m = new Arc(new Mutex(0));
  for (const change of [() => { m.value = 5; }, () => { m.lock = () => 0; }, () => { m.clone = () => 0; }]) {
    try { change(); console.log("changed"); } catch (e) { console.log(e.name, e.message.slice(0, 33)); }
  }
  using g = m.lock();
  console.log(g.value);`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual([
      'TypeError cannot assign to `value` through ',
      'TypeError cannot assign to `lock` through a',
      'TypeError cannot assign to `clone` through ',
      '0',
    ]);
  });

  it('an Arc of an Arc, and an Arc of a tuple of handles, reach the handles inside', async () => {
    const run = await runProgram(program(`
  const outer = new Arc(new Arc(new Mutex(10)));
  const pair = new Arc([new Mutex(false), new Condvar()]);
  const o2 = outer.clone();
  const p2 = pair.clone();
  spawn(() => {
    { using g = o2.lock(); g.value += 5; }
    const [lock, cvar] = p2;
    using g = lock.lock();
    g.value = true;
    cvar.notifyOne();
  }).join();
  const [lock] = pair;
  console.log(outer.lock().value, lock.lock().value, JSON.stringify(new Arc({ a: [1, 2] })));`));
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['15 true {"a":[1,2]}']);
  });

  it('an Arc moved into a thread is spent here: its methods report the move', async () => {
    const run = await runProgram(program(`
  const counter = new Arc(new AtomicUsize(0));
  spawn(() => { counter.fetchAdd(1); }).join();
  try { counter.load(); } catch (e) { console.log(e.name, e.message.slice(0, 33)); }`));
    expect(run.lines).toEqual(['MovedValueError use of moved value `counter`: thi']);
  });

  it('an Arc of a handle moved into a task is spent there too', async () => {
    const run = await runProgram(`
import { Arc, Mutex } from "weft/sync";
import { spawn, blockOn } from "weft/task";
function main() {
  blockOn(async () => {
    const m = new Arc(new Mutex(1));
    await spawn(async () => { using g = m.lock(); g.value += 1; });
    try { m.lock(); } catch (e) { console.log(e.name); }
  });
}`);
    expect(run.lines).toEqual(['MovedValueError']);
  });
});
