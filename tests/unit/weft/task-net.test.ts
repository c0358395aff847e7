/**
 * weft/task's in-memory network: the seed article's echo server, written as
 * in Tokio, serves 100 clients; end of stream, refused connections and a
 * server left waiting for clients that never come.
 */
import { describe, expect, it } from 'vitest';
import { lineOf, runProgram } from '../support/run-program.ts';

const ECHO = `import { spawn, net, JoinSet } from "weft/task";
const { TcpListener, TcpStream } = net;

async function server() {
  const listener = await TcpListener.bind("127.0.0.1:8080");
  for (;;) {
    const [socket, _] = await listener.accept();
    spawn(async () => {
      const buf = new Uint8Array(1024);
      const len = await socket.read(buf);
      await socket.writeAll(buf.subarray(0, len));
    });
  }
}

async function main() {
  spawn(server());
  const clients = new JoinSet<string>();
  for (let i = 0; i < 100; i++) {
    clients.spawn(async () => {
      const stream = await TcpStream.connect("127.0.0.1:8080");
      await stream.writeAll("hello " + i);
      const buf = new Uint8Array(1024);
      const n = await stream.read(buf);
      return new TextDecoder().decode(buf.subarray(0, n));
    });
  }
  const replies = await clients.joinAll();
  const expected = Array.from({ length: 100 }, (_, i) => "hello " + i);
  console.log(replies.length, [...replies].sort().join() === expected.sort().join());
}
`;

describe('net', () => {
  it("the seed's echo server answers 100 clients, each with its own message", async () => {
    const run = await runProgram(ECHO);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['100 true']);
  });

  it('the echo server under a seed replays the same output', async () => {
    const a = await runProgram(ECHO, { seed: 5 });
    const b = await runProgram(ECHO, { seed: 5 });
    expect(a.lines).toEqual(['100 true']);
    expect(b.lines).toEqual(a.lines);
  });

  it('reads finish with 0 at end of stream; connecting to nothing is refused; a writer waits for a slow reader', async () => {
    const run = await runProgram(`import { spawn, net, yieldNow } from "weft/task";
async function main() {
  try { await net.TcpStream.connect("127.0.0.1:9"); } catch (e) { console.log((e as net.IoError).kind); }
  const listener = await net.TcpListener.bind("127.0.0.1:0");
  const addr = listener.localAddr();
  const client = spawn(async () => {
    const s = await net.TcpStream.connect(addr);
    await s.writeAll(new Uint8Array(200_000)); // more than the pipe holds: waits for the reader
    await s.shutdown();
    console.log("client wrote all");
  });
  const [conn] = await listener.accept();
  const buf = new Uint8Array(4096);
  let total = 0, n;
  while ((n = await conn.read(buf)) > 0) total += n;
  console.log("server read", total, "then end of stream");
  await client;
}`);
    expect(run.errors).toEqual([]);
    expect(run.lines).toEqual(['ConnectionRefused', 'client wrote all', 'server read 200000 then end of stream']);
  });

  it('a client waiting for a reply that never comes is a named hang', async () => {
    const source = `import { spawn, net } from "weft/task";
async function main() {
  const listener = await net.TcpListener.bind("127.0.0.1:7000");
  spawn(async () => { const [conn] = await listener.accept(); }); // accepts, never answers, never closes
  const s = await net.TcpStream.connect("127.0.0.1:7000");
  await s.read(new Uint8Array(10)); // no reply
}`;
    const run = await runProgram(source);
    expect(run.outcome.status).toBe('deadlock');
    expect(run.errors.map((e) => `${e.location?.line}: ${e.message}`)).toContain(
      `${lineOf(source, 'await s.read')}: task 'main' is waiting for data to read from 127.0.0.1:7000, and nothing can wake it`,
    );
  });
});
