/**
 * tokio::sync::broadcast: every receiver gets every message.
 * https://docs.rs/tokio/latest/tokio/sync/broadcast/index.html
 *
 * The channel keeps the last `capacity` messages in a ring (`capacity`
 * rounded up to a power of two, as Tokio rounds it). Each Receiver
 * has its own position; one that falls more than `capacity` behind has lost
 * the oldest messages, and its next `recv` throws Lagged saying how many it
 * missed, then carries on from the oldest message still kept (Tokio's
 * `RecvError::Lagged(n)`). Once every Sender is dropped and a Receiver has
 * read everything, `recv` throws RecvError (Tokio's `RecvError::Closed`).
 *
 * As in Tokio (`T: Clone`), each `recv` gives a clone of the message
 * (sync/plain-data.ts rustClone), so changing what one Receiver got changes
 * nothing for the others, and a `clone()` that panics makes that `recv`
 * panic, past the message (tokio tests/sync_broadcast.rs panic_in_clone).
 * Each message counts the Receivers yet to read it (Tokio's slot `rem`):
 * once the last one has, the weft handles the message itself holds (an
 * Arc, a Sender) are dropped, as Tokio drops the slot's value then, or when
 * a newer message overwrites it. A number, string or other primitive is
 * handed over as it is.
 */
import { PENDING, Poll, type Awaitable, type Context, type Waker } from '../future.ts';
import { RecvError, SendError, TryRecvError } from '../../sync/errors.ts';
import { pollFn, whenTrue } from './poll-fn.ts';
import { giveAway, TAKE } from '../move.ts';
import { markErrValue } from '../../runtime/unwind.ts';
import { WeakSenderBase } from './weak-sender.ts';
import { isPlainContainer, rustClone } from '../../sync/plain-data.ts';
import { isEncodable } from '../../runtime/handle.ts';

/** A Receiver fell behind and `missed` messages were overwritten before it read them. */
export class Lagged extends Error {
  readonly missed: number;
  constructor(missed: number) {
    super(`this receiver lagged behind and missed ${missed} message${missed === 1 ? '' : 's'}`);
    this.name = 'Lagged';
    this.missed = missed;
  }
}

class Shared<T> {
  readonly ring: T[] = [];
  /** For each message in `ring`: how many Receivers have yet to read it (Tokio's `Slot::rem`). */
  readonly remaining: number[] = [];
  /** Sequence number of ring[0]. */
  first = 0;
  senders = 1;
  /** WeakSenders alive: they keep nothing open, and upgrade only while a Sender is alive. */
  weakSenders = 0;
  /** Each live Receiver's position (the sequence number of the next message it reads). */
  readonly cursors = new Set<{ next: number }>();
  get receivers(): number {
    return this.cursors.size;
  }
  waiters = new Set<Waker>();
  /** Tasks in `Sender.closed()`, woken when the last Receiver goes. */
  closedWaiters = new Set<Waker>();
  readonly capacity: number;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  get end(): number {
    return this.first + this.ring.length;
  }
}

