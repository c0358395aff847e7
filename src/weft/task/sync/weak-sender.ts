/**
 * What broadcast's and watch's WeakSenders have in common (Tokio's
 * `broadcast::WeakSender`, `watch::WeakSender`): a handle on the channel
 * that does not keep it open. The channel's shared state counts its Senders
 * and WeakSenders; `upgrade()` gives a Sender while one is alive.
 */

/** The counts a channel's shared state keeps for its senders. */
export interface SenderCounts {
  senders: number;
  weakSenders: number;
}

export abstract class WeakSenderBase<S extends SenderCounts, Strong> {
  #shared: S | null;
  /** "broadcast" or "watch", for the message when a dropped one is used. */
  readonly #channel: string;

  constructor(shared: S, channel: string) {
    this.#shared = shared;
    this.#channel = channel;
  }

  /** The shared state; throws once this WeakSender was dropped. */
  protected live(): S {
    if (this.#shared === null) throw new Error(`use of dropped value: this ${this.#channel} WeakSender was dropped`);
    return this.#shared;
  }

  /** A Sender of this channel (the subclass's). */
  protected abstract strong(shared: S): Strong;
  /** Another WeakSender of this channel (the subclass's), already counted. */
  protected abstract weak(shared: S): this;

  /** A Sender for the channel, or undefined once every Sender is gone. */
  upgrade(): Strong | undefined {
    const shared = this.live();
    if (shared.senders === 0) return undefined;
    shared.senders++;
    return this.strong(shared);
  }

  clone(): this {
    const shared = this.live();
    shared.weakSenders++;
    return this.weak(shared);
  }

  /** @internal */
  sharedWith(shared: object): boolean {
    return this.#shared === shared;
  }

  drop(): void {
    const shared = this.#shared;
    if (shared === null) return;
    this.#shared = null;
    shared.weakSenders--;
  }

  [Symbol.dispose](): void {
    this.drop();
  }
}
