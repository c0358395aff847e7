/**
 * Tasks own what they capture, as Tokio's `async move`: a handle with a drop
 * that a spawned async closure captures moves into the task (the spawner's
 * variable is spent) and is dropped exactly once when the task ends, by
 * returning, panicking or being aborted. Plain data stays shared; futures
 * awaited in place, joined or selected borrow. (src/weft/task/move.ts,
 * src/compile/task-closures.ts)
 */
import { describe, expect, it } from 'vitest';
import { lineOf, programsWith } from '../support/run-program.ts';

const IMPORTS = `import { spawn, sleep, select, join, yieldNow, JoinSet, JoinError, time, mpsc, oneshot, watch, broadcast, Semaphore, Mutex, net, spawnBlocking } from "weft/task";\n`;

const { run, ok } = programsWith(IMPORTS);

describe('a spawned async closure owns the handles it captures', () => {
  it('each task drops its Sender clone when it ends, so the receive loop ends (the Tokio program)', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = mpsc.channel<number>(8);
  for (let id = 1; id <= 3; id++) {
    const tx1 = tx.clone();
    spawn(async () => { await tx1.send(id); });
  }
  tx.drop();
  let msg;
  while ((msg = await rx.recv()) !== undefined) console.log(msg);
  console.log("closed");
}`);
    expect(lines.slice(0, 3).sort()).toEqual(['1', '2', '3']);
    expect(lines[3]).toBe('closed');
  });

  it('using a handle after it moved into a task throws "use of moved value" at the line of the use', async () => {
    const result = await run(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<string>();
  const worker = spawn(async () => { tx.send("from the task"); });
  await worker;
  console.log(await rx.recv());
  tx.send("from main");
}`);
    expect(result.lines).toEqual(['from the task']);
    expect(result.outcome.status).toBe('panic');
    const error = result.errors[0]!;
    expect(error.message).toContain(`use of moved value \`tx\`: this UnboundedSender was moved into task 1 at line ${lineOf(result.source, 'const worker = spawn')}`);
    expect(error.message).toContain('clone it before the spawn');
    expect(error.location?.line).toBe(lineOf(result.source, 'tx.send("from main")'));
  });

  it('capturing a spent handle in a second task fails at that spawn, as in a Rust loop', async () => {
    const result = await run(`
async function main() {
  const [tx, _rx] = oneshot.channel<number>();
  for (let i = 0; i < 2; i++) {
    spawn(async () => { tx.send(i); });
  }
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toMatch(/use of moved value `tx`: this Sender was moved into task 1 at line \d+/);
    expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, 'spawn(async () => { tx.send(i)'));
  });

  it('abort drops the task\'s Senders: a receive loop waiting on them ends', async () => {
    const { lines } = await ok(`
async function main() {
  time.pause();
  const [tx, rx] = mpsc.channel<string>(4);
  const ticker = spawn(async () => {
    for (let i = 0; ; i++) { await tx.send("tick " + i); await sleep(100); }
  });
  spawn(async () => { await sleep(250); ticker.abort(); });
  let msg;
  while ((msg = await rx.recv()) !== undefined) console.log(msg);
  console.log("channel closed at", time.now());
}`);
    expect(lines).toEqual(['tick 0', 'tick 1', 'tick 2', 'channel closed at 250']);
  });

  it('a panicking task drops its Senders (and the panic is still reported)', async () => {
    const result = await run(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<number>();
  spawn(async () => { tx.send(1); await yieldNow(); throw new Error("broken producer"); });
  let msg;
  while ((msg = await rx.recv()) !== undefined) console.log("got", msg);
  console.log("closed");
}`);
    expect(result.outcome.status).toBe('ok');
    expect(result.lines).toEqual(['got 1', 'closed']);
    expect(result.errors.map((e) => e.message)).toEqual([expect.stringContaining('broken producer')]);
  });

  it('JoinSet tasks own their captures too, also when the set aborts them', async () => {
    const { lines } = await ok(`
async function main() {
  time.pause();
  const [tx, rx] = mpsc.unboundedChannel<number>();
  {
    using set = new JoinSet<void>();
    for (let id = 1; id <= 3; id++) {
      const mine = tx.clone();
      set.spawn(async () => { mine.send(id); await sleep(1000 * id); mine.send(-id); });
    }
    tx.drop();
    await sleep(1500); // task 1 finished; tasks 2 and 3 are aborted when the set is dropped
  }
  const got = [];
  let msg;
  while ((msg = await rx.recv()) !== undefined) got.push(msg);
  console.log(got.join(" "));
}`);
    expect(lines).toEqual(['1 2 3 -1']);
  });

  it('drops exactly once, even when the task dropped the handle itself', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = broadcast.channel<string>(4);
  const tx2 = tx.clone();
  const h = spawn(async () => { tx2.send("a"); tx2.drop(); });
  await h;
  console.log(await rx.recv());
  tx.send("b");
  console.log(await rx.recv());
  tx.drop();
  try { await rx.recv(); } catch (e) { console.log("closed", (e as Error).name); }
}`);
    expect(lines).toEqual(['a', 'b', 'closed RecvError']);
  });

  it('a moved guard or permit is released when the task ends, and `using` in the spawner does not release it twice', async () => {
    const { lines } = await ok(`
