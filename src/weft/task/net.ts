/**
 * An in-memory loopback network with tokio::net's shape: TcpListener and
 * TcpStream, so a server and its clients run as tasks of one program.
 * https://docs.rs/tokio/latest/tokio/net/index.html
 *
 * Nothing leaves the program: `bind` registers an address with this
 * thread's runtime, `connect` finds it there, and a stream is two byte
 * pipes (one each way) of PIPE_BYTES each, so a writer that gets ahead of
 * its reader waits, as with a real socket's buffers. `read` finishes with 0
 * at end of stream: when the peer shut down its writing half or dropped the
 * stream. Because it is all in memory, a server whose clients are all gone
 * and that waits in `accept` is a hang the runtime can name.
 */
import { PENDING, Poll, type Awaitable, type Context, type Waker } from './future.ts';
import type { Runtime } from './runtime/scheduler.ts';
import { runtimeOrThrow } from './runtime/context.ts';
import { pollFn } from './sync/poll-fn.ts';
import { TAKE } from './move.ts';
import { markErrValue } from '../runtime/unwind.ts';

/** An I/O failure, with Rust's `io::ErrorKind` name in `kind`. */
export class IoError extends Error {
  readonly kind: 'AddrInUse' | 'ConnectionRefused' | 'BrokenPipe' | 'NotConnected' | 'InvalidInput';
  constructor(kind: IoError['kind'], message: string) {
    super(message);
    this.name = 'IoError';
    this.kind = kind;
  }
}

const PIPE_BYTES = 64 * 1024;
const encoder = new TextEncoder();

class Pipe {
  readonly chunks: Uint8Array[] = [];
  size = 0;
  writerClosed = false;
  readerClosed = false;
  readerWaker: Waker | null = null;
  writerWaker: Waker | null = null;
  wakeReader(): void {
    const w = this.readerWaker;
    this.readerWaker = null;
    w?.wake();
  }
  wakeWriter(): void {
    const w = this.writerWaker;
    this.writerWaker = null;
    w?.wake();
  }
}

interface Network {
  listeners: Map<string, TcpListener>;
  nextPort: number;
}

const networks = new WeakMap<Runtime, Network>();

function network(api: string): Network {
  const runtime = runtimeOrThrow(api);
  let net = networks.get(runtime);
  if (net === undefined) networks.set(runtime, (net = { listeners: new Map(), nextPort: 49152 }));
  return net;
}

function parseAddr(addr: string): { host: string; port: number } {
  const at = typeof addr === 'string' ? addr.lastIndexOf(':') : -1;
  const port = at < 0 ? NaN : Number(addr.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new IoError('InvalidInput', `'${String(addr)}' is not an address like "127.0.0.1:8080"`);
  }
  return { host: addr.slice(0, at), port };
}

export class TcpStream {
  readonly #incoming: Pipe;
  readonly #outgoing: Pipe;
  readonly #local: string;
  readonly #peer: string;
  /** Dropped, or moved into a task: this object closes nothing any more. */
  #released = false;

  constructor(incoming: Pipe, outgoing: Pipe, local: string, peer: string) {
    this.#incoming = incoming;
    this.#outgoing = outgoing;
    this.#local = local;
    this.#peer = peer;
  }

  /** Connects to a listener of this program (IoError 'ConnectionRefused' if none is bound there). */
  static connect(addr: string): Awaitable<TcpStream> {
    const net = network('TcpStream.connect');
    const { host } = parseAddr(addr);
    let done = false;
    return pollFn(
      (): Poll<TcpStream> => {
        if (done) throw new Error('connect resumed after completion');
        done = true;
        const listener = net.listeners.get(normalize(addr));
        if (listener === undefined) throw new IoError('ConnectionRefused', `connection refused: nothing listens on ${addr}`);
        const toServer = new Pipe();
        const toClient = new Pipe();
        const local = `${host}:${net.nextPort++}`;
        const client = new TcpStream(toClient, toServer, local, addr);
        listener.enqueue(new TcpStream(toServer, toClient, addr, local), local);
        return Poll.ready(client);
      },
      () => `a connection to ${addr}`,
    );
  }

  localAddr(): string {
    return this.#local;
  }

  peerAddr(): string {
    return this.#peer;
  }

  /** Reads into `buf`; finishes with how many bytes, 0 at end of stream. */
  read(buf: Uint8Array): Awaitable<number> {
    const pipe = this.#incoming;
    return pollFn(
      (cx: Context): Poll<number> => {
        if (pipe.readerClosed) throw new IoError('NotConnected', 'read on a stream that was dropped');
        if (pipe.size === 0) {
          if (pipe.writerClosed) return Poll.ready(0);
          pipe.readerWaker = cx.waker();
          return PENDING;
        }
        let n = 0;
        while (n < buf.length && pipe.chunks.length > 0) {
          const chunk = pipe.chunks[0]!;
          const take = Math.min(chunk.length, buf.length - n);
          buf.set(chunk.subarray(0, take), n);
          n += take;
          if (take === chunk.length) pipe.chunks.shift();
          else pipe.chunks[0] = chunk.subarray(take);
        }
        pipe.size -= n;
        pipe.wakeWriter();
        return Poll.ready(n);
      },
      () => `data to read from ${this.#peer}`,
      () => {
        pipe.readerWaker = null;
      },
    );
  }

