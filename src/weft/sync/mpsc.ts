/**
 * mpsc — Rust's `std::sync::mpsc`: multi-producer, single-consumer channels.
 * https://doc.rust-lang.org/std/sync/mpsc/
 *
 * A channel is a queue in run memory (Int32 words at `addr`):
 *   0 lock (futex lock over the queue)   1 ring: the address of its slots (0 until the first send)
 *   2 ring head: the slot of the oldest message   3 length
 *   4 live senders   5 receiver alive   6 receive signal   7 send signal
 *   8 capacity (-1 unbounded, 0 rendezvous)   9 messages taken   10 messages sent
 *   11 receivers asleep (or about to sleep) on the receive signal
 *   12 ring size: how many slots the ring has
 * The messages are a ring of 16-byte slots, oldest first from the head:
 * [kind, ticket, payload (8 bytes)]. A number is kind NUMBER_SLOT with the
 * float64 in the payload: no encoding, no allocation. Anything else is
 * encoded (codec.ts) into a block of its own, the slot holding its byte
 * length as kind and the block's address. The ticket is the message's
 * number among the channel's sends, by which a rendezvous sender finds its
 * own message again. A full ring is copied into one twice its size. Each
 * handle reads the ring through fixed-length views of it (several times
 * cheaper per access than the run memory's growable view), made again when
 * the ring has moved. Messages travel through shared memory, never
 * postMessage: a blocked receiver cannot get messages.
 *
 * Receivers wait on the receive signal (bumped by every send and by the last
 * sender's drop); bounded senders wait on the send signal (bumped by every
 * receive and by the receiver's drop). When the last Sender is dropped — by
 * `drop(tx)`, or because the thread that owned it ended — the channel is
 * disconnected and `recv` on an empty queue throws RecvError.
 */
import { traceEvent } from '../runtime/trace.ts';
import { firstTimedReceiveRunsOut, now, readPoint, scheduled, yieldPoint } from '../runtime/scheduler.ts';
import { context, type Owned } from '../runtime/context.ts';
import { decodeValue, encodeDeferred } from '../runtime/codec.ts';
import { ENCODE, HandleKind, MovableHandle, registerDecoder } from '../runtime/handle.ts';
import { lockWordWatching, unlockWord } from '../runtime/futex-lock.ts';
import { dropTree, own } from '../runtime/ownership.ts';
import { blockWhileEqual, SPIN_MS, spinWhileEqual, wake } from '../runtime/wait.ts';
import { RecvError, RecvTimeoutError, SendError, TryRecvError, TrySendError } from './errors.ts';

const W = {
  lock: 0,
  ring: 1,
  ringHead: 2,
  length: 3,
  senders: 4,
  receiverAlive: 5,
  recvSignal: 6,
  sendSignal: 7,
  capacity: 8,
  taken: 9,
  sent: 10,
  receiverWaiting: 11,
  ringSize: 12,
} as const;
const WORDS = 13;
/** A slot: Int32 words [kind, ticket, payload, payload]; the payload is a float64 or a block's address. */
const SLOT_BYTES = 16;
/** The kind word of a number's slot (any other kind is an encoded message's byte length). */
const NUMBER_SLOT = -1;
/** Slots of a channel's first ring: its block (with the allocator's 8-byte header) fills the 256-byte size class. */
const FIRST_RING_SLOTS = 15;

/**
 * One thread's fixed-length views of a channel's ring, made again when the
 * ring has moved (it grew). `at` is the ring's address they were made for.
 */
class RingViews {
  at = 0;
  words: Int32Array<ArrayBufferLike> = new Int32Array(0);
  numbers: Float64Array<ArrayBufferLike> = new Float64Array(0);

  /** The views of the ring `rec` has now; call with the channel's lock held. */
  of(rec: Int32Array): this {
    const at = rec[W.ring]!;
    if (at !== this.at) {
      const size = rec[W.ringSize]!;
      const buffer = context().memory.buffer;
      this.words = new Int32Array(buffer, at, size * 4);
      this.numbers = new Float64Array(buffer, at, size * 2);
      this.at = at;
    }
    return this;
  }
}

/**
 * Room for one more message (call with the lock held): the first ring, or a
 * full one copied, oldest first, into one twice its size.
 */