async function main() {
  time.pause();
  const lock = new Mutex(0);
  const sem = new Semaphore(1);
  {
    using guard = await lock.lock();
    using permit = await sem.acquire();
    spawn(async () => { await sleep(100); guard.value = 42; console.log("task done", permit.numPermits()); });
  } // the spawner's guard and permit moved: leaving the block releases nothing
  console.log("free now?", lock.tryLock() !== undefined, sem.availablePermits());
  const again = await lock.lock();
  console.log("locked again at", time.now(), "value", again.value, "permits", sem.availablePermits());
}`);
    expect(lines).toEqual(['free now? false 0', 'task done 1', 'locked again at 100 value 42 permits 1']);
  });

  it('a task that gives a handle away (returns it, sends it) does not drop it', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<number>();
  const [replyTx, replyRx] = oneshot.channel<string>();
  const [cmdTx, cmdRx] = mpsc.unboundedChannel<{ reply: typeof replyTx }>();
  const back = await spawn(async () => tx);
  back.send(7);
  console.log(await rx.recv());
  spawn(async () => { cmdTx.send({ reply: replyTx }); });
  const cmd = await cmdRx.recv();
  cmd!.reply.send("still open");
  console.log(await replyRx);
}`);
    expect(lines).toEqual(['7', 'still open']);
  });

  it('a task that moves a handle into another task leaves it to that task', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<string>();
  const outer = spawn(async () => {
    spawn(async () => { await yieldNow(); tx.send("inner"); });
    try { tx.send("outer"); } catch (e) { console.log((e as Error).message.split(":")[0]); }
  });
  await outer;
  console.log(await rx.recv(), await rx.recv());
}`);
    expect(lines).toEqual(['use of moved value `tx`', 'inner undefined']);
  });

  it('weft/sync handles move too: a thread\'s receive loop ends when the task holding the Sender ends', async () => {
    const { lines } = await ok(`
import { mpsc as std } from "weft/sync";
import * as thread from "weft/thread";
async function main() {
  const [tx, rx] = std.channel<number>();
  const consumer = thread.spawn(() => { let n = 0; for (const v of rx) n += v; return n; });
  spawn(async () => { for (let i = 1; i <= 4; i++) { tx.send(i); await yieldNow(); } });
  while (!consumer.isFinished()) await sleep(5); // so join() below never blocks the executor, however slow the machine
  console.log("sum", consumer.join());
}`);
    expect(lines).toEqual(['sum 10']);
  });

  it('a watch Receiver and a TcpStream move: the spawner keeps sending, the peer sees the stream close', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = watch.channel(0);
  const seen = spawn(async () => { await rx.changed(); return rx.borrow(); });
  tx.send(5);
  console.log("watched", await seen, tx.receiverCount());
  const listener = await net.TcpListener.bind("127.0.0.1:0");
  const client = await net.TcpStream.connect(listener.localAddr());
  const [socket] = await listener.accept();
  spawn(async () => { await socket.writeAll("bye"); });
  const buf = new Uint8Array(16);
  const n = await client.read(buf);
  console.log(new TextDecoder().decode(buf.subarray(0, n)), "then", await client.read(buf));
}`);
    expect(lines).toEqual(['watched 5 0', 'bye then 0']);
  });
});

