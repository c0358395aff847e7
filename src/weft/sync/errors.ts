/**
 * The errors of weft/sync, named as in Rust's std::sync. In Rust these are
 * values inside `Err(…)`; in TypeScript they are thrown, and `catch` plays
 * the part of `match`.
 */
import { markErrValue } from '../runtime/unwind.ts';

/** `lock()` on a Mutex whose holder panicked. The lock is held: take the guard with `intoInner()`. */
export class PoisonError<G> extends Error {
  #guard: G | undefined;
  /** Takes the lock again, poisoned or not: set when the lock was released before this error was thrown. */
  #retake: (() => G) | undefined;
  /**
   * `guard`: what `intoInner()` gives. A lock method passes `retake`
   * instead, having released the lock before throwing: in Rust the guard
   * inside the `Err` is dropped with it, so code that catches the error and
   * goes on must not keep the lock held (JavaScript drops nothing).
   */
  constructor(guard: G, what = 'Mutex', retake?: () => G) {
    super(`this ${what} is poisoned: a thread panicked while holding it. Recover the value with err.intoInner().`);
    this.name = 'PoisonError';
    this.#guard = guard;
    this.#retake = retake;
  }
  /**
   * The guard, as if the lock had not been poisoned (Rust: `PoisonError::into_inner`).
   * From a lock method it takes the lock again (waiting if another thread took it meanwhile), once.
   */
  intoInner(): G {
    const retake = this.#retake;
    if (retake !== undefined) {
      this.#retake = undefined;
      this.#guard = retake();
    }
    return this.#guard as G;
  }
}

/**
 * A lock method took a poisoned lock: it releases it again and throws
 * PoisonError, whose `intoInner()` takes it again (`retake`). Rust's
 * `Err(PoisonError(guard))` holds the guard, and code that drops the error
 * drops the guard with it; here an error that is caught and ignored must not
 * leave the lock held. Shared by Mutex and RwLock.
 */
export function refusePoisoned<G extends { unlock(): void }>(guard: G, what: 'Mutex' | 'RwLock', retake: () => G): never {
  guard.unlock();
  throw new PoisonError<G>(undefined as never, what, retake);
}

/** `send` on a channel whose Receiver is gone; the unsent value comes back. */
export class SendError<T> extends Error {
  readonly value: T;
  constructor(value: T) {
    super('sending on a closed channel: the Receiver was dropped');
    this.name = 'SendError';
    this.value = value;
  }
}

/** `recv` on a channel that is empty and whose every Sender is gone. */
export class RecvError extends Error {
  constructor() {
    super('receiving on a closed channel: every Sender was dropped and the channel is empty');
    this.name = 'RecvError';
  }
}

/** `tryRecv` found nothing: `kind` says whether more may come ('empty') or never ('disconnected'). */
export class TryRecvError extends Error {
  readonly kind: 'empty' | 'disconnected';
  constructor(kind: 'empty' | 'disconnected') {
    super(kind === 'empty' ? 'the channel is empty' : 'the channel is empty and every Sender was dropped');
    this.name = 'TryRecvError';
    this.kind = kind;
  }
}

/** `recvTimeout` gave up ('timeout') or the channel closed ('disconnected'). */
export class RecvTimeoutError extends Error {
  readonly kind: 'timeout' | 'disconnected';
  constructor(kind: 'timeout' | 'disconnected') {
    super(kind === 'timeout' ? 'timed out waiting on the channel' : 'the channel is empty and every Sender was dropped');
    this.name = 'RecvTimeoutError';
    this.kind = kind;
  }
}

/** `trySend` on a full channel ('full') or one whose Receiver is gone ('disconnected'); the value comes back. */
export class TrySendError<T> extends Error {
  readonly kind: 'full' | 'disconnected';
  readonly value: T;
  constructor(kind: 'full' | 'disconnected', value: T) {
    super(kind === 'full' ? 'the channel is full' : 'sending on a closed channel: the Receiver was dropped');
    this.name = 'TrySendError';
    this.kind = kind;
    this.value = value;
  }
}

// Rust returns these as `Err(…)`: passing a guard, they do not poison it (runtime/unwind.ts).
markErrValue(PoisonError);
markErrValue(SendError);
markErrValue(RecvError);
markErrValue(TryRecvError);
markErrValue(RecvTimeoutError);
markErrValue(TrySendError);
