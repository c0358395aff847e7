/**
 * tokio::sync::mpsc: multi-producer, single-consumer channels for tasks.
 * https://docs.rs/tokio/latest/tokio/sync/mpsc/index.html
 *
 * A bounded channel's `send` waits (suspends the task) while the channel is
 * full: a fair Semaphore of `capacity` slots, as in Tokio. An unbounded
 * channel's `send` never waits. `recv` finishes with the next message, or
 * with `undefined` once every Sender is dropped and the queue is empty
 * (Rust's `None`): `while ((msg = await rx.recv()) !== undefined) { … }`.
 * So a message cannot be `undefined` (sending one throws, saying so): a
 * message that carries nothing, Rust's `()`, is `null`.
 *
 * JavaScript has no destructors: a Sender is dropped by `drop(tx)`,
 * `tx.drop()` or `using tx = …`. A channel lives on one thread, shared by its
 * tasks (to reach another thread, use weft/sync's mpsc).
 */
import { consume, proceed } from '../runtime/coop.ts';
import { dropFuture, PENDING, Poll, type Awaitable, type Context, type Future, type Waker } from '../future.ts';
import { SendError, TryRecvError, TrySendError } from '../../sync/errors.ts';
import { dropOwned } from '../../sync/drop.ts';
import { pollFn } from './poll-fn.ts';
import { blockingCall } from './blocking-call.ts';
import { giveAway, TAKE } from '../move.ts';
import { Semaphore, SemaphorePermit } from './semaphore.ts';
import { Elapsed, timeout } from '../time.ts';
import { traceTaskMessage, tracing } from '../../runtime/trace.ts';
import { runningTaskAt } from '../runtime.ts';
import { runLocal } from '../../runtime/run-local.ts';

/**
 * `sendTimeout` gave up: no room came in time ('timeout'), or the Receiver
 * is gone ('closed'); the value comes back (Tokio's `SendTimeoutError`).
 */
export class SendTimeoutError<T> extends Error {
  readonly kind: 'timeout' | 'closed';
  readonly value: T;
  constructor(kind: 'timeout' | 'closed', value: T) {
    super(kind === 'timeout' ? 'timed out waiting for room in the channel' : 'sending on a closed channel: the Receiver was dropped');
    this.name = 'SendTimeoutError';
    this.kind = kind;
    this.value = value;
  }
}

/** Channel ids for the trace, per thread (a channel lives on one thread). */
let nextChannelId = 1;
runLocal(() => (nextChannelId = 1));

/** Records a message queued or taken, with the task doing it, in a traced run. */
function traceMessage(kind: 'task-send' | 'task-recv', channel: number): void {
  if (!tracing()) return;
  const task = runningTaskAt();
  traceTaskMessage(kind, channel, task?.id ?? 0, task?.at ?? (() => undefined));
}

/**
 * `undefined` cannot be a message: `recv()` answers undefined when the
 * channel is closed (Rust's `None`), so a receiver could not tell the two
 * apart, and `while ((m = await rx.recv()) !== undefined)` would stop at
 * the first such message. Tokio's `()` messages are `null` here.
 */
function refuseUndefined(value: unknown): void {
  if (value === undefined) {
    throw new TypeError(
      'an mpsc message cannot be undefined: recv() gives undefined once the channel is closed (Rust\'s None), so the receiver could not tell them apart. ' +
        "Send null for a message that carries nothing (Rust's `()`), or a value",
    );
  }
}