function ensureRoom(rec: Int32Array): void {
  const size = rec[W.ringSize]!;
  const length = rec[W.length]!;
  if (length < size) return;
  const memory = context().memory;
  const newSize = size === 0 ? FIRST_RING_SLOTS : size * 2 + 1; // 2n+1 slots and the header fill the next size class
  const ring = memory.alloc(newSize * SLOT_BYTES);
  const old = rec[W.ring]!;
  if (old !== 0) {
    const head = rec[W.ringHead]!;
    const firstPart = Math.min(length, size - head);
    memory.u8.copyWithin(ring, old + head * SLOT_BYTES, old + (head + firstPart) * SLOT_BYTES);
    memory.u8.copyWithin(ring + firstPart * SLOT_BYTES, old, old + (length - firstPart) * SLOT_BYTES);
    memory.free(old);
  }
  rec[W.ring] = ring;
  rec[W.ringSize] = newSize;
  rec[W.ringHead] = 0;
}

/** Loads a thread makes watching a held queue lock before it sleeps on it (the queue is held for a few instructions). */
const LOCK_WATCHES = 1000;

function lockChannel(rec: Int32Array): void {
  lockWordWatching(rec, W.lock, LOCK_WATCHES);
}

/** A fixed-length view of one channel's record. */
function recordView(addr: number): Int32Array {
  return new Int32Array(context().memory.buffer, addr, WORDS);
}

function i32(): Int32Array {
  return context().memory.i32;
}

function signal(index: number): void {
  const words = i32();
  Atomics.add(words, index, 1);
  wake(words, index);
}

function createChannel(capacity: number): number {
  const { memory } = context();
  const addr = memory.allocRecord(WORDS);
  const base = addr >> 2;
  memory.i32[base + W.senders] = 1;
  memory.i32[base + W.receiverAlive] = 1;
  memory.i32[base + W.capacity] = capacity;
  return addr;
}

/** The sending half of a channel. Clone it to have several producers. */
export class Sender<T> extends MovableHandle implements Owned, Disposable {
  protected readonly what: string = 'Sender';
  readonly #addr: number;
  #dropped = false;
  /** The channel record through a fixed-length view (~5x cheaper per access than the run memory's growable view). */
  #rec: Int32Array | undefined;
  #ring = new RingViews();

  constructor(addr: number, owned: boolean) {
    super();
    this.#addr = addr;
    if (owned) own(this);
  }

