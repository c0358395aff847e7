/**
 * tokio::sync::watch: one value that changes; receivers see the latest.
 * https://docs.rs/tokio/latest/tokio/sync/watch/index.html
 *
 * Unlike a queue, a watch channel keeps only the newest value: a Receiver
 * that was busy while three values were sent sees only the last one.
 * `changed()` waits until a value newer than the one this Receiver last
 * saw has been sent (throws RecvError once the Sender is dropped);
 * `borrow()` reads the current value.
 */
import { PENDING, Poll, type Awaitable, type Context, type Waker } from '../future.ts';
import { RecvError, SendError } from '../../sync/errors.ts';
import { pollFn, whenTrue } from './poll-fn.ts';
import { giveAway, TAKE } from '../move.ts';
import { WeakSenderBase } from './weak-sender.ts';

class Shared<T> {
  version = 0;
  /** Senders alive (Tokio's watch::Sender is Clone); the channel closes when the last is dropped. */
  senders = 1;
  /** WeakSenders alive: they keep nothing open, and upgrade only while a Sender is alive. */
  weakSenders = 0;
  receivers = 0;
  waiters = new Set<Waker>();
  /** Tasks in `Sender.closed()`, woken when the last Receiver goes. */
  closedWaiters = new Set<Waker>();
  value: T;
  constructor(value: T) {
    this.value = value;
  }
  wakeAll(): void {
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const waker of waiters) waker.wake();
  }
}

