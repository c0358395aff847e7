/**
 * tokio::sync::mpsc: multi-producer, single-consumer channels for tasks.
 * https://docs.rs/tokio/latest/tokio/sync/mpsc/index.html
 *
 * A bounded channel's `send` waits (suspends the task) while the channel is
 * full: a fair Semaphore of `capacity` slots, as in Tokio. An unbounded
 * channel's `send` never waits. `recv` finishes with the next message, or
 * with `undefined` once every Sender is dropped and the queue is empty
 * (Rust's `None`): `while ((msg = await rx.recv()) !== undefined) { … }`.
 *
 * JavaScript has no destructors: a Sender is dropped by `drop(tx)`,
 * `tx.drop()` or `using tx = …`. A channel lives on one thread, shared by its
 * tasks (to reach another thread, use weft/sync's mpsc).
 */
import { PENDING, Poll, type Awaitable, type Context, type Waker } from '../future.ts';
import { SendError, TryRecvError, TrySendError } from '../../sync/errors.ts';
import { leaf } from './leaf.ts';
import { giveAway, TAKE } from '../move.ts';
import { Semaphore } from './semaphore.ts';
import { traceTaskMessage, tracing } from '../../runtime/trace.ts';
import { runningTaskAt } from '../runtime.ts';

/** Channel ids for the trace, per thread (a channel lives on one thread). */
let nextChannelId = 1;

/** Records a message queued or taken, with the task doing it, in a traced run. */
function traceMessage(kind: 'task-send' | 'task-recv', channel: number): void {
  if (!tracing()) return;
  const task = runningTaskAt();
  traceTaskMessage(kind, channel, task?.id ?? 0, task?.at ?? (() => undefined));
}