  [ENCODE]() {
    this.#assertLive();
    return { kind: this.kind, addr: this.#addr };
  }

  protected get kind(): HandleKind {
    return HandleKind.Sender;
  }

  #assertLive(): void {
    this.assertUsable();
    if (this.#dropped) throw new Error(`use of dropped value: this ${this.what} was dropped`);
  }

  /**
   * Sends a value. Unbounded channels never block; a bounded one blocks while
   * full, and a rendezvous channel (capacity 0) until the receiver takes it.
   * Throws SendError, holding the value, when the Receiver is gone.
   */
  send(value: T): void {
    this.#assertLive();
    this.#send(value, Infinity, 'send');
  }

  /** Sends without blocking; throws TrySendError ('full' or 'disconnected'). */
  trySend(value: T): void {
    this.#assertLive();
    this.#send(value, 0, 'trySend');
  }

  #send(value: T, timeoutMs: number, api: 'send' | 'trySend'): void {
    yieldPoint();
    const { memory } = context();
    const rec = (this.#rec ??= recordView(this.#addr));
    const isNumber = typeof value === 'number';
    const message = isNumber ? undefined : encodeDeferred(value);
    // An encoded message's block, filled before the lock is taken.
    let node = 0;
    if (message !== undefined) {
      node = memory.alloc(Math.max(8, message.bytes.length));
      memory.u8.set(message.bytes, node);
    }

    const capacity = rec[W.capacity]!;
    lockChannel(rec);
    // A rendezvous trySend succeeds only when the receiver is already waiting to take the message (Rust: Full otherwise).
    if (capacity === 0 && timeoutMs === 0 && rec[W.receiverAlive] === 1 && (Atomics.load(rec, W.receiverWaiting) === 0 || rec[W.length]! > 0)) {
      unlockWord(rec, W.lock);
      if (node !== 0) memory.free(node);
      throw new TrySendError('full', value);
    }
    // A bounded channel: wait for room (capacity 0 waits after enqueuing instead).
    while (capacity > 0 && rec[W.length]! >= capacity && rec[W.receiverAlive] === 1) {
      const seen = Atomics.load(rec, W.sendSignal);
      unlockWord(rec, W.lock);
      if (timeoutMs === 0) {
        if (node !== 0) memory.free(node);
        throw new TrySendError('full', value);
      }
      blockWhileEqual(rec, W.sendSignal, seen, Infinity, { kind: 'channel-send', object: this.#addr });
      lockChannel(rec);
    }
    if (rec[W.receiverAlive] !== 1) {
      unlockWord(rec, W.lock);
      if (node !== 0) memory.free(node);
      if (api === 'trySend') throw new TrySendError('disconnected', value);
      throw new SendError(value);
    }
    ensureRoom(rec);
    const ring = this.#ring.of(rec);
    const size = rec[W.ringSize]!;
    let slot = rec[W.ringHead]! + rec[W.length]!;
    if (slot >= size) slot -= size;
    const ticket = ++rec[W.sent]!;
    const at = slot << 2;
    ring.words[at + 1] = ticket;
    if (isNumber) {
      ring.words[at] = NUMBER_SLOT;
      ring.numbers[(slot << 1) + 1] = value;
    } else {
      ring.words[at] = message!.bytes.length;
      ring.words[at + 2] = node;
    }
    rec[W.length]!++;
    unlockWord(rec, W.lock);
    // A rendezvous message's handles change owner only once it is received (its send may still fail and give them back).
    if (capacity !== 0) message?.move({ into: 'the channel' });
    traceEvent('send', this.#addr);
    // Bump the signal always, wake only a receiver that may sleep: Atomics.notify
    // costs far more than the send itself. The receiver counts itself in before
    // it sleeps on the signal, so it either sees this bump or is seen here.
    Atomics.add(rec, W.recvSignal, 1);
    if (Atomics.load(rec, W.receiverWaiting) !== 0) wake(rec, W.recvSignal);

    if (capacity === 0) {
      // Rendezvous: the send completes when the receiver has taken this message,
      // and fails, giving the value back, when the receiver is dropped first.
      for (;;) {
        const seen = Atomics.load(rec, W.sendSignal);
        if (Atomics.load(rec, W.taken) >= ticket) break;
        if (Atomics.load(rec, W.receiverAlive) !== 1 && this.#reclaim(rec, ticket)) {
          if (api === 'trySend') throw new TrySendError('disconnected', value);
          throw new SendError(value);
        }
        blockWhileEqual(rec, W.sendSignal, seen, Infinity, { kind: 'channel-send', object: this.#addr });
      }
      message?.move({ into: 'the channel' });
    }
  }

  /**
   * A rendezvous send whose receiver is gone: takes its message (the one with
   * `ticket`) back out of the queue (the receiver's drop leaves a rendezvous
   * queue to its senders), unless it was received just before. True when it
   * was taken back.
   */
  #reclaim(rec: Int32Array, ticket: number): boolean {
    const { memory } = context();
    lockChannel(rec);
    try {
      if (rec[W.taken]! >= ticket) return false;
      const ring = this.#ring.of(rec);
      const size = rec[W.ringSize]!;
      const head = rec[W.ringHead]!;
      const length = rec[W.length]!;
      const slotAt = (i: number) => (head + i) % size;
      for (let i = 0; i < length; i++) {
        const at = slotAt(i) << 2;
        if (ring.words[at + 1] !== ticket) continue;
        // Freed without decoding: the handles inside never left the sender.
        if (ring.words[at] !== NUMBER_SLOT) memory.free(ring.words[at + 2]!);
        // The later messages move up one slot, keeping their order.
        for (let j = i; j + 1 < length; j++) ring.words.copyWithin(slotAt(j) << 2, slotAt(j + 1) << 2, (slotAt(j + 1) << 2) + 4);
        rec[W.length] = length - 1;
        break;
      }
      return true;
    } finally {
      unlockWord(rec, W.lock);
    }
  }

  /** Another Sender for the same channel (Rust: `tx.clone()`). */
  clone(): Sender<T> {
    this.#assertLive();
    Atomics.add(i32(), (this.#addr >> 2) + W.senders, 1);
    return new (this.constructor as new (addr: number, owned: boolean) => Sender<T>)(this.#addr, true);
  }

  /** Drops this Sender; when the last one goes, the receiver sees the channel close. */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#dropped = true;
    context().owned.delete(this);
    const base = this.#addr >> 2;
    if (Atomics.sub(i32(), base + W.senders, 1) === 1) signal(base + W.recvSignal);
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  dropOnExit(): void {
    this.drop();
  }

  toString(): string {
    return `${this.what} { .. }`;
  }
}

/** The sending half of a bounded channel (Rust's `SyncSender`). */
export class SyncSender<T> extends Sender<T> {
  protected override readonly what: string = 'SyncSender';
  protected override get kind(): HandleKind {
    return HandleKind.SyncSender;
  }
}

/** The receiving half of a channel. Iterate it to receive until every Sender is gone. */
export class Receiver<T> extends MovableHandle implements Owned, Disposable, Iterable<T> {
  protected readonly what = 'Receiver';
  readonly #addr: number;
  #dropped = false;
  #rec: Int32Array | undefined;
  #ring = new RingViews();

  constructor(addr: number, owned: boolean) {
    super();
    this.#addr = addr;
    if (owned) own(this);
  }

  [ENCODE]() {
    this.#assertLive();
    return { kind: HandleKind.Receiver, addr: this.#addr };
  }

  #assertLive(): void {
    this.assertUsable();
    if (this.#dropped) throw new Error('use of dropped value: this Receiver was dropped');
  }

  /** Takes the next message if there is one; 'empty' or 'disconnected' otherwise. */
  #take(): { value: T } | 'empty' | 'disconnected' {
    const { memory } = context();
    const base = this.#addr >> 2;
    const rec = (this.#rec ??= recordView(this.#addr));
    lockChannel(rec);
    if (rec[W.length] === 0) {
      const disconnected = Atomics.load(rec, W.senders) === 0;
      unlockWord(rec, W.lock);
      return disconnected ? 'disconnected' : 'empty';
    }
    const ring = this.#ring.of(rec);
    const slot = rec[W.ringHead]!;
    const at = slot << 2;
    const kind = ring.words[at]!;
    const number = kind === NUMBER_SLOT ? ring.numbers[(slot << 1) + 1]! : 0;
    const node = kind === NUMBER_SLOT ? 0 : ring.words[at + 2]!;
    rec[W.ringHead] = slot + 1 === rec[W.ringSize] ? 0 : slot + 1;
    rec[W.length]!--;
    Atomics.add(rec, W.taken, 1);
    const capacity = rec[W.capacity]!;
    unlockWord(rec, W.lock);
    // Only senders of a bounded channel wait for room (or for a rendezvous).
    if (capacity >= 0) signal(base + W.sendSignal);
    if (kind === NUMBER_SLOT) return { value: number as T };
    const bytes = memory.read(node, kind);
    memory.free(node);
    return { value: decodeValue(bytes, { owned: true }) as T };
  }

  #receive(timeoutMs: number): { value: T } | 'timeout' | 'disconnected' {
    const words = i32();
    const base = this.#addr >> 2;
    const rec = (this.#rec ??= recordView(this.#addr));
    yieldPoint();
    const deadline = timeoutMs === Infinity ? Infinity : now(context().memory) + timeoutMs;
    for (;;) {
      const seen = Atomics.load(rec, W.recvSignal);
      const taken = this.#take();
      if (taken !== 'empty') {
        if (taken !== 'disconnected') traceEvent('recv', this.#addr);
        return taken;
      }
      const remaining = deadline - now(context().memory);
      if (remaining <= 0) return 'timeout';
      // Under a seed, the first timed receive that has to wait runs out its time (runtime/scheduler.ts, "Fault injection").
      if (deadline !== Infinity && firstTimedReceiveRunsOut(deadline)) return 'timeout';
      // Watch for the next send before counting in as a sleeper: while nobody counts in, a sender bumps the
      // signal and pays no Atomics.notify (a receiver that counted in during its watch made every send pay it).
      // Under a seed the sender cannot run while this thread holds the turn: no watch then.
      const memory = context().memory;
      if (!scheduled(memory) && spinWhileEqual(rec, W.recvSignal, seen, Math.min(SPIN_MS, remaining))) continue;
      Atomics.add(rec, W.receiverWaiting, 1);
      try {
        blockWhileEqual(rec, W.recvSignal, seen, remaining, { kind: 'channel-recv', object: this.#addr }, false);
      } finally {
        Atomics.sub(rec, W.receiverWaiting, 1);
      }
    }
  }

  /** Blocks until a message arrives; throws RecvError once every Sender is gone and the queue is empty. */
  recv(): T {
    this.#assertLive();
    const result = this.#receive(Infinity);
    if (typeof result === 'object') return result.value;
    throw new RecvError();
  }

  /** Returns a message if one is waiting; throws TryRecvError ('empty' or 'disconnected') otherwise. */
  tryRecv(): T {
    this.#assertLive();
    readPoint(true);
    const result = this.#take();
    if (typeof result === 'object') {
      traceEvent('recv', this.#addr);
      return result.value;
    }
    throw new TryRecvError(result);
  }

  /** Like recv, giving up after `ms` milliseconds with RecvTimeoutError('timeout'). */
  recvTimeout(ms: number): T {
    this.#assertLive();
    const result = this.#receive(Math.max(0, ms));
    if (typeof result === 'object') return result.value;
    throw new RecvTimeoutError(result);
  }

  /** Receives until the channel is disconnected (Rust: `for x in rx`). */
  *[Symbol.iterator](): Generator<T, undefined, undefined> {
    for (;;) {
      this.#assertLive();
      const result = this.#receive(Infinity);
      if (typeof result !== 'object') return;
      yield result.value;
    }
  }

  /** Receives until the channel is disconnected (Rust: `rx.iter()`); `for (const x of rx)` does the same. */
  iter(): Generator<T, undefined, undefined> {
    return this[Symbol.iterator]() as Generator<T, undefined, undefined>;
  }

  /** Yields the messages waiting now, without blocking (Rust: `rx.try_iter()`). */
  *tryIter(): Generator<T> {
    for (;;) {
      this.#assertLive();
      const result = this.#take();
      if (typeof result !== 'object') return;
      yield result.value;
    }
  }

  /** Drops the Receiver: senders' `send` fails from now on; queued messages are dropped. */
  drop(): void {
    if (this.#dropped || this.isMoved) return;
    this.#dropped = true;
    context().owned.delete(this);
    const words = i32();
    const base = this.#addr >> 2;
    const rec = (this.#rec ??= recordView(this.#addr));
    Atomics.store(rec, W.receiverAlive, 0);
    // A rendezvous queue holds only messages whose senders still wait: each takes its own back and fails with SendError.
    if (rec[W.capacity] !== 0) {
      for (let result = this.#take(); typeof result === 'object'; result = this.#take()) dropTree(result.value);
    }
    signal(base + W.sendSignal);
  }

  [Symbol.dispose](): void {
    this.drop();
  }

  dropOnExit(): void {
    this.drop();
  }

  toString(): string {
    return 'Receiver { .. }';
  }
}

registerDecoder(HandleKind.Sender, (addr, owned) => new Sender(addr, owned));
registerDecoder(HandleKind.SyncSender, (addr, owned) => new SyncSender(addr, owned));
registerDecoder(HandleKind.Receiver, (addr, owned) => new Receiver(addr, owned));

/** An unbounded channel: `const [tx, rx] = mpsc.channel<T>()` (Rust: `let (tx, rx) = mpsc::channel();`). */
export function channel<T>(): [Sender<T>, Receiver<T>] {
  const addr = createChannel(-1);
  return [new Sender<T>(addr, true), new Receiver<T>(addr, true)];
}

/**
 * A bounded channel holding at most `bound` messages; `send` blocks while it
 * is full. `syncChannel(0)` is a rendezvous: each send waits for its receive.
 */
export function syncChannel<T>(bound: number): [SyncSender<T>, Receiver<T>] {
  if (!Number.isInteger(bound) || bound < 0) throw new RangeError(`syncChannel needs a bound of 0 or more, got ${bound}`);
  const addr = createChannel(bound);
  return [new SyncSender<T>(addr, true), new Receiver<T>(addr, true)];
}
