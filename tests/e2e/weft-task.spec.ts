// weft/task in a real Chromium page, through the book's own runner chunk
// against the built site: a core subset of the Node tests
// (tests/unit/weft/task*.test.ts) — laziness, abort with its cleanup run
// once, paused time, select, an async channel whose tasks own their Senders,
// spawnBlocking on a Web Worker, the echo server, and a hang report.
import { test, expect } from './support/fixtures.ts';
import { runInPage } from './support/run-in-page.ts';

const IMPORTS = `import { spawn, sleep, select, yieldNow, time, mpsc, net, JoinSet, JoinError, spawnBlocking } from "weft/task";\n`;

/** The 1-based line of `needle` in `source`. */
function lineOf(source: string, needle: string): number {
  return source.slice(0, source.indexOf(needle)).split('\n').length;
}

test.describe('weft/task in Chromium', () => {
  test.beforeEach(async ({ page }) => {
    await page.goto('/');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  });

  test('an async function runs nothing until awaited or spawned', async ({ page }) => {
    const result = await runInPage(
      page,
      `${IMPORTS}
async function hello(name: string) { console.log("hello " + name); return name.length; }
async function main() {
  const f = hello("lazy");
  const g = hello("spawned");
  console.log("made two futures");
  const h = spawn(g);
  console.log("spawned, not yet polled");
  console.log(await f);
  await h;
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['made two futures', 'spawned, not yet polled', 'hello lazy', '4', 'hello spawned']);
  });

  test('abort cancels at the next await: finally and using run once; paused time prints the same times every run', async ({ page }) => {
    const source = `${IMPORTS}
function resource(name: string) { return { [Symbol.dispose]() { console.log("dispose " + name + " at " + time.now()); } }; }
async function main() {
  time.pause();
  const h = spawn(async () => {
    using r = resource("r");
    try { for (;;) { await sleep(40); console.log("tick " + time.now()); } }
    finally { console.log("finally at " + time.now()); }
  });
  await sleep(130);
  h.abort();
  h.abort();
  try { await h; } catch (e) { console.log(e instanceof JoinError, (e as JoinError).isCancelled()); }
  await sleep(1000);
  console.log("end at " + time.now());
}`;
    const expected = ['tick 40', 'tick 80', 'tick 120', 'finally at 130', 'dispose r at 130', 'true true', 'end at 1130'];
    for (let i = 0; i < 2; i++) {
      const result = await runInPage(page, source);
      expect(result.errors).toEqual([]);
      expect(result.lines).toEqual(expected);
    }
  });

  test('select returns the first ready branch and cancels the other at its await', async ({ page }) => {
    const result = await runInPage(
      page,
      `${IMPORTS}
async function slow() { try { await sleep(1000); return "slow"; } finally { console.log("slow cancelled"); } }
async function main() {
  time.pause();
  const winner = await select({ fast: sleep(10), slow: slow() });
  console.log("winner", winner.key, "at", time.now());
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['slow cancelled', 'winner fast at 10']);
  });

  test('an async channel closes once every task holding a Sender has ended; a moved Sender cannot be used', async ({ page }) => {
    const source = `${IMPORTS}
async function main() {
  const [tx, rx] = mpsc.channel<number>(8);
  for (let id = 1; id <= 3; id++) {
    const tx1 = tx.clone();
    spawn(async () => { await tx1.send(id); });
  }
  tx.drop();
  const got = [];
  let msg;
  while ((msg = await rx.recv()) !== undefined) got.push(msg);
  console.log(got.sort().join(" "));
  const [tx2, _rx2] = mpsc.unboundedChannel<number>();
  spawn(async () => tx2.send(1));
  tx2.send(2);
}`;
    const result = await runInPage(page, source);
    expect(result.lines).toEqual(['1 2 3']);
    expect(result.status).toBe('panic');
    expect(result.errors[0]!.message).toContain(`use of moved value \`tx2\`: this UnboundedSender was moved into task 4 at line ${lineOf(source, 'spawn(async () => tx2.send(1))')}`);
    expect(result.errors[0]!.line).toBe(lineOf(source, 'tx2.send(2);'));
  });

  test('spawnBlocking runs its closure on a Web Worker while the executor keeps running tasks', async ({ page }) => {
    const result = await runInPage(
      page,
      `${IMPORTS}
import { current } from "weft/thread";
async function main() {
  const limit = 2_000_000;
  const ticker = spawn(async () => { await sleep(1); console.log("the executor ran a task meanwhile"); });
  const sum = await spawnBlocking(() => {
    let s = 0;
    for (let i = 0; i < limit; i++) s += i % 7;
    return [s, current().name()];
  });
  await ticker;
  console.log(sum[0], sum[1]);
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual(['the executor ran a task meanwhile', '5999995 blocking-1']);
  });

  test('the echo server serves a few clients, one task per connection', async ({ page }) => {
    const result = await runInPage(
      page,
      `${IMPORTS}
const { TcpListener, TcpStream } = net;
async function server() {
  const listener = await TcpListener.bind("127.0.0.1:8080");
  for (;;) {
    const [socket, _address] = await listener.accept();
    spawn(async () => {
      const buf = new Uint8Array(1024);
      const len = await socket.read(buf);
      await socket.writeAll(buf.subarray(0, len));
    });
  }
}
async function client(id: number): Promise<string> {
  const stream = await TcpStream.connect("127.0.0.1:8080");
  await stream.writeAll("hello from client " + id);
  const buf = new Uint8Array(1024);
  const n = await stream.read(buf);
  return new TextDecoder().decode(buf.subarray(0, n));
}
async function main() {
  spawn(server());
  const clients = new JoinSet<string>();
  for (let id = 1; id <= 5; id++) clients.spawn(client(id));
  for (const reply of (await clients.joinAll()).sort()) console.log("echoed: " + reply);
}`,
    );
    expect(result.errors).toEqual([]);
    expect(result.lines).toEqual([1, 2, 3, 4, 5].map((id) => `echoed: hello from client ${id}`));
  });

  test('a hang names each task and the line it awaits at', async ({ page }) => {
    const source = `${IMPORTS}
async function main() {
  const [tx, rx] = mpsc.channel<number>(1);
  const waiter = spawn(async () => {
    await rx.recv(); // main keeps tx and never sends
  });
  await waiter;
  tx.drop();
}`;
    const result = await runInPage(page, source);
    expect(result.status).toBe('deadlock');
    expect(result.message).toMatch(/^Deadlock: every task is waiting/);
    expect(result.errors.map((e) => `${e.line}: ${e.message}`)).toEqual([
      `${lineOf(source, 'await waiter;')}: task 'main' is waiting for task 1 to finish, and nothing can wake it`,
      `${lineOf(source, 'await rx.recv()')}: task 1 is waiting for a message on an mpsc channel (1 Sender alive), and nothing can wake it`,
    ]);
  });
});
