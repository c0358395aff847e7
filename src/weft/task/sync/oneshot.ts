/**
 * tokio::sync::oneshot: one value, sent once, from one task to another.
 * https://docs.rs/tokio/latest/tokio/sync/oneshot/index.html
 *
 * The Receiver is itself a future: `const v = await rx`. If the Sender is
 * dropped without sending, awaiting throws RecvError.
 */
import { consume, proceed } from '../runtime/coop.ts';
import { awaitable, PENDING, Poll, refuseThen, type Awaitable, type Context, type Future, type Waker } from '../future.ts';
import { RecvError, SendError, TryRecvError } from '../../sync/errors.ts';
import { giveAway, TAKE } from '../move.ts';
import { blockingCall } from './blocking-call.ts';
import { traceOneshotSend, tracing } from '../../runtime/trace.ts';
import { runningTaskAt } from '../runtime.ts';

interface Slot<T> {
  state: 'empty' | 'sent' | 'taken';
  value: T | undefined;
  senderGone: boolean;
  receiverGone: boolean;
  waker: Waker | null;
  /** The task in `Sender.closed()`, woken when the Receiver closes or is dropped. */
  senderWaker?: Waker | null;
}

/** The Receiver is gone: wake a Sender waiting in `closed()`. */
function wakeSender(slot: Slot<unknown>): void {
  const waker = slot.senderWaker;
  slot.senderWaker = null;
  waker?.wake();
}