export class Sender<T> {
  readonly #shared: Shared<T>;
  #moved = false;
  #dropped = false;
  constructor(shared: Shared<T>) {
    this.#shared = shared;
  }
  /** A dropped Sender is gone, as the other channels' are (Rust would not compile a use after `drop(tx)`). */
  #assertLive(): void {
    if (this.#dropped) throw new Error('use of dropped value: this watch Sender was dropped');
  }
  /** Replaces the value and notifies the Receivers; throws SendError if there is none. */
  send(value: T): void {
    this.#assertLive();
    if (this.#shared.receivers === 0) throw new SendError(value);
    this.sendReplace(value);
  }
  /** Replaces the value even with no Receiver; returns the old one. */
  sendReplace(value: T): T {
    this.#assertLive();
    const shared = this.#shared;
    giveAway(value);
    const old = shared.value;
    shared.value = value;
    shared.version++;
    shared.wakeAll();
    return old;
  }
  /** Changes the value in place with `modify` and notifies. */
  sendModify(modify: (value: T) => T | void): void {
    this.#assertLive();
    const shared = this.#shared;
    const next = modify(shared.value);
    if (next !== undefined) shared.value = next as T;
    shared.version++;
    shared.wakeAll();
  }
  /**
   * Lets `modify` change the value in place, and notifies the Receivers
   * only if it returns true (Tokio's `send_if_modified`); returns what
   * `modify` returned. A value that cannot change in place (a number, a
   * string) is replaced through `modify`'s second argument, `set(v)`.
   * Like `sendReplace`, it works with no Receiver.
   */
  sendIfModified(modify: (value: T, set: (value: T) => void) => boolean): boolean {
    this.#assertLive();
    const shared = this.#shared;
    const modified = modify(shared.value, (value: T) => {
      shared.value = value;
    });
    if (typeof modified !== 'boolean') {
      throw new TypeError(`sendIfModified's closure returns whether it modified the value (true or false), got ${String(modified)}`);
    }
    if (modified) {
      shared.version++;
      shared.wakeAll();
    }
    return modified;
  }
  borrow(): T {
    return this.#shared.value;
  }
  /** Another Sender for the same channel (Tokio's watch::Sender is Clone): the channel closes when the last one is dropped. */
  clone(): Sender<T> {
    this.#assertLive();
    this.#shared.senders++;
    return new Sender(this.#shared);
  }
  /** Whether `other` is a Sender or Receiver of the same channel (Tokio's `same_channel`). */
  sameChannel(other: Sender<T> | Receiver<T> | WeakSender<T>): boolean {
    return other.sharedWith(this.#shared);
  }
  /** @internal */
  sharedWith(shared: object): boolean {
    return this.#shared === shared;
  }
  subscribe(): Receiver<T> {
    return new Receiver(this.#shared);
  }
  receiverCount(): number {
    return this.#shared.receivers;
  }
  /** How many Senders of this channel are alive, this one included (Tokio's `sender_count`). */
  senderCount(): number {
    return this.#shared.senders;
  }
  /** How many WeakSenders of this channel are alive (Tokio's `weak_sender_count`). */
  weakSenderCount(): number {
    return this.#shared.weakSenders;
  }
  /**
   * A WeakSender for this channel (Tokio's `watch::Sender::downgrade`): it
   * does not keep the channel open, and `upgrade()` gives a Sender back
   * while some Sender is still alive.
   */
  downgrade(): WeakSender<T> {
    this.#assertLive();
    this.#shared.weakSenders++;
    return new WeakSender(this.#shared);
  }
  /** True once every Receiver is gone: `send` would fail. */
  isClosed(): boolean {
    return this.#shared.receivers === 0;
  }
  /** Finishes once every Receiver is dropped (Tokio's `watch::Sender::closed`). */
  closed(): Awaitable<void> {
    const shared = this.#shared;
    return whenTrue(() => shared.receivers === 0, shared.closedWaiters, () => 'every Receiver of a watch channel to be dropped');
  }
  drop(): void {
    if (this.#moved || this.#dropped) return;
    this.#dropped = true;
    if (--this.#shared.senders > 0) return;
    this.#shared.wakeAll();
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (!this.#moved) this.drop();
  }
  /** Moved into a task (move.ts). */
  [TAKE](): { fresh: object; what: string } {
    this.#moved = true;
    return { fresh: new Sender(this.#shared), what: 'Sender' };
  }
}

/**
 * A Sender that does not count (tokio::sync::watch::WeakSender): the
 * channel closes when the last Sender goes, WeakSenders or not. `upgrade()`
 * gives a Sender while one is alive, else undefined.
 */
export class WeakSender<T> extends WeakSenderBase<Shared<T>, Sender<T>> {
  constructor(shared: Shared<T>) {
    super(shared, 'watch');
  }
  protected strong(shared: Shared<T>): Sender<T> {
    return new Sender(shared);
  }
  protected weak(shared: Shared<T>): this {
    return new WeakSender(shared) as this;
  }
  /** How many Senders are alive (Tokio's `sender_count`). */
  senderCount(): number {
    return this.live().senders;
  }
  /** How many WeakSenders are alive, this one included (Tokio's `weak_sender_count`). */
  weakSenderCount(): number {
    return this.live().weakSenders;
  }
  /** Whether `other` belongs to the same channel (Tokio's `same_channel`). */
  sameChannel(other: Sender<T> | Receiver<T> | WeakSender<T>): boolean {
    return other.sharedWith(this.live());
  }
}

export class Receiver<T> {
  readonly #shared: Shared<T>;
  #seen: number;
  #dropped = false;
  constructor(shared: Shared<T>) {
    this.#shared = shared;
    this.#seen = shared.version;
    shared.receivers++;
  }
  /** The latest value (does not mark it seen). */
  borrow(): T {
    return this.#shared.value;
  }
  /** The latest value, marked seen. */
  borrowAndUpdate(): T {
    this.#seen = this.#shared.version;
    return this.#shared.value;
  }
  /**
   * True if a value newer than the last seen one was sent. Throws RecvError
   * once the Sender is gone, changed or not (Tokio's `has_changed` returns
   * `Err(RecvError)` for a closed channel).
   */
  hasChanged(): boolean {
    if (this.#shared.senders === 0) throw new RecvError();
    return this.#shared.version !== this.#seen;
  }
  /** Marks the current value unseen: the next `changed()` finishes at once (Tokio's `mark_changed`). */
  markChanged(): void {
    this.#seen = this.#shared.version - 1;
  }
  /** Marks the current value seen, as `borrowAndUpdate` does without reading it (Tokio's `mark_unchanged`). */
  markUnchanged(): void {
    this.#seen = this.#shared.version;
  }
  /** Whether `other` is a Sender or Receiver of the same channel (Tokio's `same_channel`). */
  sameChannel(other: Sender<T> | Receiver<T> | WeakSender<T>): boolean {
    return other.sharedWith(this.#shared);
  }
  /** @internal */
  sharedWith(shared: object): boolean {
    return this.#shared === shared;
  }
  /**
   * Waits until `predicate` is true of the value, and gives that value
   * (Tokio's `wait_for`): the current value is checked first, then each new
   * one, each marked seen. Throws RecvError once every Sender is gone and
   * no unseen value satisfies it.
   */
  waitFor(predicate: (value: T) => boolean): Awaitable<T> {
    const shared = this.#shared;
    let waker: Waker | null = null;
    let checkedCurrent = false;
    return pollFn(
      (cx: Context): Poll<T> => {
        if (!checkedCurrent || shared.version !== this.#seen) {
          checkedCurrent = true;
          this.#seen = shared.version;
          if (predicate(shared.value)) return Poll.ready(shared.value);
        }
        if (shared.senders === 0) throw new RecvError();
        if (waker !== null) shared.waiters.delete(waker);
        waker = cx.waker();
        shared.waiters.add(waker);
        return PENDING;
      },
      () => 'a value on a watch channel that satisfies waitFor',
      () => {
        if (waker !== null) shared.waiters.delete(waker);
      },
    );
  }
  /** Waits for a newer value than the last seen, and marks it seen. Throws RecvError once the Sender is gone. */
  changed(): Awaitable<void> {
    const shared = this.#shared;
    let waker: Waker | null = null;
    return pollFn(
      (cx: Context): Poll<void> => {
        if (shared.version !== this.#seen) {
          this.#seen = shared.version;
          return Poll.ready(undefined);
        }
        if (shared.senders === 0) throw new RecvError();
        // Polled again, maybe by another task: only the latest waker is woken, as Tokio's Notified keeps one (sync_broadcast.rs change_tasks).
        if (waker !== null) shared.waiters.delete(waker);
        waker = cx.waker();
        shared.waiters.add(waker);
        return PENDING;
      },
      () => 'a change on a watch channel',
      () => {
        if (waker !== null) shared.waiters.delete(waker);
      },
    );
  }
  clone(): Receiver<T> {
    const other = new Receiver(this.#shared);
    other.#seen = this.#seen;
    return other;
  }
  drop(): void {
    if (this.#dropped) return;
    this.#dropped = true;
    if (--this.#shared.receivers === 0) {
      const waiters = [...this.#shared.closedWaiters];
      this.#shared.closedWaiters.clear();
      for (const waker of waiters) waker.wake();
    }
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (!this.#dropped) this.drop();
  }
  /** Moved into a task (move.ts). */
  [TAKE](): { fresh: object; what: string } {
    if (this.#dropped) throw new Error('this watch Receiver was dropped: clone it before dropping it to keep watching');
    const fresh = this.clone();
    this.drop();
    return { fresh, what: 'Receiver' };
  }
}

export function channel<T>(initial: T): [Sender<T>, Receiver<T>] {
  const shared = new Shared(initial);
  return [new Sender(shared), new Receiver(shared)];
}

/** Tokio's `watch::error` module: `watch.error.RecvError` and the others, as Tokio names them. */
export * as error from './error/watch.ts';