class Chan<T> {
  readonly queue: T[] = [];
  head = 0;
  senders = 1;
  /** WeakSenders alive (they do not keep the channel open). */
  weakSenders = 0;
  receiverAlive = true;
  /** The Receiver was dropped (not only closed): what is queued or sent from now on is dropped, as nobody can read it. */
  receiverDropped = false;
  receiverWaker: Waker | null = null;
  /** Tasks in `Sender.closed()`, woken when the Receiver closes. */
  readonly closedWakers = new Set<Waker>();
  readonly slots: Semaphore | null;
  /** The bound of a bounded channel (null: unbounded). */
  readonly bound: number | null;
  /** This channel's id in the run's trace (task-send/task-recv). */
  readonly id = nextChannelId++;
  constructor(slots: Semaphore | null) {
    this.slots = slots;
    this.bound = slots === null ? null : slots.availablePermits();
  }
  /**
   * Closed by the Receiver and nothing more can come: no slot is reserved
   * by an unused Permit (Tokio's recv waits for those, since a reserved
   * slot may still be sent into after `close()`).
   */
  get drained(): boolean {
    return !this.receiverAlive && (this.slots === null || this.slots.availablePermits() + this.length >= this.bound!);
  }
  wakeReceiver(): void {
    const waker = this.receiverWaker;
    this.receiverWaker = null;
    waker?.wake();
  }
  /** The Receiver closed: wake every `Sender.closed()`. */
  wakeClosed(): void {
    const wakers = [...this.closedWakers];
    this.closedWakers.clear();
    for (const waker of wakers) waker.wake();
  }
  get length(): number {
    return this.queue.length - this.head;
  }
  push(value: T): void {
    if (this.receiverDropped) {
      // A reserved Permit's send after the Receiver was dropped: Tokio drops the message with the channel.
      dropOwned(value);
      return;
    }
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
  /** Set when reserveOwned took this Sender into an OwnedPermit. */
  protected movedIntoPermit = false;
  protected live(): Chan<T> {
    if (this.chan === null) {
      if (this.movedIntoPermit) throw new Error('use of moved value: this Sender went into an OwnedPermit (reserveOwned); the permit\'s send() or release() gives it back');
      throw new Error('this Sender was dropped: clone it before dropping it to keep sending');
    }
    return this.chan;
  }
  /** True once the Receiver is gone: sends would fail. */
  isClosed(): boolean {
    return !this.live().receiverAlive;
  }
  /** Whether `other` sends on the same channel (Tokio's `same_channel`). */
  sameChannel(other: SenderBase<T>): boolean {
    return other.chan !== null && this.live() === other.chan;
  }
  /** How many Senders of this channel are alive (Tokio's `strong_count`). */
  strongCount(): number {
    return this.live().senders;
  }
  /** How many WeakSenders of this channel are alive (Tokio's `weak_count`). */
  weakCount(): number {
    return this.live().weakSenders;
  }
  /**
   * A WeakSender for this channel (Tokio's `downgrade`): it does not keep the
   * channel open, and `upgrade()` gives a Sender back while some Sender lives.
   * This Sender stays as it was.
   */
  downgrade(): WeakSender<T, this> {
    const chan = this.live();
    chan.weakSenders++;
    return new WeakSender(chan, this instanceof UnboundedSender) as WeakSender<T, this>;
  }
  /**
   * Finishes once the Receiver is closed or dropped (Tokio's
   * `Sender::closed`): a producer can stop making values nobody will read.
   */
  closed(): Awaitable<void> {
    const chan = this.live();
    let waker: Waker | null = null;
    return pollFn(
      (cx: Context): Poll<void> => {
        if (!chan.receiverAlive) return Poll.ready(undefined);
        if (waker !== null) chan.closedWakers.delete(waker);
        waker = cx.waker();
        chan.closedWakers.add(waker);
        return PENDING;
      },
      () => 'the Receiver of an mpsc channel to close',
      () => {
        if (waker !== null) chan.closedWakers.delete(waker);
      },
    );
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

/**
 * A Sender that does not keep the channel open (Tokio's `WeakSender` and
 * `WeakUnboundedSender`): `upgrade()` gives a Sender while at least one
 * Sender is alive, else undefined (Rust's `None`).
 */
export class WeakSender<T, S = Sender<T>> {
  #chan: Chan<T> | null;
  readonly #unbounded: boolean;
  constructor(chan: Chan<T>, unbounded: boolean) {
    this.#chan = chan;
    this.#unbounded = unbounded;
  }
  #live(): Chan<T> {
    if (this.#chan === null) throw new Error('this WeakSender was dropped');
    return this.#chan;
  }
  upgrade(): S | undefined {
    const chan = this.#live();
    if (chan.senders === 0) return undefined;
    chan.senders++;
    return (this.#unbounded ? new UnboundedSender(chan) : new Sender(chan)) as S;
  }
  clone(): WeakSender<T, S> {
    const chan = this.#live();
    chan.weakSenders++;
    return new WeakSender<T, S>(chan, this.#unbounded);
  }
  strongCount(): number {
    return this.#live().senders;
  }
  weakCount(): number {
    return this.#live().weakSenders;
  }
  drop(): void {
    const chan = this.#chan;
    if (chan === null) return;
    this.#chan = null;
    chan.weakSenders--;
  }
  [Symbol.dispose](): void {
    this.drop();
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
  /**
   * `send` from code that is not async (Tokio's `blocking_send`): throws
   * inside async code, as Tokio panics, and throws rather than block for
   * ever when the channel is full (blocking-call.ts says why).
   */
  blockingSend(value: T): void {
    blockingCall(() => this.send(value), 'blockingSend', 'room in a full channel');
  }
  /** Sends `value`, waiting while the channel is full. Throws SendError (with the value) if the Receiver is gone. */
  send(value: T): Awaitable<void> {
    const chan = this.live();
    refuseUndefined(value);
    giveAway(value);
    const slot = chan.slots!.acquire();
    return pollFn(
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
    refuseUndefined(value);
    giveAway(value);
    if (!chan.receiverAlive) throw new TrySendError('disconnected', value);
    try {
      chan.slots!.tryAcquire().forget();
    } catch {
      throw new TrySendError('full', value);
    }
    chan.push(value);
  }
  /**
   * Waits for room, like `send`, but with no value yet: the Permit sends one
   * later without waiting (Tokio's `Sender::reserve`). Dropping the Permit
   * unused gives the slot back. Throws SendError if the Receiver is gone.
   */
  reserve(): Awaitable<Permit<T>> {
    const chan = this.live();
    const slot = chan.slots!.acquire();
    return pollFn(
      (cx: Context): Poll<Permit<T>> => {
        if (!chan.receiverAlive) throw new SendError(undefined);
        let got: Poll<SemaphorePermit>;
        try {
          got = slot.poll(cx);
        } catch {
          throw new SendError(undefined);
        }
        return got.ready ? Poll.ready(new Permit(chan, got.value)) : PENDING;
      },
      () => `room in a full mpsc channel (capacity ${chan.bound})`,
      () => slot[Symbol.dispose]?.(),
    );
  }
  /**
   * Waits for `n` slots at once and gives them as a PermitIterator of `n`
   * Permits (Tokio's `reserve_many`). Throws SendError if the Receiver is
   * gone or if `n` is more than the channel's bound (it could never fit).
   */
  reserveMany(n: number): Awaitable<PermitIterator<T>> {
    const chan = this.live();
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`reserveMany needs a whole number of slots, got ${n}`);
    if (n > chan.bound!) {
      return pollFn(
        () => {
          throw new SendError(undefined);
        },
        () => 'reserveMany',
      );
    }
    const slots = chan.slots!.acquire(n);
    return pollFn(
      (cx: Context): Poll<PermitIterator<T>> => {
        if (!chan.receiverAlive) throw new SendError(undefined);
        let got: Poll<SemaphorePermit>;
        try {
          got = slots.poll(cx);
        } catch {
          throw new SendError(undefined);
        }
        return got.ready ? Poll.ready(new PermitIterator(chan, got.value)) : PENDING;
      },
      () => `${n} free slots in an mpsc channel (capacity ${chan.bound})`,
      () => slots[Symbol.dispose]?.(),
    );
  }
  /** `n` Permits now, or throws TrySendError ('full', or 'disconnected') with no value (Tokio's `try_reserve_many`). */
  tryReserveMany(n: number): PermitIterator<T> {
    const chan = this.live();
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`tryReserveMany needs a whole number of slots, got ${n}`);
    if (!chan.receiverAlive) throw new TrySendError('disconnected', undefined);
    if (n > chan.bound!) throw new TrySendError('full', undefined);
    try {
      return new PermitIterator(chan, chan.slots!.tryAcquire(n));
    } catch {
      throw new TrySendError('full', undefined);
    }
  }
  /**
   * `reserve()` that takes this Sender into the permit (Tokio's
   * `reserve_owned`): the OwnedPermit's `send(value)` gives a Sender back,
   * and dropping it unused gives the slot back and drops the Sender. This
   * Sender is spent once the slot is granted.
   */
  reserveOwned(): Awaitable<OwnedPermit<T>> {
    const chan = this.live();
    const reserving = this.reserve() as unknown as Future<Permit<T>>;
    return pollFn(
      (cx: Context): Poll<OwnedPermit<T>> => {
        const got = reserving.poll(cx);
        if (!got.ready) return PENDING;
        this.chan = null; // the sender's count moves into the permit
        this.movedIntoPermit = true;
        return Poll.ready(new OwnedPermit(chan, got.value));
      },
      () => `room in a full mpsc channel (capacity ${chan.bound})`,
      () => dropFuture(reserving),
    );
  }
  /** `tryReserve()` that takes this Sender into the permit (Tokio's `try_reserve_owned`). */
  tryReserveOwned(): OwnedPermit<T> {
    const chan = this.live();
    const permit = this.tryReserve();
    this.chan = null;
    this.movedIntoPermit = true;
    return new OwnedPermit(chan, permit);
  }
  /** A Permit now, or throws TrySendError ('full', or 'disconnected') with no value (Tokio's `try_reserve`). */
  tryReserve(): Permit<T> {
    const chan = this.live();
    if (!chan.receiverAlive) throw new TrySendError('disconnected', undefined);
    try {
      return new Permit(chan, chan.slots!.tryAcquire());
    } catch {
      throw new TrySendError('full', undefined);
    }
  }
  /**
   * Sends `value`, waiting at most `ms` for room (Tokio's `send_timeout`).
   * Throws SendTimeoutError ('timeout' or 'closed') holding the value.
   */
  sendTimeout(value: T, ms: number): Awaitable<void> {
    const inner = timeout(ms, this.send(value)) as unknown as Future<void>;
    return pollFn(
      (cx: Context): Poll<void> => {
        try {
          return inner.poll(cx);
        } catch (error) {
          if (error instanceof Elapsed) throw new SendTimeoutError('timeout', value);
          if (error instanceof SendError) throw new SendTimeoutError('closed', value);
          throw error;
        }
      },
      () => `room in a full mpsc channel for at most ${ms} ms`,
      () => dropFuture(inner),
    );
  }
  /** Free slots now. */
  capacity(): number {
    return this.live().slots!.availablePermits();
  }
  /** The channel's bound, as made (Tokio's `max_capacity`); `capacity()` is what is free now. */
  maxCapacity(): number {
    return this.live().bound!;
  }
}

/**
 * One reserved slot in a bounded channel (Tokio's `mpsc::Permit`): `send`
 * uses it and cannot wait or fail; dropping it unused gives the slot back.
 */
export class Permit<T> {
  #chan: Chan<T> | null;
  #slot: SemaphorePermit | null;
  constructor(chan: Chan<T>, slot: SemaphorePermit) {
    this.#chan = chan;
    this.#slot = slot;
  }
  /**
   * Sends `value` into the reserved slot. Even after the Receiver's
   * `close()` the value is delivered, as in Tokio (a dropped Receiver never
   * reads it).
   */
  send(value: T): void {
    const chan = this.#chan;
    const slot = this.#slot;
    if (chan === null || slot === null) throw new Error('this Permit was already used or dropped: reserve another to send again');
    this.#chan = null;
    this.#slot = null;
    refuseUndefined(value);
    giveAway(value);
    slot.forget(); // the slot is given back by recv
    chan.push(value);
  }
  /** Gives the slot back unused. */
  drop(): void {
    const chan = this.#chan;
    const slot = this.#slot;
    this.#chan = null;
    this.#slot = null;
    slot?.release();
    // A closed channel's recv waits for unused permits; this may have been the last.
    if (chan !== null && !chan.receiverAlive) chan.wakeReceiver();
  }
  [Symbol.dispose](): void {
    this.drop();
  }
  /** Moved into a task (move.ts): the task holds the slot. */
  [TAKE](): { fresh: object; what: string } {
    if (this.#chan === null || this.#slot === null) throw new Error('this Permit was already used or dropped');
    const fresh = new Permit(this.#chan, this.#slot);
    this.#chan = null;
    this.#slot = null;
    return { fresh, what: 'Permit' };
  }
}

/**
 * A reserved slot that holds its Sender (Tokio's `OwnedPermit`): `send`
 * uses the slot and gives the Sender back; `release()` gives the slot back
 * unused and the Sender back; dropping it gives the slot back and drops the
 * Sender.
 */
export class OwnedPermit<T> {
  #chan: Chan<T> | null;
  #permit: Permit<T> | null;
  constructor(chan: Chan<T>, permit: Permit<T>) {
    this.#chan = chan;
    this.#permit = permit;
  }
  #take(): { chan: Chan<T>; permit: Permit<T> } {
    const chan = this.#chan;
    const permit = this.#permit;
    if (chan === null || permit === null) throw new Error('this OwnedPermit was already used, released or dropped');
    this.#chan = null;
    this.#permit = null;
    return { chan, permit };
  }
  /** Sends `value` into the reserved slot and returns the Sender. */
  send(value: T): Sender<T> {
    const { chan, permit } = this.#take();
    permit.send(value);
    return new Sender(chan);
  }
  /** Gives the slot back unused and returns the Sender (Tokio's `release`). */
  release(): Sender<T> {
    const { chan, permit } = this.#take();
    permit.drop();
    return new Sender(chan);
  }
  drop(): void {
    if (this.#chan === null) return;
    this.release().drop();
  }
  [Symbol.dispose](): void {
    this.drop();
  }
}

/**
 * Permits reserved together by `reserveMany` (Tokio's `PermitIterator`):
 * iterate it for the Permits, one slot each. When a `for…of` or an iterator
 * helper (`permits.take(k)`) is done with it, or it is dropped, the slots
 * not handed out go back to the channel, as when Rust drops the iterator.
 */
export class PermitIterator<T> implements Iterator<Permit<T>>, Iterable<Permit<T>> {
  #chan: Chan<T> | null;
  #slots: SemaphorePermit | null;
  #left: number;
  constructor(chan: Chan<T>, slots: SemaphorePermit) {
    this.#chan = chan;
    this.#slots = slots;
    this.#left = slots.numPermits();
  }
  /** Permits not handed out yet (Tokio's `len`). */
  len(): number {
    return this.#left;
  }
  next(): IteratorResult<Permit<T>, undefined> {
    const chan = this.#chan;
    const slots = this.#slots;
    if (chan === null || slots === null || this.#left === 0) return { done: true, value: undefined };
    this.#left--;
    // One slot of the reserved ones becomes a Permit of its own; the SemaphorePermit keeps the rest.
    const one = new SemaphorePermit(chan.slots!, 1);
    return { done: false, value: new Permit(chan, one) };
  }
  /** Called by for…of on break and by iterator helpers when done: the rest go back. */
  return(): IteratorResult<Permit<T>, undefined> {
    this.drop();
    return { done: true, value: undefined };
  }
  [Symbol.iterator](): this {
    return this;
  }
  /** Gives back the slots not handed out. */
  drop(): void {
    const chan = this.#chan;
    const slots = this.#slots;
    this.#chan = null;
    this.#slots = null;
    if (slots === null || chan === null) return;
    slots.forget();
    if (this.#left > 0) chan.slots!.addPermits(this.#left);
    this.#left = 0;
    if (!chan.receiverAlive) chan.wakeReceiver();
  }
  [Symbol.dispose](): void {
    this.drop();
  }
}

// Iterator helpers (take, map, …) on a PermitIterator, where the engine has them.
const IteratorPrototype = (globalThis as { Iterator?: { prototype: object } }).Iterator?.prototype;
if (IteratorPrototype !== undefined) Object.setPrototypeOf(PermitIterator.prototype, IteratorPrototype);

/** The sending half of an unbounded channel: `send` never waits. */
export class UnboundedSender<T> extends SenderBase<T> {
  clone(): UnboundedSender<T> {
    const chan = this.live();
    chan.senders++;
    return new UnboundedSender(chan);
  }
  /** Finishes once the Receiver is closed or dropped (Tokio's `UnboundedSender::closed`). */
  closed(): Awaitable<void> {
    return Sender.prototype.closed.call(this);
  }
  /** Queues `value`; throws SendError (with the value) if the Receiver is gone. */
  send(value: T): void {
    const chan = this.live();
    refuseUndefined(value);
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
  /**
   * `recv` from code that is not async (Tokio's `blocking_recv`): throws
   * inside async code, as Tokio panics, and throws rather than block for
   * ever when no message is queued and a Sender is alive (blocking-call.ts).
   */
  blockingRecv(): T | undefined {
    return blockingCall(() => this.recv(), 'blockingRecv', 'a message on an empty channel');
  }
  /** The next message, or undefined once every Sender is dropped and nothing is left. */
  recv(): Awaitable<T | undefined> {
    const chan = this.#chan;
    return pollFn(
      (cx: Context): Poll<T | undefined> => {
        // A message received spends the task's coop budget, as in Tokio (runtime/coop.ts).
        if (!proceed(cx)) return PENDING;
        if (chan.length > 0) {
          const value = chan.shift();
          chan.slots?.addPermits(1);
          consume();
          return Poll.ready(value);
        }
        if (chan.senders === 0 || chan.drained) {
          consume();
          return Poll.ready(undefined);
        }
        chan.receiverWaker = cx.waker();
        return PENDING;
      },
      () => `a message on an mpsc channel (${chan.senders} Sender${chan.senders === 1 ? '' : 's'} alive)`,
      () => {
        chan.receiverWaker = null;
      },
    );
  }
  /**
   * Waits for at least one message, then moves up to `limit` of those
   * waiting into `buffer` (appended) and returns how many (Tokio's
   * `recv_many`). Returns 0 once every Sender is gone and nothing is left,
   * or at once when `limit` is 0.
   */
  recvMany(buffer: T[], limit: number): Awaitable<number> {
    if (!Number.isInteger(limit) || limit < 0) throw new RangeError(`recvMany needs a whole number limit, got ${limit}`);
    const chan = this.#chan;
    return pollFn(
      (cx: Context): Poll<number> => {
        if (limit === 0) return Poll.ready(0);
        if (!proceed(cx)) return PENDING;
        if (chan.length > 0) {
          const n = Math.min(limit, chan.length);
          for (let i = 0; i < n; i++) buffer.push(chan.shift());
          chan.slots?.addPermits(n);
          consume();
          return Poll.ready(n);
        }
        if (chan.senders === 0 || chan.drained) {
          consume();
          return Poll.ready(0);
        }
        chan.receiverWaker = cx.waker();
        return PENDING;
      },
      () => `messages on an mpsc channel (${chan.senders} Sender${chan.senders === 1 ? '' : 's'} alive)`,
      () => {
        chan.receiverWaker = null;
      },
    );
  }
  /**
   * Polls for the next message by hand, for a future or stream written with
   * `poll` (Tokio's `Receiver::poll_recv`): ready with the message, or with
   * undefined once the channel is closed and empty; pending with `cx`'s
   * waker registered for the next message.
   */
  pollRecv(cx: Context): Poll<T | undefined> {
    return this.recv().poll(cx);
  }
  /** `recvMany` polled by hand (Tokio's `Receiver::poll_recv_many`): ready with how many messages it appended to `buffer`. */
  pollRecvMany(cx: Context, buffer: T[], limit: number): Poll<number> {
    return this.recvMany(buffer, limit).poll(cx);
  }
  /**
   * A message now, or throws TryRecvError: 'empty', or 'disconnected' once
   * nothing more can come (no Sender is left, or `close()` was called and no
   * reserved Permit is still unused), as Tokio's `try_recv`.
   */
  tryRecv(): T {
    const chan = this.#chan;
    if (chan.length > 0) {
      const value = chan.shift();
      chan.slots?.addPermits(1);
      return value;
    }
    throw new TryRecvError(chan.senders === 0 || chan.drained ? 'disconnected' : 'empty');
  }
  /** Messages waiting. */
  len(): number {
    return this.#chan.length;
  }
  /** True when no message is waiting (Tokio's `Receiver::is_empty`). */
  isEmpty(): boolean {
    return this.#chan.length === 0;
  }
  /**
   * True once the channel is closed: `close()` was called or every Sender is
   * gone (Tokio's `Receiver::is_closed`). Messages already queued can still be
   * received.
   */
  isClosed(): boolean {
    return !this.#chan.receiverAlive || this.#chan.senders === 0;
  }
  /** Free slots now, as the Senders' `capacity()` (Tokio's `Receiver::capacity`); unbounded channels have no bound. */
  capacity(): number {
    const slots = this.#chan.slots;
    if (slots === null) throw new TypeError('capacity(): an unbounded channel has no capacity (Tokio has it on bounded Receivers only)');
    return slots.availablePermits();
  }
  /** The channel's bound, as made (Tokio's `Receiver::max_capacity`). */
  maxCapacity(): number {
    const bound = this.#chan.bound;
    if (bound === null) throw new TypeError('maxCapacity(): an unbounded channel has no capacity (Tokio has it on bounded Receivers only)');
    return bound;
  }
  /** How many Senders are alive (Tokio's `Receiver::sender_strong_count`). */
  senderStrongCount(): number {
    return this.#chan.senders;
  }
  /** How many WeakSenders are alive (Tokio's `Receiver::sender_weak_count`). */
  senderWeakCount(): number {
    return this.#chan.weakSenders;
  }
  /** Stops the channel: sends fail from now on; messages already queued can still be received. */
  close(): void {
    this.#chan.receiverAlive = false;
    this.#chan.slots?.close();
    this.#chan.wakeClosed();
  }
  /**
   * Drops the Receiver: the channel closes (as `close()`), and the messages
   * still queued are dropped, as Tokio drops them with the Receiver (a
   * message holding a oneshot Sender closes that oneshot channel).
   */
  drop(): void {
    if (this.#moved) return;
    this.close();
    const chan = this.#chan;
    chan.receiverDropped = true;
    while (chan.length > 0) dropOwned(chan.shift());
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    this.drop();
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

/** Tokio's `mpsc::error` module: `mpsc.error.RecvError` and the others, as Tokio names them. */
export * as error from './error/mpsc.ts';