export class Sender<T> {
  #shared: Shared<T> | null;
  constructor(shared: Shared<T>) {
    this.#shared = shared;
  }
  #live(): Shared<T> {
    if (this.#shared === null) throw new Error('this broadcast Sender was dropped');
    return this.#shared;
  }
  /** Sends to every Receiver; returns how many there are. Throws SendError if there is none. */
  send(value: T): number {
    const shared = this.#live();
    giveAway(value);
    if (shared.receivers === 0) throw new SendError(value);
    shared.ring.push(value);
    shared.remaining.push(shared.receivers);
    if (shared.ring.length > shared.capacity) {
      const overwritten = shared.ring.shift();
      // Not read by every Receiver: Tokio drops it as the new message takes its slot.
      if (shared.remaining.shift()! > 0) dropHandlesIn(overwritten);
      shared.first++;
    }
    const waiters = [...shared.waiters];
    shared.waiters.clear();
    for (const waker of waiters) waker.wake();
    return shared.receivers;
  }
  /** A new Receiver that gets the messages sent from now on. */
  subscribe(): Receiver<T> {
    const shared = this.#live();
    return new Receiver(shared, shared.end);
  }
  receiverCount(): number {
    return this.#live().receivers;
  }
  /** True while no Receiver is alive: `send` would fail (Tokio's `Sender::is_closed`). */
  isClosed(): boolean {
    return this.#live().receivers === 0;
  }
  /** Finishes once every Receiver is dropped (Tokio's `Sender::closed`). */
  closed(): Awaitable<void> {
    const shared = this.#live();
    return whenTrue(() => shared.receivers === 0, shared.closedWaiters, () => 'every Receiver of a broadcast channel to be dropped');
  }
  /**
   * Messages still queued: sent, not yet read by every Receiver, and not yet
   * pushed out of the ring (Tokio's `Sender::len`).
   */
  len(): number {
    const shared = this.#live();
    let oldest = shared.end;
    for (const cursor of shared.cursors) oldest = Math.min(oldest, cursor.next);
    return shared.end - Math.max(oldest, shared.first);
  }
  isEmpty(): boolean {
    return this.len() === 0;
  }
  /** Whether `other` is a Sender or Receiver of the same channel (Tokio's `same_channel`). */
  sameChannel(other: Sender<T> | Receiver<T>): boolean {
    return other.sharedWith(this.#live());
  }
  /** @internal */
  sharedWith(shared: object): boolean {
    return this.#shared === shared;
  }
  clone(): Sender<T> {
    const shared = this.#live();
    shared.senders++;
    return new Sender(shared);
  }
  /** How many Senders are alive, this one included (Tokio's `Sender::strong_count`). */
  strongCount(): number {
    return this.#live().senders;
  }
  /** How many WeakSenders are alive (Tokio's `Sender::weak_count`). */
  weakCount(): number {
    return this.#live().weakSenders;
  }
  /**
   * A WeakSender for this channel (Tokio's `Sender::downgrade`): it does not
   * keep the channel open, and `upgrade()` gives a Sender back while some
   * Sender is still alive.
   */
  downgrade(): WeakSender<T> {
    const shared = this.#live();
    shared.weakSenders++;
    return new WeakSender(shared);
  }
  drop(): void {
    const shared = this.#shared;
    if (shared === null) return;
    this.#shared = null;
    if (--shared.senders === 0) {
      for (const waker of shared.waiters) waker.wake();
      shared.waiters.clear();
    }
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (this.#shared !== null) this.drop();
  }
  /** Moved into a task (move.ts). */
  [TAKE](): { fresh: object; what: string } {
    const fresh = this.clone();
    this.drop();
    return { fresh, what: 'Sender' };
  }
}

/**
 * A Sender that does not count (tokio::sync::broadcast::WeakSender): the
 * channel closes when the last Sender goes, WeakSenders or not. `upgrade()`
 * gives a Sender while one is alive, else undefined.
 */
export class WeakSender<T> extends WeakSenderBase<Shared<T>, Sender<T>> {
  constructor(shared: Shared<T>) {
    super(shared, 'broadcast');
  }
  protected strong(shared: Shared<T>): Sender<T> {
    return new Sender(shared);
  }
  protected weak(shared: Shared<T>): this {
    return new WeakSender(shared) as this;
  }
  /** How many Senders are alive (Tokio's `WeakSender::strong_count`). */
  strongCount(): number {
    return this.live().senders;
  }
  /** How many WeakSenders are alive, this one included (Tokio's `WeakSender::weak_count`). */
  weakCount(): number {
    return this.live().weakSenders;
  }
}

export class Receiver<T> {
  #shared: Shared<T> | null;
  readonly #cursor: { next: number };
  constructor(shared: Shared<T>, next: number) {
    this.#shared = shared;
    this.#cursor = { next };
    shared.cursors.add(this.#cursor);
    // A Receiver made at an earlier place (a clone) has yet to read the messages from there on.
    for (let seq = Math.max(next, shared.first); seq < shared.end; seq++) shared.remaining[seq - shared.first]!++;
  }
  #live(): Shared<T> {
    if (this.#shared === null) throw new Error('this broadcast Receiver was dropped');
    return this.#shared;
  }
  /** The next message: throws Lagged if messages were lost, RecvError once closed and read to the end. */
  recv(): Awaitable<T> {
    const shared = this.#live();
    let waker: Waker | null = null;
    return pollFn(
      (cx: Context): Poll<T> => {
        const got = this.#take(shared);
        if (got !== NOTHING) return Poll.ready(got as T);
        if (shared.senders === 0) throw new RecvError();
        // Polled again, maybe by another task: only the latest waker is woken, as Tokio's Recv keeps one (sync_broadcast.rs change_tasks).
        if (waker !== null) shared.waiters.delete(waker);
        waker = cx.waker();
        shared.waiters.add(waker);
        return PENDING;
      },
      () => 'a message on a broadcast channel',
      () => {
        if (waker !== null) shared.waiters.delete(waker);
      },
    );
  }
  /** A message now, or throws Lagged / TryRecvError. */
  tryRecv(): T {
    const shared = this.#live();
    const got = this.#take(shared);
    if (got !== NOTHING) return got as T;
    throw new TryRecvError(shared.senders === 0 ? 'disconnected' : 'empty');
  }
  #take(shared: Shared<T>): T | typeof NOTHING {
    if (this.#cursor.next < shared.first) {
      const missed = shared.first - this.#cursor.next;
      this.#cursor.next = shared.first;
      throw new Lagged(missed);
    }
    if (this.#cursor.next < shared.end) {
      const index = this.#cursor.next++ - shared.first;
      const message = shared.ring[index]!;
      if (typeof message !== 'object' || message === null) return message;
      const last = --shared.remaining[index]! === 0;
      try {
        return rustClone(message, 'a broadcast channel');
      } finally {
        // Every Receiver has read it: the slot lets go of what it holds.
        if (last) dropHandlesIn(message);
      }
    }
    return NOTHING;
  }
  /**
   * Messages sent that this Receiver has not read yet, counting those it
   * has already lost by lagging (Tokio's `len`): more than the capacity
   * means the next `recv` throws Lagged.
   */
  len(): number {
    const shared = this.#live();
    return shared.end - this.#cursor.next;
  }
  /** True once every Sender is gone (Tokio's `Receiver::is_closed`); messages left can still be read. */
  isClosed(): boolean {
    return this.#live().senders === 0;
  }
  /** True when this Receiver has read every message sent (Tokio's `Receiver::is_empty`). */
  isEmpty(): boolean {
    return this.len() === 0;
  }
  /** Whether `other` is a Sender or Receiver of the same channel (Tokio's `same_channel`). */
  sameChannel(other: Sender<T> | Receiver<T>): boolean {
    return other.sharedWith(this.#live());
  }
  /** @internal */
  sharedWith(shared: object): boolean {
    return this.#shared === shared;
  }
  /** Another Receiver at the same place in the stream: it gets every message this one has yet to read (Tokio's `Receiver::clone`). */
  clone(): Receiver<T> {
    return new Receiver(this.#live(), this.#cursor.next);
  }
  /** How many Senders are alive (Tokio's `Receiver::sender_strong_count`). */
  senderStrongCount(): number {
    return this.#live().senders;
  }
  /** How many WeakSenders are alive (Tokio's `Receiver::sender_weak_count`). */
  senderWeakCount(): number {
    return this.#live().weakSenders;
  }
  /** A new Receiver starting from now (Tokio's `resubscribe`). */
  resubscribe(): Receiver<T> {
    const shared = this.#live();
    return new Receiver(shared, shared.end);
  }
  drop(): void {
    const shared = this.#shared;
    if (shared === null) return;
    shared.cursors.delete(this.#cursor);
    this.#shared = null;
    // What it had yet to read no longer waits for it (Tokio's Receiver drop reads its messages through).
    for (let seq = Math.max(this.#cursor.next, shared.first); seq < shared.end; seq++) {
      if (--shared.remaining[seq - shared.first]! === 0) dropHandlesIn(shared.ring[seq - shared.first]);
    }
    if (shared.receivers === 0) {
      const waiters = [...shared.closedWaiters];
      shared.closedWaiters.clear();
      for (const waker of waiters) waker.wake();
    }
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (this.#shared !== null) this.drop();
  }
  /** Moved into a task (move.ts): a Receiver at the same place in the stream takes this one's place. */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new Receiver(this.#live(), this.#cursor.next);
    this.drop();
    return { fresh, what: 'Receiver' };
  }
}

const NOTHING = Symbol('nothing');

/** Drops the weft handles (an Arc, a Sender, a task channel's end) in a message no Receiver will read again. */
function dropHandlesIn(value: unknown, depth = 0): void {
  if (typeof value !== 'object' || value === null || depth > 64) return;
  if (isEncodable(value) || TAKE in value) {
    (value as { drop?: () => void }).drop?.();
    return;
  }
  if (Array.isArray(value) || value instanceof Set) for (const item of value) dropHandlesIn(item, depth + 1);
  else if (value instanceof Map) for (const [k, v] of value) (dropHandlesIn(k, depth + 1), dropHandlesIn(v, depth + 1));
  else if (isPlainContainer(value)) for (const item of Object.values(value)) dropHandlesIn(item, depth + 1);
}

/** A broadcast channel keeping the last `capacity` messages (tokio::sync::broadcast::channel). */
export function channel<T>(capacity: number): [Sender<T>, Receiver<T>] {
  if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`broadcast.channel needs a capacity of at least 1, got ${capacity}`);
  // Tokio refuses more than usize::MAX / 2 ("requested capacity too large", sync_broadcast.rs capacity_too_big); a
  // JavaScript number counts exactly only up to 2^53 - 1, so weft's limit is Number.MAX_SAFE_INTEGER.
  if (capacity > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`broadcast.channel: requested capacity too large (${capacity}); the most is Number.MAX_SAFE_INTEGER, where Tokio's is usize::MAX / 2`);
  }
  // Tokio rounds the capacity up to a power of two; so does weft, so a program lags where Tokio's would.
  const shared = new Shared<T>(2 ** Math.ceil(Math.log2(capacity)));
  return [new Sender(shared), new Receiver(shared, 0)];
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(Lagged);

/** Tokio's `broadcast::error` module: `broadcast.error.RecvError` and the others, as Tokio names them. */
export * as error from './error/broadcast.ts';