export class Sender<T> {
  #slot: Slot<T> | null;
  constructor(slot: Slot<T>) {
    this.#slot = slot;
  }
  /** Sends the value; throws SendError (with the value) if the Receiver is gone. A Sender sends once. */
  send(value: T): void {
    const slot = this.#slot;
    if (slot === null) throw new Error('this oneshot Sender already sent (or was dropped): a oneshot carries one value');
    this.#slot = null;
    giveAway(value);
    if (slot.receiverGone) throw new SendError(value);
    slot.state = 'sent';
    slot.value = value;
    slot.senderGone = true;
    if (tracing()) traceOneshotSend(runningTaskAt()?.id ?? 0, value);
    const waker = slot.waker;
    slot.waker = null;
    waker?.wake();
  }
  /** True once the Receiver is gone. */
  isClosed(): boolean {
    return this.#slot === null || this.#slot.receiverGone;
  }
  /**
   * Finishes once the Receiver is closed or dropped (Tokio's
   * `oneshot::Sender::closed`): a task computing the value can stop early.
   */
  closed(): Awaitable<void> {
    const slot = this.#slot;
    if (slot === null) throw new Error('this oneshot Sender already sent (or was dropped)');
    const future: Future<void> & { describe(): string; [Symbol.dispose](): void } = {
      poll(cx: Context): Poll<void> {
        if (slot.receiverGone) return Poll.ready(undefined);
        slot.senderWaker = cx.waker();
        return PENDING;
      },
      describe: () => 'the Receiver of a oneshot channel to close',
      [Symbol.dispose]() {
        slot.senderWaker = null;
      },
    };
    // An Awaitable, so Promise.race or .then on it fails saying what to use, as every weft future does.
    return awaitable(future);
  }
  drop(): void {
    const slot = this.#slot;
    if (slot === null) return;
    this.#slot = null;
    slot.senderGone = true;
    const waker = slot.waker;
    slot.waker = null;
    waker?.wake();
  }
  [Symbol.dispose](): void {
    // Once moved into a task (move.ts) this object owns nothing; `using` may still call this method on it.
    if (this.#slot !== null) this.drop();
  }
  /** Moved into a task (move.ts). */
  [TAKE](): { fresh: object; what: string } {
    const fresh = new Sender(this.#slot!);
    this.#slot = null;
    return { fresh, what: 'Sender' };
  }
}

export class Receiver<T> implements Future<T> {
  readonly #slot: Slot<T>;
  #moved = false;
  /** It has given its value or its RecvError (an await finished, or tryRecv gave a value or 'disconnected'). */
  #terminated = false;
  declare then: Awaitable<T>['then'];
  constructor(slot: Slot<T>) {
    this.#slot = slot;
  }
  poll(cx: Context): Poll<T> {
    const slot = this.#slot;
    // Receiving spends the task's coop budget, as in Tokio (runtime/coop.ts).
    if (!proceed(cx)) {
      slot.waker = cx.waker();
      return PENDING;
    }
    if (slot.state === 'sent') {
      slot.state = 'taken';
      this.#terminated = true;
      const value = slot.value as T;
      slot.value = undefined;
      consume();
      return Poll.ready(value);
    }
    if (slot.state === 'taken') throw new Error('this oneshot value was already received');
    // Closed by the Receiver (close()) or by the Sender's drop: nothing will come.
    if (slot.senderGone || slot.receiverGone) {
      this.#terminated = true;
      consume();
      throw new RecvError();
    }
    slot.waker = cx.waker();
    return PENDING;
  }
  /**
   * The value, from code that is not async (Tokio's `blocking_recv`): throws
   * RecvError once the Sender is gone, throws inside async code, as Tokio
   * panics, and throws rather than block for ever while the Sender may still
   * send (blocking-call.ts says why).
   */
  blockingRecv(): T {
    return blockingCall(() => this, 'blockingRecv', 'a value the Sender has not sent');
  }
  /**
   * The value if it was sent, else throws TryRecvError: 'empty' while a value
   * may still come, 'disconnected' (Tokio's `Closed`) once the Sender is gone
   * or this Receiver was closed.
   */
  tryRecv(): T {
    const slot = this.#slot;
    if (slot.state === 'sent') {
      slot.state = 'taken';
      this.#terminated = true;
      return slot.value as T;
    }
    const closed = slot.senderGone || slot.receiverGone || slot.state === 'taken';
    if (closed) this.#terminated = true;
    throw new TryRecvError(closed ? 'disconnected' : 'empty');
  }
  /** True once this Receiver has given its value or its error (Tokio's `is_terminated`): awaiting it again is a mistake. */
  isTerminated(): boolean {
    return this.#terminated;
  }
  /**
   * True once no value can come any more (Tokio's `is_closed`): the Sender
   * sent its value (received or not) or was dropped, or this Receiver was
   * closed.
   */
  isClosed(): boolean {
    const slot = this.#slot;
    return slot.state !== 'empty' || slot.senderGone || slot.receiverGone;
  }
  /** True unless a value was sent and is waiting to be received (Tokio's `is_empty`). */
  isEmpty(): boolean {
    return this.#slot.state !== 'sent';
  }
  /**
   * No longer wanted: the Sender's `send` will fail from now on. A value sent
   * before the close can still be received (`tryRecv`, or awaiting, which
   * otherwise finishes at once with RecvError), as Tokio's `close` allows.
   */
  close(): void {
    this.#slot.receiverGone = true;
    this.#slot.waker = null;
    wakeSender(this.#slot as Slot<unknown>);
  }
  /** Drops the Receiver: the Sender's `send` will fail (as `close()`). */
  drop(): void {
    if (!this.#moved) this.close();
  }
  /** Moved into a task (move.ts). */
  [TAKE](): { fresh: object; what: string } {
    this.#moved = true;
    return { fresh: new Receiver(this.#slot), what: 'Receiver' };
  }
  /** An await of this Receiver was cancelled (a losing select branch): it stops waiting but stays open, so it can be awaited again. */
  [Symbol.dispose](): void {
    this.#slot.waker = null;
  }
  describe(): string {
    return 'a value on a oneshot channel';
  }
}

export function channel<T>(): [Sender<T>, Receiver<T>] {
  const slot: Slot<T> = { state: 'empty', value: undefined, senderGone: false, receiverGone: false, waker: null };
  return [new Sender(slot), new Receiver(slot)];
}

refuseThen(Receiver);

/** Tokio's `oneshot::error` module: `oneshot.error.RecvError` and the others, as Tokio names them. */
export * as error from './error/oneshot.ts';