describe('when a spawned closure is called', () => {
  it('a closure with parameters is called at the spawn, so its defaults are evaluated there, before the spawner goes on', async () => {
    const { lines } = await ok(`
function note(text: string): number { console.log(text); return 1; }
async function main() {
  const h = spawn(async (n = note("default evaluated")) => { console.log("body"); return n; });
  console.log("after spawn");
  console.log(await h);
}`);
    expect(lines).toEqual(['default evaluated', 'after spawn', 'body', '1']);
  });

  it('a closure with no parameters runs nothing before its first poll, and what it captured has moved at the spawn', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<string>();
  const h = spawn(async () => { tx.send("sent by the task"); });
  let first = "nothing yet";
  try { first = rx.tryRecv(); } catch {}
  console.log(first);
  let moved = false;
  try { tx.send("from main"); } catch (e) { moved = String(e).includes("moved"); }
  console.log("moved at spawn: " + moved);
  await h;
  console.log(await rx.recv());
  console.log(String(await rx.recv()));
}`);
    expect(lines).toEqual(['nothing yet', 'moved at spawn: true', 'sent by the task', 'undefined']);
  });
});

describe('what is not moved', () => {
  it('plain data stays shared by reference: the task sees later changes, and its own', async () => {
    const { lines } = await ok(`
async function main() {
  let count = 0;
  const log: string[] = [];
  const h = spawn(async () => { await yieldNow(); count++; log.push("task saw " + count); });
  count = 10;
  await h;
  console.log(count, log.join());
}`);
    expect(lines).toEqual(['11 task saw 11']);
  });

  it('a handle in a variable that is assigned again cannot move: the spawn says how to fix it', async () => {
    const result = await run(`
async function main() {
  let [tx, _rx] = mpsc.unboundedChannel<number>();
  spawn(async () => tx.send(1));
  tx = mpsc.unboundedChannel<number>()[0];
}`);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain('cannot move `tx` into task 1');
    expect(result.errors[0]!.message).toContain('const tx1 = tx;');
    expect(result.errors[0]!.location?.line).toBe(lineOf(result.source, 'spawn(async () => tx.send(1))'));
  });

  it('a refused spawn drops what already moved for it, as Rust drops a closure that never runs', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<number>();
  let [other, _otherRx] = mpsc.unboundedChannel<number>();
  if (other === undefined) other = tx;
  try { spawn(async () => { tx.send(1); other.send(2); }); } catch (e) { console.log((e as Error).message.slice(0, 31)); }
  console.log(await rx.recv());
}`);
    expect(lines).toEqual(['cannot move `other` into task 1', 'undefined']);
  });

  it('locks, semaphores and Notify are shared by the tasks that capture them (as an Arc would share them)', async () => {
    const { lines } = await ok(`
async function main() {
  const total = new Mutex(0);
  const tasks = [1, 2, 3].map((i) => spawn(async () => { const g = await total.lock(); g.value += i; g.unlock(); }));
  for (const t of tasks) await t;
  console.log((await total.lock()).value);
}`);
    expect(lines).toEqual(['6']);
  });

  it('futures awaited in place, joined or selected borrow what they use', async () => {
    const { lines } = await ok(`
async function main() {
  const [tx, rx] = mpsc.unboundedChannel<string>();
  await (async () => { tx.send("awaited"); })();
  await join(async () => { tx.send("joined"); }, async () => 1);
  await select({ sent: async () => { tx.send("selected"); }, never: sleep(1000) });
  tx.send("still mine");
  tx.drop();
  const got = [];
  let msg;
  while ((msg = await rx.recv()) !== undefined) got.push(msg);
  console.log(got.join(", "));
}`);
    expect(lines).toEqual(['awaited, joined, selected, still mine']);
  });
});

describe('a future spawned with handle arguments owns them', () => {
  it('spawn(worker(tx)) moves tx into the task, which drops it when it ends', async () => {
    const result = await run(`
async function producer(id: number, tx: mpsc.Sender<string>) {
  await yieldNow();
  await tx.send("from " + id);
}
const label = async (id: number, out: mpsc.UnboundedSender<string>) => { out.send("label " + id); };
async function main() {
  const [tx, rx] = mpsc.channel<string>(4);
  const set = new JoinSet<void>();
  for (let id = 1; id <= 2; id++) set.spawn(producer(id, tx.clone()));
  spawn(producer(3, tx));
  const got = [];
  let msg;
  while ((msg = await rx.recv()) !== undefined) got.push(msg);
  console.log(got.sort().join(", "));
  const [utx, urx] = mpsc.unboundedChannel<string>();
  spawn(label(4, utx));
  console.log(await urx.recv(), await urx.recv());
  await producer(5, tx);
}`);
    expect(result.lines).toEqual(['from 1, from 2, from 3', 'label 4 undefined']);
    expect(result.outcome.status).toBe('panic');
    expect(result.errors[0]!.message).toContain(`use of moved value: this Sender was moved into task 3 at line ${lineOf(result.source, 'spawn(producer(3, tx))')}`);
  });
});