class Chan<T> {
  readonly queue: T[] = [];
  head = 0;
  senders = 1;
  receiverAlive = true;
  receiverWaker: Waker | null = null;
  readonly slots: Semaphore | null;
  /** This channel's id in the run's trace (task-send/task-recv). */
  readonly id = nextChannelId++;
  constructor(slots: Semaphore | null) {
    this.slots = slots;
  }
  get length(): number {
    return this.queue.length - this.head;
  }
  push(value: T): void {
    this.queue.push(value);
    traceMessage('task-send', this.id);
    const waker = this.receiverWaker;
    this.receiverWaker = null;
    waker?.wake();
  }
  shift(): T {
    traceMessage('task-recv', this.id);
    const value = this.queue[this.head]!;
    this.queue[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    return value;
  }
}

class SenderBase<T> {
  protected chan: Chan<T> | null;
  constructor(chan: Chan<T>) {
    this.chan = chan;
  }
  protected live(): Chan<T> {
    if (this.chan === null) throw new Error('this Sender was dropped: clone it before dropping it to keep sending');
    return this.chan;
  }
  /** True once the Receiver is gone: sends would fail. */
  isClosed(): boolean {
    return !this.live().receiverAlive;
  }
  /** Gives up this Sender; the last one to go closes the channel. */
  drop(): void {
    const chan = this.chan;
    if (chan === null) return;
    this.chan = null;
    if (--chan.senders === 0) {
      const waker = chan.receiverWaker;
      chan.receiverWaker = null;
      waker?.wake();
    }
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (this.chan !== null) this.drop();
  }
  /** Moved into a task (move.ts): a Sender of the same channel takes this one's place. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = (this as unknown as { clone(): SenderBase<T> }).clone();
    this.drop();
    return { fresh, what: this instanceof UnboundedSender ? 'UnboundedSender' : 'Sender' };
  }
}

/** The sending half of a bounded channel. */
export class Sender<T> extends SenderBase<T> {
  /** Another Sender for the same channel. */
  clone(): Sender<T> {
    const chan = this.live();
    chan.senders++;
    return new Sender(chan);
  }
  /** Sends `value`, waiting while the channel is full. Throws SendError (with the value) if the Receiver is gone. */
  send(value: T): Awaitable<void> {
    const chan = this.live();
    giveAway(value);
    const slot = chan.slots!.acquire();
    return leaf(
      (cx: Context): Poll<void> => {
        if (!chan.receiverAlive) throw new SendError(value);
        let got: Poll<unknown>;
        try {
          got = slot.poll(cx);
        } catch {
          throw new SendError(value); // the Receiver closed the channel while we waited
        }
        if (!got.ready) return PENDING;
        (got.value as { forget(): void }).forget(); // the slot is given back by recv
        chan.push(value);
        return Poll.ready(undefined);
      },
      () => `room in a full mpsc channel (capacity ${chan.slots!.availablePermits() + chan.length})`,
      () => slot[Symbol.dispose]?.(),
    );
  }
  /** Sends now, or throws TrySendError ('full', or 'disconnected' without a Receiver). */
  trySend(value: T): void {
    const chan = this.live();
    giveAway(value);
    if (!chan.receiverAlive) throw new TrySendError('disconnected', value);
    try {
      chan.slots!.tryAcquire().forget();
    } catch {
      throw new TrySendError('full', value);
    }
    chan.push(value);
  }
  /** Free slots now. */
  capacity(): number {
    return this.live().slots!.availablePermits();
  }
}

/** The sending half of an unbounded channel: `send` never waits. */
export class UnboundedSender<T> extends SenderBase<T> {
  clone(): UnboundedSender<T> {
    const chan = this.live();
    chan.senders++;
    return new UnboundedSender(chan);
  }
  /** Queues `value`; throws SendError (with the value) if the Receiver is gone. */
  send(value: T): void {
    const chan = this.live();
    giveAway(value);
    if (!chan.receiverAlive) throw new SendError(value);
    chan.push(value);
  }
}

/** The receiving half (of either kind of channel). */
export class Receiver<T> {
  readonly #chan: Chan<T>;
  #moved = false;
  constructor(chan: Chan<T>) {
    this.#chan = chan;
  }
  /** The next message, or undefined once every Sender is dropped and nothing is left. */
  recv(): Awaitable<T | undefined> {
    const chan = this.#chan;
    return leaf(
      (cx: Context): Poll<T | undefined> => {
        if (chan.length > 0) {
          const value = chan.shift();
          chan.slots?.addPermits(1);
          return Poll.ready(value);
        }
        if (chan.senders === 0 || !chan.receiverAlive) return Poll.ready(undefined);
        chan.receiverWaker = cx.waker();
        return PENDING;
      },
      () => `a message on an mpsc channel (${chan.senders} Sender${chan.senders === 1 ? '' : 's'} alive)`,
      () => {
        chan.receiverWaker = null;
      },
    );
  }
  /** A message now, or throws TryRecvError ('empty', or 'disconnected' when no Sender is left). */
  tryRecv(): T {
    const chan = this.#chan;
    if (chan.length > 0) {
      const value = chan.shift();
      chan.slots?.addPermits(1);
      return value;
    }
    throw new TryRecvError(chan.senders === 0 ? 'disconnected' : 'empty');
  }
  /** Messages waiting. */
  len(): number {
    return this.#chan.length;
  }
  /** Stops the channel: sends fail from now on; messages already queued can still be received. */
  close(): void {
    this.#chan.receiverAlive = false;
    this.#chan.slots?.close();
  }
  /** Drops the Receiver: the channel closes (as `close()`). */
  drop(): void {
    if (!this.#moved) this.close();
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (!this.#moved) this.close();
  }
  /** Moved into a task (move.ts). */
  [TAKE](): { fresh: object; what: string } {
    this.#moved = true;
    return { fresh: new Receiver(this.#chan), what: 'Receiver' };
  }
}

/** A channel holding at most `capacity` messages (tokio::sync::mpsc::channel). */
export function channel<T>(capacity: number): [Sender<T>, Receiver<T>] {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`mpsc.channel needs a capacity of at least 1, got ${capacity}`);
  const chan = new Chan<T>(new Semaphore(capacity));
  return [new Sender(chan), new Receiver(chan)];
}

/** A channel without a bound (tokio::sync::mpsc::unbounded_channel). */
export function unboundedChannel<T>(): [UnboundedSender<T>, Receiver<T>] {
  const chan = new Chan<T>(null);
  return [new UnboundedSender(chan), new Receiver(chan)];
}