  /** Writes some of `data` (bytes or a string, as UTF-8), waiting while the peer's buffer is full; finishes with how many bytes. */
  write(data: Uint8Array | string): Awaitable<number> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    const pipe = this.#outgoing;
    return pollFn(
      (cx: Context): Poll<number> => {
        if (pipe.writerClosed) throw new IoError('BrokenPipe', 'write after shutdown');
        if (pipe.readerClosed) throw new IoError('BrokenPipe', `broken pipe: ${this.#peer} dropped the connection`);
        if (bytes.length === 0) return Poll.ready(0);
        const room = PIPE_BYTES - pipe.size;
        if (room === 0) {
          pipe.writerWaker = cx.waker();
          return PENDING;
        }
        const n = Math.min(room, bytes.length);
        pipe.chunks.push(bytes.slice(0, n)); // a copy: the caller may reuse its buffer
        pipe.size += n;
        pipe.wakeReader();
        return Poll.ready(n);
      },
      () => `room to write to ${this.#peer} (its buffer is full)`,
      () => {
        pipe.writerWaker = null;
      },
    );
  }

  /** Writes all of `data`. */
  writeAll(data: Uint8Array | string): Awaitable<void> {
    const bytes = typeof data === 'string' ? encoder.encode(data) : data;
    let offset = 0;
    let pending: Awaitable<number> | null = null;
    return pollFn(
      (cx: Context): Poll<void> => {
        while (offset < bytes.length) {
          pending ??= this.write(bytes.subarray(offset));
          const result = pending.poll(cx);
          if (!result.ready) return PENDING;
          offset += result.value;
          pending = null;
        }
        return Poll.ready(undefined);
      },
      () => `room to write to ${this.#peer} (its buffer is full)`,
      () => {
        pending?.[Symbol.dispose]?.();
      },
    );
  }

  /** Shuts down the writing half: the peer's reads finish with 0 once it has read what was sent. */
  shutdown(): Awaitable<void> {
    return pollFn(
      (): Poll<void> => {
        this.#outgoing.writerClosed = true;
        this.#outgoing.wakeReader();
        return Poll.ready(undefined);
      },
      () => 'a shutdown',
    );
  }

  /** Moved into a task (move.ts): the task's stream is this connection, and it closes when the task ends. */
  [TAKE](): { fresh: object; what: string } {
    this.#released = true;
    return { fresh: new TcpStream(this.#incoming, this.#outgoing, this.#local, this.#peer), what: 'TcpStream' };
  }

  /** Drop: closes both directions. */
  [Symbol.dispose](): void {
    if (this.#released) return;
    this.#released = true;
    this.#outgoing.writerClosed = true;
    this.#outgoing.wakeReader();
    this.#incoming.readerClosed = true;
    this.#incoming.chunks.length = 0;
    this.#incoming.size = 0;
    this.#incoming.wakeWriter();
  }
}

function normalize(addr: string): string {
  const { host, port } = parseAddr(addr);
  return `${host === 'localhost' ? '127.0.0.1' : host}:${port}`;
}

export class TcpListener {
  readonly #addr: string;
  readonly #net: Network;
  readonly #backlog: [TcpStream, string][] = [];
  #waker: Waker | null = null;
  #closed = false;
  #moved = false;

  private constructor(addr: string, net: Network) {
    this.#addr = addr;
    this.#net = net;
  }

  /** Listens on `addr` ("127.0.0.1:8080"; port 0 picks a free one). IoError 'AddrInUse' if taken. */
  static bind(addr: string): Awaitable<TcpListener> {
    const net = network('TcpListener.bind');
    let key = normalize(addr);
    let done = false;
    return pollFn(
      (): Poll<TcpListener> => {
        if (done) throw new Error('bind resumed after completion');
        done = true;
        if (key.endsWith(':0')) key = `${key.slice(0, -2)}:${net.nextPort++}`;
        if (net.listeners.has(key)) throw new IoError('AddrInUse', `address in use: ${key} is already bound`);
        const listener = new TcpListener(key, net);
        net.listeners.set(key, listener);
        return Poll.ready(listener);
      },
      () => `binding ${addr}`,
    );
  }

  localAddr(): string {
    return this.#addr;
  }

  /** @internal a client connected. */
  enqueue(stream: TcpStream, peer: string): void {
    this.#backlog.push([stream, peer]);
    const waker = this.#waker;
    this.#waker = null;
    waker?.wake();
  }

  /** Waits for a client; finishes with the server's end of the connection and the client's address. */
  accept(): Awaitable<[TcpStream, string]> {
    return pollFn(
      (cx: Context): Poll<[TcpStream, string]> => {
        if (this.#closed) throw new IoError('NotConnected', 'accept on a listener that was dropped');
        const next = this.#backlog.shift();
        if (next !== undefined) return Poll.ready(next);
        this.#waker = cx.waker();
        return PENDING;
      },
      () => `a connection on ${this.#addr}`,
      () => {
        this.#waker = null;
      },
    );
  }

  /** Moved into a task (move.ts): the task's listener takes the address and the connections waiting on it. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new TcpListener(this.#addr, this.#net);
    fresh.#backlog.push(...this.#backlog.splice(0));
    fresh.#waker = this.#waker;
    fresh.#closed = this.#closed;
    this.#waker = null;
    this.#moved = true;
    if (this.#net.listeners.get(this.#addr) === this) this.#net.listeners.set(this.#addr, fresh);
    return { fresh, what: 'TcpListener' };
  }

  /** Drop: stops listening; the address is free again. */
  [Symbol.dispose](): void {
    if (this.#moved) return;
    this.#closed = true;
    if (this.#net.listeners.get(this.#addr) === this) this.#net.listeners.delete(this.#addr);
  }
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(IoError);
