/**
 * A lock owns its value, and a guard is a `&mut` to it (Rust): handles a
 * guard leaves in the value stay the lock's and go with its drop, handles put
 * in move into it, handles taken out are the taker's, and what an assignment
 * overwrote unseen is dropped there (sync/value-cell.ts writeBackValue). Each
 * program prints what Rust's same program prints.
 */
import { describe, expect, it } from 'vitest';
import { programsWith } from '../support/run-program.ts';

const { ok } = programsWith(`import { spawn } from "weft/thread";
import { mpsc, drop, Arc, Mutex, RwLock, Condvar } from "weft/sync";
`);

describe('a lock owns the handles in its value', () => {
  it('an Arc<Mutex<Sender>> shared by producers closes its channel when the last Arc goes, after sends through guards', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const shared = new Arc(new Mutex(tx));
  const hs = [0, 1, 2].map((i) => { const s = shared.clone(); return spawn(() => { s.lock().value.send(i); }); });
  drop(shared);
  for (const h of hs) h.join();
  console.log([...rx].sort().join(" "));
}`);
    expect(lines).toEqual(['0 1 2']);
  });

  it('the same through an RwLock write guard', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const shared = new Arc(new RwLock(tx));
  const hs = [0, 1, 2].map((i) => { const s = shared.clone(); return spawn(() => { using g = s.write(); g.value.send(i); }); });
  drop(shared);
  for (const h of hs) h.join();
  console.log([...rx].sort().join(" "));
}`);
    expect(lines).toEqual(['0 1 2']);
  });

  it('a Sender pushed into the value moves in: the pusher cannot use it, and the Mutex drops it', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const registry = new Arc(new Mutex<mpsc.Sender<number>[]>([]));
  for (let i = 0; i < 3; i++) {
    const t = tx.clone();
    const r = registry.clone();
    spawn(() => {
      { using g = r.lock(); g.value.push(t); }
      try { t.send(-1); } catch (e) { console.log(String(e).split(":")[0]); }
    }).join();
  }
  drop(tx);
  { using g = registry.lock(); for (const t of g.value) t.send(7); }
  drop(registry);
  console.log([...rx].join(" "));
}`);
    expect(lines).toEqual(['MovedValueError', 'MovedValueError', 'MovedValueError', '7 7 7']);
  });

  it("a Sender taken out through a guard is the taker's: it still sends after the lock is released", async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const slot = new Mutex<mpsc.Sender<number> | null>(tx);
  let taken: mpsc.Sender<number> | null = null;
  { using g = slot.lock(); taken = g.value; g.value = null; }
  taken!.send(9);
  drop(taken!);
  console.log([...rx].join(" "));
}`);
    expect(lines).toEqual(['9']);
  });

  it('a Sender overwritten without being read is dropped at the assignment, as Rust drops it', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const slot = new Mutex<mpsc.Sender<number> | null>(tx);
  { using g = slot.lock(); g.value = null; }
  try { rx.recv(); } catch (e) { console.log(String(e)); }
}`);
    expect(lines).toEqual(['RecvError: receiving on a closed channel: every Sender was dropped and the channel is empty']);
  });

  it('a value holding a Sender survives a Condvar wait, and the Mutex still drops it', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const pair = new Arc([new Mutex({ tx, ready: false }), new Condvar()] as const);
  const p2 = pair.clone();
  const w = spawn(() => { const [m, cv] = p2; let g = m.lock(); while (!g.value.ready) g = cv.wait(g); g.value.tx.send(42); g.unlock(); });
  { const [m, cv] = pair; using g = m.lock(); g.value.ready = true; cv.notifyOne(); }
  w.join();
  drop(pair);
  console.log([...rx].join(" "));
}`);
    expect(lines).toEqual(['42']);
  });
});

describe('shared memory the program made itself', () => {
  it('a typed array on a SharedArrayBuffer of its own is refused at the spawn, not copied (writes to a copy would be lost)', async () => {
    const { lines } = await ok(`
import { scope } from "weft/thread";
function main() {
  const buf = new Int32Array(new SharedArrayBuffer(16));
  try {
    scope((s) => { s.spawn(() => { buf[1] = 6; }); });
  } catch (e) { console.log(String(e).includes("is an Int32Array on a SharedArrayBuffer the program made"), String(e).includes("sharedArray(")); }
  try {
    const raw = new SharedArrayBuffer(8);
    spawn(() => raw.byteLength).join();
  } catch (e) { console.log(String(e).includes("is a SharedArrayBuffer the program made")); }
  console.log(buf[1]);
}`);
    expect(lines).toEqual(['true true', 'true', '0']);
  });
});

describe('drop(lock)', () => {
  it('drops the value of the Mutex or RwLock `new` made, as Rust drops a Mutex<T> with its T; a borrowed one is left alone', async () => {
    const { lines } = await ok(`
function main() {
  const [tx, rx] = mpsc.channel<number>();
  const tx2 = tx.clone();
  const m = new Mutex(tx);
  const shared = new Arc([new RwLock(tx2)] as const);
  const [borrowed] = shared;
  drop(borrowed); // a borrow of the Arc's RwLock: nothing happens
  { using g = borrowed.read(); console.log("still there", g.value !== undefined); }
  drop(m);
  try { m.lock(); } catch (e) { console.log(String(e).split(".")[0]); }
  try { drop(m); } catch (e) { console.log(String(e).split(":")[0]); }
  try { rx.recvTimeout(50); } catch (e) { console.log(String(e)); }
  drop(shared);
  try { rx.recvTimeout(50); } catch (e) { console.log(String(e)); }
  const held = new Mutex(1);
  const g = held.lock();
  try { drop(held); } catch (e) { console.log(String(e).split(":")[0]); }
  g.unlock();
}`);
    expect(lines).toEqual([
      'still there true',
      'MovedValueError: use of moved value: this Mutex was moved into drop() at line 12',
      'DroppedValueError',
      'RecvTimeoutError: timed out waiting on the channel',
      'RecvTimeoutError: the channel is empty and every Sender was dropped',
      'Error',
    ]);
  });
});
